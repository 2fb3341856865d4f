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

std::string ReadBesideExecutable(const std::string& name) {
  std::error_code error;
  fs::path self = fs::read_symlink("/proc/self/exe", error);
  if (error) return "";
  std::ifstream in(self.parent_path() / name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace loom
