// NodeTree places each node once, under its group or boundary, in graph order.
#include "cli/node_tree.h"

#include <gtest/gtest.h>

#include "engine/test_statuses.h"

namespace loom::cli {
namespace {

std::vector<std::string> ChildIds(const NodeTree& tree, int index) {
  std::vector<std::string> ids;
  for (int child : tree.children(index)) ids.push_back(tree.node(child).id);
  return ids;
}

int Find(const NodeTree& tree, const std::string& id) {
  for (int i = 0; i < tree.size(); ++i) {
    if (tree.node(i).id == id) return i;
  }
  return NodeTree::kNoParent;
}

TEST(NodeTree, StepsGoUnderTheirGroupsAndGroupsUnderTheBoundary) {
  engine::WorkflowStatus status = engine::fixtures::StepsStatus();
  NodeTree tree(status);
  ASSERT_EQ(tree.roots().size(), 1u);
  EXPECT_EQ(tree.node(tree.roots()[0]).id, "wf");
  EXPECT_EQ(ChildIds(tree, Find(tree, "wf")), (std::vector<std::string>{"g0", "g1"}));
  EXPECT_EQ(ChildIds(tree, Find(tree, "g1")), (std::vector<std::string>{"hello2a", "hello2b"}));
  EXPECT_TRUE(ChildIds(tree, Find(tree, "hello1")).empty());
}

TEST(NodeTree, DagTasksOnceInDependencyOrder) {
  engine::WorkflowStatus status = engine::fixtures::DiamondStatus();
  NodeTree tree(status);
  EXPECT_EQ(ChildIds(tree, Find(tree, "wf")), (std::vector<std::string>{"A", "B", "C", "D"}));
}

TEST(NodeTree, LoopItemsKeepTheirOrderAndExitHandlersAreRoots) {
  engine::WorkflowStatus status = engine::fixtures::FanOutStatus(
      50, engine::WorkflowPhase::kSucceeded, [](int) { return engine::NodePhase::kSucceeded; });
  engine::fixtures::AddNode(status, "wf-onexit", engine::NodeType::kPod, "wf.onExit", "cleanup",
                            engine::NodePhase::kSucceeded);
  NodeTree tree(status);
  ASSERT_EQ(tree.roots().size(), 2u);
  EXPECT_EQ(tree.node(tree.roots()[0]).id, "wf");
  EXPECT_EQ(tree.node(tree.roots()[1]).id, "wf-onexit");
  const std::vector<int>& items = tree.children(Find(tree, "g0"));
  ASSERT_EQ(items.size(), 50u);
  for (int k = 0; k < 50; ++k) {
    EXPECT_EQ(tree.node(items[k]).display_name,
              "train(" + std::to_string(k) + ":" + std::to_string(k) + ")");
  }
}

}  // namespace
}  // namespace loom::cli
