// The local executor's process lifecycle and output, with and without
// isolation: stdout/log capture, exit codes, exec failures, deadlines and
// Kill() on whole trees, environment, working dir, scripts, Wake().
#include "executor/local_executor.h"

#include <dirent.h>

#include <atomic>
#include <thread>

#include "executor/executor_test_util.h"

namespace loom::executor {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// The /proc cmdline of `sleep TOKEN`, without its final NUL.
std::string SleepArgv(const std::string& token) { return std::string("sleep") + '\0' + token; }

// Whether any live process runs with exactly this argv (NUL-joined).
bool ProcessRunning(const std::string& argv) {
  DIR* proc = opendir("/proc");
  bool found = false;
  while (dirent* e = readdir(proc)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    std::ifstream in(std::string("/proc/") + e->d_name + "/cmdline");
    std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::ifstream stat(std::string("/proc/") + e->d_name + "/stat");
    std::string state;
    stat >> state >> state >> state;  // pid (comm) state; zombies have no cmdline anyway
    if (cmdline == argv + '\0' && state != "Z") found = true;
  }
  closedir(proc);
  return found;
}

class LifecycleTest : public ExecutorTest, public ::testing::WithParamInterface<Isolation> {
 protected:
  void SetUp() override {
    ExecutorTest::SetUp();
    if (GetParam() == Isolation::kOverlay) LOOM_REQUIRE_ROOT();
    Make(GetParam());
  }
  bool isolated() const { return GetParam() == Isolation::kOverlay; }
  // A token unique to this test run, to find our own sleeps in /proc.
  std::string Token(int n) const { return "30." + std::to_string(getpid()) + std::to_string(n); }
};

TEST_P(LifecycleTest, CapturesStdoutAndLogsBothStreams) {
  StepResult r = Run(Sh("echo", "echo hello; echo oops >&2; printf tail"));
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_text, "hello\ntail");
  EXPECT_EQ(r.message, "");
  EXPECT_LE(r.started_at, r.finished_at);
  std::string log = ReadFile(executor_->LogPath("echo"));
  EXPECT_NE(log.find("hello\n"), std::string::npos);
  EXPECT_NE(log.find("oops\n"), std::string::npos);
  EXPECT_EQ(executor_->running(), 0u);
}

TEST_P(LifecycleTest, WritesTheLogWhereTheRequestSays) {
  StepRequest request = Sh("elsewhere", "echo placed");
  request.log_path = dir_ + "/runs/wf/steps/node/log";
  StepResult r = Run(request);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(ReadFile(request.log_path), "placed\n");
  EXPECT_FALSE(std::filesystem::exists(executor_->LogPath("elsewhere")));
}

TEST_P(LifecycleTest, ExitCodePropagates) {
  StepResult r = Run(Sh("exit3", "exit 3"));
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 3);
}

TEST_P(LifecycleTest, KeepsTheLastStderrLineAsTheReason) {
  StepResult r = Run(Sh("why", "echo early >&2; echo 'no usable rows' >&2; echo out; exit 3"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.stderr_last_line, "no usable rows");
}

TEST_P(LifecycleTest, CrashReportsSignalAsExitCode) {
  StepRequest r;
  r.id = "segv";
  r.command = {"python3", "-c", "import ctypes; ctypes.string_at(0)"};
  EXPECT_EQ(Run(r).exit_code, 128 + SIGSEGV);
}

TEST_P(LifecycleTest, UnexecutableCommandDoesNotStart) {
  StepRequest r;
  r.id = "exit";
  r.command = {"exit", "1"};
  StepResult result = Run(r);
  EXPECT_FALSE(result.started);
  EXPECT_EQ(result.message, "exec \"exit\": No such file or directory");

  r.id = "noexec";
  r.command = {"/etc/passwd"};
  result = Run(r);
  EXPECT_FALSE(result.started);
  EXPECT_EQ(result.message, "exec \"/etc/passwd\": Permission denied");
}

TEST_P(LifecycleTest, DeadlineKillsTheWholeTree) {
  std::string child = Token(1), daemon = Token(2);
  // A background child, and (isolated only: it leaves the process group) a setsid daemon.
  std::string script =
      "sleep " + child + " & " + (isolated() ? "setsid sleep " + daemon + " & " : "") + "sleep 30";
  StepRequest r = Sh("deadline", script);
  r.deadline = Clock::now() + milliseconds(300);
  auto begin = std::chrono::steady_clock::now();
  StepResult result = Run(r);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, seconds(5));
  EXPECT_TRUE(result.started);
  EXPECT_TRUE(result.deadline_exceeded);
  EXPECT_FALSE(result.killed);
  EXPECT_EQ(result.exit_code, 128 + SIGKILL);
  EXPECT_EQ(result.message, "Pod was active on the node longer than the specified deadline");
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_FALSE(ProcessRunning(SleepArgv(child)));
  EXPECT_FALSE(ProcessRunning(SleepArgv(daemon)));
}

TEST_P(LifecycleTest, KillKillsTheWholeTree) {
  std::string child = Token(3);
  executor_->Start(Sh("victim", "sleep " + child + " & sleep 30"));
  EXPECT_TRUE(executor_->Wait(milliseconds(300)).empty());
  EXPECT_TRUE(ProcessRunning(SleepArgv(child)));
  EXPECT_EQ(executor_->running(), 1u);
  executor_->Kill("victim");
  executor_->Kill("unknown");  // ignored
  auto results = WaitAll(1);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].killed);
  EXPECT_EQ(results[0].exit_code, 128 + SIGKILL);
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_FALSE(ProcessRunning(SleepArgv(child)));
}

