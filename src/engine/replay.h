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
  Replay(std::map<std::string, Node> earlier, std::optional<NodeFieldSelector> restart);

  // For a step about to start as node `node` (with its inputs resolved): the
  // earlier run's result to report instead of running it, or nullopt to run it.
  std::optional<executor::StepResult> Reuse(const executor::StepRequest& request, const Node& node);
  // A step that ran anew finished: artifacts it wrote make their consumers run again.
  void RanAgain(const Node& node);

  size_t reused() const { return reused_; }

 private:
  std::map<std::string, Node> earlier_;
  std::optional<NodeFieldSelector> restart_;
  std::set<std::string> fresh_artifacts_;  // host locations written by this run
  size_t reused_ = 0;
};

}  // namespace loom::engine
