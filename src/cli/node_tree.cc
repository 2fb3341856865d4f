// Placing each node of the graph once, as `argo get` does.
#include "cli/node_tree.h"

#include <algorithm>

namespace loom::cli {

namespace {

// Nodes whose children are drawn under them rather than under the boundary.
bool GroupsChildren(engine::NodeType type) {
  return type == engine::NodeType::kStepGroup || type == engine::NodeType::kTaskGroup ||
         type == engine::NodeType::kRetry;
}

}  // namespace

NodeTree::NodeTree(const engine::WorkflowStatus& status) {
  nodes_.reserve(status.nodes.size());
  index_.reserve(status.nodes.size());
  for (const auto& [id, node] : status.nodes) {
    index_.emplace(id, size());
    nodes_.push_back(&node);
  }
  parents_.assign(nodes_.size(), kNoParent);
  for (int i = 0; i < size(); ++i) {
    if (!GroupsChildren(node(i).type)) continue;
    for (const std::string& child : node(i).children) {
      int c = IndexOf(child);
      if (c != kNoParent && c != i && parents_[c] == kNoParent) parents_[c] = i;
    }
  }
  for (int i = 0; i < size(); ++i) {
    if (parents_[i] != kNoParent) continue;
    int boundary = IndexOf(node(i).boundary_id);
    if (boundary != i) parents_[i] = boundary;
  }
  children_.resize(nodes_.size());
  for (int i : DiscoveryOrder(status)) {
    (parents_[i] == kNoParent ? roots_ : children_[parents_[i]]).push_back(i);
  }
}

int NodeTree::IndexOf(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? kNoParent : it->second;
}

// Every node once, breadth first along `children` from the top-level nodes
// (the workflow's first, the rest by start time); nodes no link reaches last.
std::vector<int> NodeTree::DiscoveryOrder(const engine::WorkflowStatus& status) const {
  std::vector<int> starts;
  for (int i = 0; i < size(); ++i) {
    if (parents_[i] == kNoParent) starts.push_back(i);
  }
  auto first = [&](int a, int b) {
    bool a_root = node(a).id == status.name, b_root = node(b).id == status.name;
    if (a_root != b_root) return a_root;
    return node(a).started_at < node(b).started_at;
  };
  std::stable_sort(starts.begin(), starts.end(), first);

  std::vector<int> order;
  order.reserve(nodes_.size());
  std::vector<bool> seen(nodes_.size(), false);
  auto visit = [&](int i) {
    if (i == kNoParent || seen[i]) return;
    seen[i] = true;
    order.push_back(i);
  };
  for (int start : starts) visit(start);
  for (size_t next = 0; next < order.size(); ++next) {
    for (const std::string& child : node(order[next]).children) visit(IndexOf(child));
  }
  for (int i = 0; i < size(); ++i) visit(i);
  return order;
}

}  // namespace loom::cli
