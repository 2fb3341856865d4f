// PrintSummary: argo's layout and tree, and short output for huge fan-outs.
#include "cli/summary.h"

#include <gtest/gtest.h>

#include <sstream>

#include "engine/test_statuses.h"

namespace loom::cli {
namespace {

using engine::NodePhase;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string Summary(const engine::WorkflowStatus& status, bool color = false) {
  std::ostringstream out;
  PrintSummary(out, status, color);
  return out.str();
}

TEST(PrintSummary, HeaderLikeArgoGet) {
  engine::WorkflowStatus status = engine::fixtures::StepsStatus();
  status.parameters = {{"message", "hello"}};
  std::string text = Summary(status);
  EXPECT_NE(text.find("Name:                wf\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Namespace:           default\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Status:              Succeeded\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Duration:            10 seconds\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Progress:            3/3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Parameters:\n  message:           hello\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Started:"), std::string::npos) << text;
  EXPECT_NE(text.find("Finished:"), std::string::npos) << text;
  EXPECT_EQ(text.find("Message:"), std::string::npos) << text;
  EXPECT_EQ(text.find('\x1b'), std::string::npos) << "no color unless asked";
}

TEST(PrintSummary, StepGroupsJoinTheirStepsAsArgoDraws) {
  std::string text = Summary(engine::fixtures::StepsStatus());
  std::string table = text.substr(text.find("STEP"));
  EXPECT_EQ(table,
            "STEP            TEMPLATE  DURATION  MESSAGE\n"
            " ✔ wf           main\n"
            " ├───✔ hello1   echo      5s\n"
            " └─┬─✔ hello2a  echo      5s\n"
            "   └─✔ hello2b  echo      5s\n")
      << table;
}

TEST(PrintSummary, DagTasksAppearOnceUnderTheDag) {
  std::string text = Summary(engine::fixtures::DiamondStatus());
  std::string table = text.substr(text.find("STEP"));
  EXPECT_EQ(table,
            "STEP    TEMPLATE  DURATION  MESSAGE\n"
            " ✔ wf   diamond\n"
            " ├─✔ A  echo      5s\n"
            " ├─✔ B  echo      5s\n"
            " ├─✔ C  echo      5s\n"
            " └─✔ D  echo      5s\n")
      << table;
}

TEST(PrintSummary, HugeFanOutIsShortAndListsTheFailure) {
  engine::WorkflowStatus status = engine::fixtures::FanOutStatus(
      10000, engine::WorkflowPhase::kFailed,
      [](int i) { return i == 4321 ? NodePhase::kFailed : NodePhase::kSucceeded; });
  for (auto& [id, node] : status.nodes) {
    if (node.display_name == "train(4321:4321)") node.message = "exit code 1: CUDA out of memory";
  }
  status.message = "child failed";
  std::string text = Summary(status);
  std::vector<std::string> lines = Lines(text);
  EXPECT_LT(lines.size(), 40u) << text;
  EXPECT_NE(text.find("✖ train(4321:4321)"), std::string::npos) << text;
  EXPECT_NE(text.find("exit code 1: CUDA out of memory"), std::string::npos) << text;
  EXPECT_NE(text.find("train(0:0)"), std::string::npos) << text;
  EXPECT_NE(text.find("… 9,996 more: 9,996 ✔"), std::string::npos) << text;
  EXPECT_NE(text.find("Message:             child failed"), std::string::npos) << text;
  EXPECT_NE(text.find("Progress:            10000/10000"), std::string::npos) << text;
}

TEST(PrintSummary, ManyFailuresAreBoundedAndCounted) {
  engine::WorkflowStatus status = engine::fixtures::FanOutStatus(
      10000, engine::WorkflowPhase::kFailed,
      [](int i) { return i % 2 ? NodePhase::kFailed : NodePhase::kSucceeded; });
  std::string text = Summary(status);
  EXPECT_LT(Lines(text).size(), 40u) << text;
  EXPECT_NE(text.find("… 9,992 more: 4,998 ✔ 4,994 ✖"), std::string::npos) << text;
}

TEST(PrintSummary, ColorsMarksWhenAsked) {
  std::string text = Summary(engine::fixtures::StepsStatus(), /*color=*/true);
  EXPECT_NE(text.find("\x1b[32m✔\x1b[0m hello1"), std::string::npos) << text;
}

}  // namespace
}  // namespace loom::cli
