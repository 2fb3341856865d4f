// `loom run FILE`: validates, then runs a workflow to completion on this
// machine (engine + scheduler + local executor), showing progress, and
// prints the final state. Exit code: 0 Succeeded, 1 Failed/Error, 2 invalid.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cli/workflow_loader.h"
#include "engine/replay.h"

namespace loom::cli {

struct RunOptions {
  LoadRequest load;
  std::string name;                // --name
  std::string output;              // -o json|yaml ("" = summary)
  std::string max_cpu;             // --max-cpu
  std::string max_memory;          // --max-memory
  int parallelism = 0;             // --parallelism (0 = number of cores)
  bool log = false;                // --log: stream step output
  std::string isolation = "auto";  // --isolation auto|overlay|none
  std::string db;                  // --db: the store that records the run ("" = $LOOM_HOME/loom.db)
  // `loom retry`: the earlier run whose successful steps are reused.
  std::shared_ptr<engine::Replay> replay;
};

int RunCommand(const RunOptions& options);

}  // namespace loom::cli
