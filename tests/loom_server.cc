// Spawns `loom server` with posix_spawn and reads the address it prints.
#include "tests/loom_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace loom {

LoomServer::LoomServer(const std::string& home, const std::vector<std::string>& extra_args) {
  const char* binary = std::getenv("LOOM_BINARY");
  std::string exe = binary ? binary : "loom";
  log_path_ = home + "/server.log";
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    if (std::string(*e).rfind("LOOM_HOME=", 0) != 0) env_strings.push_back(*e);
  }
  env_strings.push_back("LOOM_HOME=" + home);
  std::vector<std::string> args = {exe, "server", "--listen", "127.0.0.1:0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv, envp;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::filesystem::create_directories(home);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  int spawned = posix_spawn(&pid_, exe.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    return;
  }
  const std::string marker = "listening on ";
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string text = log();
    size_t at = text.find(marker);
    // The line may still be half written (stderr is unbuffered): wait for its end.
    if (at != std::string::npos && text.find('\n', at) != std::string::npos) {
      size_t end = text.find_first_of(" \n", at + marker.size());
      url_ = text.substr(at + marker.size(), end - at - marker.size());
      return;
    }
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
      pid_ = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

LoomServer::~LoomServer() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    if (waitpid(pid_, nullptr, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string LoomServer::log() const {
  std::ifstream in(log_path_);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> StoreArgs(const std::string& backend, const std::string& database,
                                   std::string* error) {
  if (backend != "postgres") return {};
  std::ifstream in(LOOM_TEST_POSTGRES_URL_FILE);
  std::string url;
  std::getline(in, url);
  if (url.empty()) {
    *error =
        std::string(LOOM_TEST_POSTGRES_URL_FILE) +
        " holds no URL: run the PostgreSQL tests through ctest, whose fixture starts the server";
    return {};
  }
  std::string create = "psql -q '" + url + "' -c 'DROP DATABASE IF EXISTS " + database +
                       "' -c 'CREATE DATABASE " + database + "' >/dev/null";
  if (std::system(create.c_str()) != 0) {
    *error = "failed: " + create;
    return {};
  }
  return {"--db", url.substr(0, url.rfind('/') + 1) + database};
}

}  // namespace loom
