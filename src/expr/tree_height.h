// Guarding the evaluators' recursion: parsers build trees in loops (`1+1+1...`,
// `a.b.c...`), so an expression can be far deeper than its nesting, and the
// evaluators and destructors recurse once per level. A tree taller than
// kMaxTreeHeight is refused, and taken apart without recursion.
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace loom::expr {

inline constexpr size_t kMaxTreeHeight = 500;

// Whether the tree under `root` (nodes with a `kids` vector of unique_ptr)
// is at most kMaxTreeHeight levels tall; walks it without recursion.
template <typename NodeT>
bool WithinMaxHeight(const NodeT& root) {
  std::vector<std::pair<const NodeT*, size_t>> pending = {{&root, 1}};
  while (!pending.empty()) {
    auto [node, level] = pending.back();
    pending.pop_back();
    if (level > kMaxTreeHeight) return false;
    for (const auto& kid : node->kids) pending.emplace_back(kid.get(), level + 1);
  }
  return true;
}

// Destroys a tree of any height without recursion.
template <typename NodeT>
void DestroyFlat(std::unique_ptr<NodeT> root) {
  std::vector<std::unique_ptr<NodeT>> pending;
  pending.push_back(std::move(root));
  while (!pending.empty()) {
    std::unique_ptr<NodeT> node = std::move(pending.back());
    pending.pop_back();
    for (auto& kid : node->kids) pending.push_back(std::move(kid));
  }
}

}  // namespace loom::expr
