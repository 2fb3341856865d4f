// The supervised executor with real supervisor processes: steps run and
// report, Kill() reaches the step through its supervisor, and a new executor
// adopts what an earlier one (in a process killed with SIGKILL) left: a live
// supervisor, a recorded result, or a step whose supervisor is gone.
#include "executor/supervised_executor.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "executor/executor_test_util.h"
#include "executor/step_record.h"

namespace loom::executor {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class SupervisedTest : public ExecutorTest {
 protected:
  std::unique_ptr<SupervisedExecutor> MakeSupervised() const {
    SupervisedExecutorOptions options;
    options.supervisor = {LOOM_TEST_SUPERVISOR};
    options.isolation = Isolation::kNone;
    options.work_dir = dir_ + "/steps";
    return std::make_unique<SupervisedExecutor>(std::move(options));
  }

  static std::vector<StepResult> WaitFor(Executor& executor, size_t count,
                                         seconds limit = seconds(30)) {
    std::vector<StepResult> out;
    auto end = std::chrono::steady_clock::now() + limit;
    while (out.size() < count && std::chrono::steady_clock::now() < end) {
      for (StepResult& r : executor.Wait(milliseconds(100))) out.push_back(std::move(r));
    }
    return out;
  }

  std::string StepDir(const std::string& id) const { return dir_ + "/steps/" + id; }

  // Starts `request` from a child process, which is then killed with SIGKILL,
  // as a server would be: the supervisor it started lives on.
  void StartFromDoomedProcess(const StepRequest& request) {
    int ready[2];
    ASSERT_EQ(pipe(ready), 0);
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      auto executor = MakeSupervised();
      executor->Start(request);
      char done = 1;
      [[maybe_unused]] ssize_t n = write(ready[1], &done, 1);
      pause();
      _exit(0);
    }
    close(ready[1]);
    char done = 0;
    ASSERT_EQ(read(ready[0], &done, 1), 1);
    close(ready[0]);
    kill(child, SIGKILL);
    ASSERT_EQ(waitpid(child, nullptr, 0), child);
  }
};

TEST_F(SupervisedTest, RunsStepAndRecordsItsResult) {
  auto executor = MakeSupervised();
  StepRequest r = Sh("echo", "echo hello; echo oops >&2; exit 3");
  executor->Start(r);
  EXPECT_EQ(executor->running(), 1u);
  auto results = WaitFor(*executor, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].id, "echo");
  EXPECT_TRUE(results[0].started);
  EXPECT_EQ(results[0].exit_code, 3);
  EXPECT_EQ(results[0].stdout_text, "hello\n");
  EXPECT_EQ(results[0].stderr_last_line, "oops");
  EXPECT_EQ(executor->running(), 0u);
  EXPECT_NE(ReadFile(StepDir("echo") + "/log").find("hello\n"), std::string::npos);
  auto recorded = ReadStepResult(StepDir("echo"));
  ASSERT_TRUE(recorded.has_value());
  EXPECT_EQ(recorded->exit_code, 3);
  EXPECT_FALSE(std::filesystem::exists(StepDir("echo") + "/.run"));
}

TEST_F(SupervisedTest, KeepsStepsFolderBesideItsLog) {
  auto executor = MakeSupervised();
  StepRequest r = Sh("uid.node", "echo out");
  r.log_path = dir_ + "/runs/wf/steps/node/log";
  executor->Start(r);
  auto results = WaitFor(*executor, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(ReadFile(r.log_path), "out\n");
  EXPECT_TRUE(ReadStepResult(dir_ + "/runs/wf/steps/node").has_value());
}

TEST_F(SupervisedTest, CollectsOutputParameters) {
  auto executor = MakeSupervised();
  StepRequest r = Sh("params", "printf 0.9 > score");
  r.output_parameters.push_back({"score", "score"});
  r.output_parameters.push_back({"missing", "nope"});
  executor->Start(r);
  auto results = WaitFor(*executor, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].parameters["score"], "0.9");
  EXPECT_EQ(results[0].parameters["missing"], std::nullopt);
}

TEST_F(SupervisedTest, CommandThatCannotRunIsReportedNotStarted) {
  auto executor = MakeSupervised();
  StepRequest r = Sh("bad", "");
  r.command = {"/no/such/program"};
  executor->Start(r);
  auto results = WaitFor(*executor, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].started);
  EXPECT_NE(results[0].message.find("/no/such/program"), std::string::npos);
}

TEST_F(SupervisedTest, MissingSupervisorProgramFailsTheStep) {
  SupervisedExecutorOptions options;
  options.supervisor = {"/no/such/supervisor"};
  options.work_dir = dir_ + "/steps";
  SupervisedExecutor executor(options);
  executor.Start(Sh("x", "true"));
  auto results = WaitFor(executor, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].started);
  EXPECT_NE(results[0].message.find("supervisor"), std::string::npos);
}

