// Where Loom keeps its files: $LOOM_HOME (default ~/.loom). The store is
// loom.db there (unless --db says otherwise); each run gets a folder under
// runs/ with steps/ (per-step logs and scratch) and artifacts/.
#pragma once

#include <string>

namespace loom {

std::string LoomHome();

// The embedded store: $LOOM_HOME/loom.db.
std::string DefaultStoreUrl();

// Semaphore limits (ConfigMaps) when --sync-config is not given and it exists:
// $LOOM_HOME/synchronization.yaml (see docs/SYNCHRONIZATION.md).
std::string DefaultSyncConfigPath();

struct RunPaths {
  std::string run_dir;
  std::string steps_dir;      // the executor's work_dir: steps/<node id>/log
  std::string artifacts_dir;  // the engine's artifact_dir
};

// Creates (if needed) and returns the folders of the run kept in
// $LOOM_HOME/runs/<relative> (`loom run` uses the workflow's name).
RunPaths PrepareRunPaths(const std::string& relative);

// The folders of the run kept in `run_dir`, without creating anything.
RunPaths RunPathsAt(const std::string& run_dir);

// Brings the files of a step reused from another run (resubmit --memoized)
// into `to`: its log and stored artifacts, from the folders of its old id to
// those of its new one. Hard links where they can be (a step's files are not
// written after it ends, and a reused step does not run again), else copies.
void LinkStepFiles(const RunPaths& from, const std::string& old_id, const RunPaths& to,
                   const std::string& new_id);

// The path of the running `loom` binary ("" if /proc cannot say).
std::string SelfPath();

// The contents of the file `name` installed beside the running `loom` binary
// ("" if there is none), e.g. argosay, our stand-in for Argo's test image.
std::string ReadBesideExecutable(const std::string& name);

// Annotations Loom puts on a stored workflow: its run folder, and who runs
// it. A server takes up unfinished workflows at startup only if they are
// its own; one that `loom run` records (kRunByLoomRun) belongs to that process.
inline constexpr char kRunDirAnnotation[] = "loom.dev/run-dir";
inline constexpr char kControllerAnnotation[] = "loom.dev/controller";
inline constexpr char kRunByLoomRun[] = "loom run";
inline constexpr char kPidAnnotation[] = "loom.dev/pid";  // of the `loom run` process

}  // namespace loom