TEST_P(LifecycleTest, LeftoversDieWithTheStep) {
  std::string child = Token(4);
  auto begin = std::chrono::steady_clock::now();
  // The background sleep keeps stdout open: the step must end anyway.
  StepResult r = Run(Sh("leftover", "sleep " + child + " & echo started"));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, seconds(5));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_text, "started\n");
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_FALSE(ProcessRunning(SleepArgv(child)));
}

TEST_P(LifecycleTest, WorkingDirIsCreated) {
  std::string wd = isolated() ? "/loom-test-wd/a/b" : dir_ + "/wd/a/b";
  StepRequest r = Sh("wd", "pwd");
  r.working_dir = wd;
  EXPECT_EQ(Run(r).stdout_text, wd + "\n");
  if (isolated()) {
    EXPECT_FALSE(std::filesystem::exists("/loom-test-wd"));
  }
}

TEST_P(LifecycleTest, ScriptIsWrittenAsAnExecutableFile) {
  StepRequest r;
  r.id = "script";
  r.command = {"sh", "-c"};
  r.script = "#!/bin/sh\necho \"from $0\"\n";
  StepResult result = Run(r);
  EXPECT_EQ(result.exit_code, 0) << ReadFile(executor_->LogPath("script"));
  EXPECT_EQ(result.stdout_text.rfind("from /", 0), 0u) << result.stdout_text;

  r.id = "python";
  r.command = {"python3"};
  r.script = "print(6 * 7)";
  EXPECT_EQ(Run(r).stdout_text, "42\n");
}

TEST_P(LifecycleTest, EnvironmentIsCleanAndContainerLike) {
  setenv("LOOM_TEST_LEAK", "1", 1);
  StepRequest r = Sh("env",
                     "command -v python3; command -v python; echo $HOME ${LOOM_TEST_LEAK:-none} "
                     "${OMP_NUM_THREADS:-unset} $MINE");
  r.env = {{"MINE", "mine"}};
  EXPECT_EQ(Run(r).stdout_text, "/usr/bin/python3\n/usr/bin/python\n/root none unset mine\n");

  r = Sh("cpu",
         "echo $OMP_NUM_THREADS $MKL_NUM_THREADS $OPENBLAS_NUM_THREADS $NUMEXPR_NUM_THREADS");
  r.resources.cpu_millis = 1500;
  EXPECT_EQ(Run(r).stdout_text, "2 2 2 2\n");
  r.id = "cpu-small";
  r.resources.cpu_millis = 100;
  r.env = {{"MKL_NUM_THREADS", "7"}};
  EXPECT_EQ(Run(r).stdout_text, "1 7 1 1\n");
}

TEST_P(LifecycleTest, StdoutCaptureIsCapped) {
  StepResult r = Run(Sh("big", "head -c 300000 /dev/zero"));
  EXPECT_EQ(r.stdout_text.size(), 256u * 1024);
  EXPECT_EQ(std::filesystem::file_size(executor_->LogPath("big")), 300000u);
}

INSTANTIATE_TEST_SUITE_P(Isolation, LifecycleTest,
                         ::testing::Values(Isolation::kNone, Isolation::kOverlay),
                         [](const auto& info) {
                           return info.param == Isolation::kNone ? "None" : "Overlay";
                         });

TEST_F(ExecutorTest, SelfSignalGives128PlusN) {
  Make(Isolation::kNone);  // in a PID namespace the step is init, which ignores its own signals
  EXPECT_EQ(Run(Sh("term", "kill -TERM $$")).exit_code, 128 + SIGTERM);
}

TEST_F(ExecutorTest, LogLinesAreStreamedWithTheNodeName) {
  std::vector<std::string> lines;
  LocalExecutorOptions options;
  options.on_log_line = [&](const std::string& node, const std::string& line, bool is_stderr) {
    lines.push_back(node + (is_stderr ? " err " : " out ") + line);
  };
  Make(Isolation::kAuto, options);
  Run(Sh("lines", "echo one; echo two >&2; printf 'three'"));
  std::sort(lines.begin(), lines.end());
  EXPECT_EQ(lines, (std::vector<std::string>{"node-lines err two", "node-lines out one",
                                             "node-lines out three"}));
}

TEST_F(ExecutorTest, WakeInterruptsWait) {
  Make(Isolation::kNone);
  executor_->Start(Sh("slow", "sleep 30"));
  std::thread waker([&] {
    std::this_thread::sleep_for(milliseconds(100));
    executor_->Wake();
  });
  auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(executor_->Wait(seconds(20)).empty());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, seconds(5));
  waker.join();
  EXPECT_EQ(executor_->running(), 1u);
}

TEST_F(ExecutorTest, ManyStepsRunInParallel) {
  Make(Isolation::kAuto);
  for (int i = 0; i < 8; ++i) executor_->Start(Sh("p" + std::to_string(i), "sleep 0.3; echo $0"));
  EXPECT_EQ(executor_->running(), 8u);
  auto begin = std::chrono::steady_clock::now();
  auto results = WaitAll(8);
  EXPECT_EQ(results.size(), 8u);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, seconds(3));
  for (const StepResult& r : results) EXPECT_EQ(r.stdout_text, "sh\n");
  EXPECT_EQ(executor_->running(), 0u);
}

}  // namespace
}  // namespace loom::executor
