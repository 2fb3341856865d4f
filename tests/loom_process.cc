// Spawns loom with posix_spawn, output to temporary files.
#include "tests/loom_process.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace loom {

namespace fs = std::filesystem;

namespace {
std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

std::string SourceDir() {
  const char* dir = std::getenv("LOOM_SOURCE_DIR");
  return dir ? dir : fs::path(__FILE__).parent_path().parent_path().string();
}

std::string SharedDir() { return (fs::path(SourceDir()) / ".." / "shared").string(); }

namespace {

// `input`: what the command reads on stdin (none: /dev/null).
LoomResult Spawn(const std::string& home, const std::vector<std::string>& args, int timeout_seconds,
                 double interrupt_after_seconds, const std::string* input = nullptr) {
  const char* binary = std::getenv("LOOM_BINARY");
  std::string exe = binary ? binary : "loom";
  char tmpl[] = "/tmp/loom-test-XXXXXX";
  fs::path dir = mkdtemp(tmpl);
  fs::path in = dir / "stdin", out = dir / "stdout", err = dir / "stderr";
  if (input) std::ofstream(in) << *input;

  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e) {
    if (std::string(*e).rfind("LOOM_HOME=", 0) != 0) env_strings.push_back(*e);
  }
  env_strings.push_back("LOOM_HOME=" + (home.empty() ? (dir / "home").string() : home));
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);

  std::vector<std::string> argv_strings = {exe};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, input ? in.c_str() : "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = 0;
  LoomResult result;
  if (posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), envp.data()) != 0) {
    result.stderr_text = "cannot start " + exe;
    posix_spawn_file_actions_destroy(&actions);
    return result;
  }
  posix_spawn_file_actions_destroy(&actions);
  auto start = std::chrono::steady_clock::now();
  auto deadline = start + std::chrono::seconds(timeout_seconds);
  bool interrupted = interrupt_after_seconds <= 0;
  int status = 0;
  while (waitpid(pid, &status, WNOHANG) == 0) {
    if (!interrupted && std::chrono::steady_clock::now() - start >
                            std::chrono::duration<double>(interrupt_after_seconds)) {
      kill(pid, SIGINT);
      interrupted = true;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid, SIGINT);
      std::this_thread::sleep_for(std::chrono::seconds(5));
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.stderr_text = "timed out after " + std::to_string(timeout_seconds) + " s\n";
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.stdout_text = Slurp(out);
  result.stderr_text += Slurp(err);
  result.created_runs = fs::exists((home.empty() ? dir / "home" : fs::path(home)) / "runs");
  fs::remove_all(dir);
  return result;
}

}  // namespace

LoomResult RunLoom(const std::vector<std::string>& args, int timeout_seconds,
                   double interrupt_after_seconds) {
  return Spawn("", args, timeout_seconds, interrupt_after_seconds);
}

LoomResult RunLoomIn(const std::string& home, const std::vector<std::string>& args,
                     int timeout_seconds) {
  return Spawn(home, args, timeout_seconds, 0);
}

LoomResult RunLoomWithInput(const std::string& home, const std::vector<std::string>& args,
                            const std::string& input, int timeout_seconds) {
  return Spawn(home, args, timeout_seconds, 0, &input);
}

}  // namespace loom
