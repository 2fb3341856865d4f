// RunProgram(): output, exit codes, programs that cannot start or do not end.
#include "executor/program.h"

#include <gtest/gtest.h>

namespace loom::executor {
namespace {

TEST(ProgramTest, CapturesBothStreamsAndTheExitCode) {
  auto run = RunProgram({"sh", "-c", "echo out; echo err >&2; exit 3"}, std::chrono::seconds(10));
  ASSERT_TRUE(run.ok()) << run.error();
  EXPECT_EQ(run->stdout_text, "out\n");
  EXPECT_EQ(run->stderr_text, "err\n");
  EXPECT_EQ(run->exit_code, 3);
}

TEST(ProgramTest, MissingProgramAndTimeoutAreErrors) {
  auto missing = RunProgram({"/no/such/program"}, std::chrono::seconds(10));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().find("cannot run /no/such/program"), std::string::npos);
  auto slow = RunProgram({"sleep", "5"}, std::chrono::milliseconds(200));
  ASSERT_FALSE(slow.ok());
  EXPECT_NE(slow.error().find("did not finish within 200 ms"), std::string::npos);
}

}  // namespace
}  // namespace loom::executor