TEST_F(SupervisedTest, KillReachesTheStepThroughItsSupervisor) {
  auto executor = MakeSupervised();
  std::string marker = dir_ + "/still-running";
  executor->Start(Sh("sleeper", "sleep 30; touch " + marker));
  std::this_thread::sleep_for(milliseconds(200));
  executor->Kill("sleeper");
  auto results = WaitFor(*executor, 1, seconds(10));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].killed);
  EXPECT_NE(results[0].exit_code, 0);
  EXPECT_TRUE(ReadStepResult(StepDir("sleeper"))->killed);
  EXPECT_FALSE(std::filesystem::exists(marker));
}

TEST_F(SupervisedTest, StepOutlivesTheProcessThatStartedItAndIsAdopted) {
  StepRequest r = Sh("survivor", "sleep 1; echo finished; exit 7");
  StartFromDoomedProcess(r);
  EXPECT_FALSE(ReadStepResult(StepDir("survivor")).has_value());  // still running

  auto executor = MakeSupervised();
  auto started = executor->Adopt(r);
  ASSERT_TRUE(started.has_value());
  EXPECT_LE(*started, Clock::now());
  EXPECT_EQ(executor->running(), 1u);
  auto results = WaitFor(*executor, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].id, "survivor");
  EXPECT_TRUE(results[0].started);
  EXPECT_EQ(results[0].exit_code, 7);  // the true exit status, recorded by the supervisor
  EXPECT_EQ(results[0].stdout_text, "finished\n");
}

TEST_F(SupervisedTest, AdoptedStepCanBeKilled) {
  StepRequest r = Sh("adopted", "sleep 30");
  StartFromDoomedProcess(r);
  auto executor = MakeSupervised();
  ASSERT_TRUE(executor->Adopt(r).has_value());
  executor->Kill("adopted");
  auto results = WaitFor(*executor, 1, seconds(10));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].killed);
}

TEST_F(SupervisedTest, FindsSupervisorWhosePidWasNotRecorded) {
  StepRequest r = Sh("unrecorded", "sleep 1; echo ok");
  StartFromDoomedProcess(r);
  std::filesystem::remove(StepDir("unrecorded") + "/supervisor.pid");
  auto executor = MakeSupervised();
  ASSERT_TRUE(executor->Adopt(r).has_value());
  auto results = WaitFor(*executor, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].exit_code, 0);
  EXPECT_EQ(results[0].stdout_text, "ok\n");
}

TEST_F(SupervisedTest, AdoptsStepThatEndedWhileNobodyWatched) {
  StepRequest r = Sh("ended", "echo done");
  StartFromDoomedProcess(r);
  auto end = std::chrono::steady_clock::now() + seconds(10);
  while (!ReadStepResult(StepDir("ended")) && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  auto executor = MakeSupervised();
  ASSERT_TRUE(executor->Adopt(r).has_value());
  auto results = WaitFor(*executor, 1);  // it may still be cleaning up
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].exit_code, 0);
  EXPECT_EQ(results[0].stdout_text, "done\n");
}

TEST_F(SupervisedTest, StepWhoseSupervisorIsGoneIsLost) {
  StepRequest r = Sh("lost", "sleep 30");
  std::filesystem::create_directories(StepDir("lost"));
  r.log_path = StepDir("lost") + "/log";
  // Handed over, but no supervisor lives and none recorded a result.
  ASSERT_TRUE(WriteStepRecord(StepDir("lost"), StepRecord{r, Isolation::kNone, Clock::now()}).ok());
  ASSERT_TRUE(WriteSupervisorPid(StepDir("lost"), getpid()).ok());  // alive, but not a supervisor
  auto executor = MakeSupervised();
  ASSERT_TRUE(executor->Adopt(r).has_value());
  auto results = executor->Wait(milliseconds(0));
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].started);
  EXPECT_EQ(results[0].exit_code, -1);
  EXPECT_EQ(results[0].message, kLostStepMessage);
}

TEST_F(SupervisedTest, AdoptsOnlyStepsItHasARecordOf) {
  auto executor = MakeSupervised();
  EXPECT_FALSE(executor->Adopt(Sh("never", "true")).has_value());
  executor->Start(Sh("earlier", "true"));
  ASSERT_EQ(WaitFor(*executor, 1).size(), 1u);
  // Same folder, another step (a later run's): the record is not its.
  StepRequest other = Sh("later", "true");
  other.log_path = StepDir("earlier") + "/log";
  EXPECT_FALSE(executor->Adopt(other).has_value());
}

TEST_F(SupervisedTest, StartingAgainForgetsTheEarlierResult) {
  auto executor = MakeSupervised();
  executor->Start(Sh("again", "exit 1"));
  ASSERT_EQ(WaitFor(*executor, 1).size(), 1u);
  executor->Start(Sh("again", "sleep 0.5"));
  EXPECT_FALSE(ReadStepResult(StepDir("again")).has_value());
  auto results = WaitFor(*executor, 1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].exit_code, 0);
}

}  // namespace
}  // namespace loom::executor
