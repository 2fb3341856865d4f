// The tree `argo get` draws from a workflow's node graph.
//
// Nodes link by `children`, which is a graph, not a tree: a step's children
// are the next step group, a DAG task's its dependents. Like `argo get`, the
// tree places each node once: under the StepGroup, TaskGroup or Retry node
// that lists it as a child, else under its boundary (the Steps or DAG node it
// runs in), else at the top (the workflow, its onExit handler). Siblings keep
// the order in which the graph reaches them: step groups in turn, loop items
// in order, DAG tasks as their dependencies allow.
#pragma once

#include <string_view>
#include <unordered_map>
#include <vector>

#include "engine/node.h"

namespace loom::cli {

class NodeTree {
 public:
  static constexpr int kNoParent = -1;

  // Building costs O(nodes + children links); `status` must outlive the tree.
  explicit NodeTree(const engine::WorkflowStatus& status);

  int size() const { return static_cast<int>(nodes_.size()); }
  const engine::Node& node(int index) const { return *nodes_[index]; }
  int parent(int index) const { return parents_[index]; }
  const std::vector<int>& children(int index) const { return children_[index]; }
  // The workflow's own node first, then other top-level nodes (onExit).
  const std::vector<int>& roots() const { return roots_; }

 private:
  int IndexOf(const std::string& id) const;
  std::vector<int> DiscoveryOrder(const engine::WorkflowStatus& status) const;

  std::vector<const engine::Node*> nodes_;
  std::unordered_map<std::string_view, int> index_;
  std::vector<int> parents_;
  std::vector<std::vector<int>> children_;
  std::vector<int> roots_;
};

}  // namespace loom::cli
