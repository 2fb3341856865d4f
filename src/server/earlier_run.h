// What a workflow's run takes from an earlier run of the same workflow, as
// the store recorded it: the steps it need not run again (engine::Replay),
// and, when it *is* that run continued after a server restart, what keeps
// its record exact. Two cases:
//   - a retry (Kind::kRetry): a new run; Succeeded steps with unchanged
//     inputs are reused, everything else runs again. A resubmit --memoized
//     is one too, of another workflow (FromOtherRun): its nodes are renamed
//     and a reused step's files are brought over from its run folder.
//   - a continuation (Kind::kContinued): the same run, driven by a new engine
//     after a restart. Succeeded steps are reused; the others are adopted
//     from the executor when it started them (see Executor::Adopt), else run.
//     The new engine recreates the earlier nodes under the same ids (ids are
//     hashes of names) but with new start times; Amend() puts the recorded
//     times back. Unfinished nodes it does not recreate are finalized by
//     Leftovers(), so the store is left with no node forever Running.
//
// Thread safety: none; the controller's loop thread owns it.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/json.h"
#include "base/loom_home.h"
#include "base/result.h"
#include "engine/node.h"
#include "engine/replay.h"
#include "store/store.h"

namespace loom::server {

inline constexpr char kLeftoverMessage[] =
    "the Loom server restarted and this node's run did not come back";

class EarlierRun {
 public:
  enum class Kind { kRetry, kContinued };

  // `nodes`: the earlier run's nodes as stored (Argo's NodeStatus), by id;
  // `status`: its Workflow.status without nodes.
  static Result<EarlierRun> From(Kind kind, const std::map<std::string, Json>& nodes,
                                 const Json& status,
                                 std::optional<engine::NodeFieldSelector> restart = std::nullopt);

  // Resubmit --memoized: the earlier run is the workflow `from_name`, whose
  // files are in `from_run_dir`; this run is `to_name`, with files in `to`.
  static Result<EarlierRun> FromOtherRun(const std::map<std::string, Json>& nodes,
                                         const std::string& from_name,
                                         const std::string& from_run_dir,
                                         const std::string& to_name, const RunPaths& to);

  engine::Replay& replay() { return replay_; }
  // The earlier result to report instead of running the step (Replay::Reuse),
  // its files brought over when they are another run's; nullopt: run it.
  std::optional<executor::StepResult> Reuse(const executor::StepRequest& request,
                                            const engine::Node& node);
  bool continued() const { return kind_ == Kind::kContinued; }

  // Continued: gives a recreated node the start (and, when it ended the same
  // way, the end) time recorded for it.
  void Amend(const std::string& node_id, Json* node) const;
  // Continued: the workflow's recorded start time.
  void AmendStatus(Json* status) const;
  // Continued, once the run is done: the earlier unfinished nodes it did not recreate, as Error.
  std::vector<store::NodeChange> Leftovers(const engine::WorkflowStatus& status) const;

 private:
  EarlierRun(Kind kind, engine::Replay replay) : kind_(kind), replay_(std::move(replay)) {}

  Kind kind_;
  engine::Replay replay_;
  std::optional<std::pair<RunPaths, RunPaths>> files_;  // from, to: another run's
  std::map<std::string, Json> nodes_;                   // continued only
  Json started_at_;                                     // the workflow's, continued only
};

}  // namespace loom::server
