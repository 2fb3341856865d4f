// $LOOM_HOME, the store's default place and the folders of a run.
#include "base/loom_home.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace loom {

namespace fs = std::filesystem;

std::string LoomHome() {
  if (const char* home = std::getenv("LOOM_HOME"); home && *home) return home;
  const char* user_home = std::getenv("HOME");
  return (fs::path(user_home && *user_home ? user_home : "/tmp") / ".loom").string();
}

std::string DefaultStoreUrl() { return (fs::path(LoomHome()) / "loom.db").string(); }

std::string DefaultSyncConfigPath() {
  return (fs::path(LoomHome()) / "synchronization.yaml").string();
}

RunPaths RunPathsAt(const std::string& run_dir) {
  fs::path run(run_dir);
  return RunPaths{run.string(), (run / "steps").string(), (run / "artifacts").string()};
}

RunPaths PrepareRunPaths(const std::string& relative) {
  RunPaths paths = RunPathsAt((fs::path(LoomHome()) / "runs" / relative).string());
  std::error_code ignored;
  fs::create_directories(paths.steps_dir, ignored);
  fs::create_directories(paths.artifacts_dir, ignored);
  return paths;
}

namespace {

// Links (else copies) every file under `from` to the same place under `to`.
void LinkTree(const fs::path& from, const fs::path& to) {
  std::error_code error;
  if (!fs::exists(from, error)) return;
  if (!fs::is_directory(from, error)) {
    fs::create_directories(to.parent_path(), error);
    fs::create_hard_link(from, to, error);
    if (error) fs::copy_file(from, to, fs::copy_options::overwrite_existing, error);
    return;
  }
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(from, error)) {
    if (entry.is_directory(error)) continue;
    LinkTree(entry.path(), to / fs::relative(entry.path(), from, error));
  }
}

}  // namespace

void LinkStepFiles(const RunPaths& from, const std::string& old_id, const RunPaths& to,
                   const std::string& new_id) {
  LinkTree(fs::path(from.steps_dir) / old_id / "log", fs::path(to.steps_dir) / new_id / "log");
  LinkTree(fs::path(from.artifacts_dir) / old_id, fs::path(to.artifacts_dir) / new_id);
}

std::string SelfPath() {
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  return error ? "" : self.string();
}

std::string ReadBesideExecutable(const std::string& name) {
  std::string self = SelfPath();
  if (self.empty()) return "";
  std::ifstream in(fs::path(self).parent_path() / name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace loom
