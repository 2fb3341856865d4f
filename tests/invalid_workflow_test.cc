// Invalid workflows: every file in tests/lint/ states the diagnostics it must
// produce (`# expect: LINE:COL: TEXT`). `loom lint` and `loom run` must both
// report them as file:line:col, exit 2, and `run` must not start anything.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/loom_process.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> InvalidFiles() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(fs::path(SourceDir()) / "tests" / "lint")) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> Expectations(const std::string& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("# expect: ", 0) == 0) out.push_back(line.substr(10));
  }
  return out;
}

class InvalidWorkflow : public testing::TestWithParam<std::string> {};

TEST_P(InvalidWorkflow, IsRejectedWithPositionsAndNothingRuns) {
  const std::string& file = GetParam();
  auto expectations = Expectations(file);
  ASSERT_FALSE(expectations.empty()) << file << " has no # expect: line";
  LoomResult lint = RunLoom({"lint", file}, 60);
  EXPECT_EQ(lint.exit_code, 2) << file << "\n" << lint.stderr_text;
  for (const std::string& expected : expectations) {
    // "LINE:COL: TEXT" must appear as "FILE:LINE:COL: error: ...TEXT..."
    auto colon = expected.find(": ");
    std::string prefix = file + ":" + expected.substr(0, colon) + ": error: ";
    std::string text = expected.substr(colon + 2);
    bool found = false;
    std::istringstream lines(lint.stderr_text);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind(prefix, 0) == 0 && line.find(text) != std::string::npos) found = true;
    }
    EXPECT_TRUE(found) << "no '" << prefix << "..." << text << "' in:\n" << lint.stderr_text;
  }
  // `run` validates with the same code (some files hold no runnable Workflow,
  // so its first message may differ), exits 2 and starts nothing.
  LoomResult run = RunLoom({"run", file}, 60);
  EXPECT_EQ(run.exit_code, 2) << run.stderr_text;
  EXPECT_EQ(run.stderr_text.rfind(file + ":", 0), 0u) << run.stderr_text;
  EXPECT_FALSE(run.created_runs) << "run started " << file;
}

std::string FileName(const testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Lint, InvalidWorkflow, testing::ValuesIn(InvalidFiles()), FileName);

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(RunLoom({"run"}).exit_code, 2);
  EXPECT_EQ(RunLoom({"frobnicate"}).exit_code, 2);
  LoomResult missing = RunLoom({"run", "/nonexistent/wf.yaml"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.stderr_text.find("/nonexistent/wf.yaml"), std::string::npos);
}

}  // namespace
}  // namespace loom
