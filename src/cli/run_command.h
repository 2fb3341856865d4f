// `loom run FILE`: validates, then runs a workflow to completion on this
// machine (engine + scheduler + local executor), showing progress, and
// prints the final state. Exit code: 0 Succeeded, 1 Failed/Error, 2 invalid.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/workflow_loader.h"
#include "engine/replay.h"

namespace loom::cli {

struct RunOptions {
  LoadRequest load;
  std::string name;                        // --name
  std::string output;                      // -o json|yaml ("" = summary)
  std::string max_cpu;                     // --max-cpu
  std::string max_memory;                  // --max-memory
  int parallelism = 0;                     // --parallelism (0 = number of cores)
  bool log = false;                        // --log: stream step output
  std::string isolation = "auto";          // --isolation auto|overlay|none
  std::string executor = "local";          // --executor local|slurm
  std::vector<std::string> slurm_options;  // --slurm-option: added to every job's sbatch
  std::string db;  // --db: the store that records the run ("" = $LOOM_HOME/loom.db)
  // -n: the run's namespace ("" = default), where its stored templates are
  // looked up (in the store --db names, unless load.templates says otherwise).
  std::string namespace_;
  // --sync-config: ConfigMaps with semaphore limits ("" = $LOOM_HOME/synchronization.yaml if any).
  std::string sync_config;
  // `loom retry`: the earlier run whose successful steps are reused.
  std::shared_ptr<engine::Replay> replay;
  // `loom resubmit --memoized`: an earlier run of another workflow whose
  // successful steps are reused: renamed to this run's names (RenameRun),
  // their logs and artifacts linked from `run_dir`.
  struct EarlierWorkflow {
    std::string name;
    std::string run_dir;
    std::map<std::string, engine::Node> nodes;
  };
  std::optional<EarlierWorkflow> memoized_from;
};

int RunCommand(const RunOptions& options);

}  // namespace loom::cli
