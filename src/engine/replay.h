// Rerunning only what failed (`loom retry`, `resubmit --memoized`): a new run
// of a workflow is given the nodes of an earlier run, and each step whose
// earlier node Succeeded with the same inputs is not run again: its recorded
// outputs are fed back as if it had just run. Node ids are hashes of node
// names, so the same step of the same workflow has the same id in both runs.
//
// A step is run again when its inputs differ (e.g. a parameter changed with
// -p, or an upstream step produced something new), when it consumes an
// artifact that a step of this run wrote anew, or when the user asked for it
// (--restart-successful with a node field selector).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/result.h"
#include "engine/node.h"
#include "executor/step.h"

namespace loom::engine {

// Argo's --node-field-selector: comma-separated `field=value` / `field!=value`
// over a node's id, name, displayName, templateName and phase.
class NodeFieldSelector {
 public:
  static Result<NodeFieldSelector> Parse(const std::string& text);
  bool Matches(const Node& node) const;

 private:
  struct Requirement {
    std::string field;
    std::string value;
    bool negated = false;
  };
  std::vector<Requirement> requirements_;
};

class Replay {
 public:
  // `earlier`: the nodes of the earlier run, by id. Succeeded Pods matching
  // `restart` (when given) run again.
  // `old_ids`: for an earlier run of another workflow (see RenameRun), the
  // id each node had there.
  Replay(std::map<std::string, Node> earlier, std::optional<NodeFieldSelector> restart,
         std::map<std::string, std::string> old_ids = {});

  // For a step about to start as node `node` (with its inputs resolved): the
  // earlier run's result to report instead of running it, or nullopt to run it.
  std::optional<executor::StepResult> Reuse(const executor::StepRequest& request, const Node& node);
  // A step that ran anew finished: artifacts it wrote make their consumers run again.
  void RanAgain(const Node& node);

  size_t reused() const { return reused_; }
  // The id node `id` had in the earlier run: `id` itself unless renamed.
  std::string EarlierId(const std::string& id) const;

 private:
  std::map<std::string, Node> earlier_;
  std::optional<NodeFieldSelector> restart_;
  std::map<std::string, std::string> old_ids_;
  std::set<std::string> fresh_artifacts_;  // host locations written by this run
  size_t reused_ = 0;
};

// For `resubmit --memoized`, whose earlier run is another workflow: node
// names begin with the workflow's name, and ids and artifact locations follow
// from the names, so the earlier nodes are given what they are called in a
// run named `to_name` that keeps its artifacts in `to_artifacts`. `old_ids`
// receives each node's new id -> its old one, for the caller to bring the
// files of reused steps over (LinkStepFiles in base/loom_home.h).
std::map<std::string, Node> RenameRun(const std::map<std::string, Node>& earlier,
                                      const std::string& from_name,
                                      const std::string& from_artifacts, const std::string& to_name,
                                      const std::string& to_artifacts,
                                      std::map<std::string, std::string>* old_ids);

}  // namespace loom::engine
