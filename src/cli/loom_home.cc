// $LOOM_HOME and the folders of a run.
#include "cli/loom_home.h"

#include <cstdlib>
#include <filesystem>

namespace loom::cli {

namespace fs = std::filesystem;

std::string LoomHome() {
  if (const char* home = std::getenv("LOOM_HOME"); home && *home) return home;
  const char* user_home = std::getenv("HOME");
  return (fs::path(user_home && *user_home ? user_home : "/tmp") / ".loom").string();
}

RunPaths PrepareRunPaths(const std::string& name) {
  fs::path run = fs::path(LoomHome()) / "runs" / name;
  RunPaths paths{run.string(), (run / "steps").string(), (run / "artifacts").string()};
  std::error_code ignored;
  fs::create_directories(paths.steps_dir, ignored);
  fs::create_directories(paths.artifacts_dir, ignored);
  return paths;
}

}  // namespace loom::cli
