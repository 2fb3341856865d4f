// Where Loom keeps its files: $LOOM_HOME (default ~/.loom). Each run gets
// runs/<name>/ with steps/ (per-step logs and scratch) and artifacts/.
#pragma once

#include <string>

namespace loom::cli {

std::string LoomHome();

struct RunPaths {
  std::string run_dir;
  std::string steps_dir;
  std::string artifacts_dir;
};

// Creates (if needed) and returns the folders of the run named `name`.
RunPaths PrepareRunPaths(const std::string& name);

}  // namespace loom::cli
