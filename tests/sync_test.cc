// `loom run` of Argo's synchronization examples (our copies in tests/sync/,
// with the ConfigMap they expect in sync-config.yaml): each step prints when
// it started and ended, and the test counts how many really overlapped.
// Also where the limits come from (--sync-config, $LOOM_HOME), and what a
// missing ConfigMap or a bad config file does.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/json.h"
#include "tests/loom_process.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

std::string SyncFile(const std::string& name) { return SourceDir() + "/tests/sync/" + name; }

Json Workflow(const LoomResult& run) {
  Json wf = Json::parse(run.stdout_text, nullptr, false);
  EXPECT_FALSE(wf.is_discarded()) << run.stdout_text << run.stderr_text;
  return wf.is_discarded() ? Json::object() : wf;
}

// The [start, end] (ns) that each Pod of template `tmpl` printed.
std::vector<std::pair<int64_t, int64_t>> Intervals(const Json& wf, const std::string& tmpl) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const auto& [id, node] : wf["status"]["nodes"].items()) {
    if (node.value("type", "") != "Pod" || node.value("templateName", "") != tmpl) continue;
    std::istringstream result(node["outputs"].value("result", ""));
    int64_t start = 0, end = 0;
    result >> start >> end;
    EXPECT_GT(end, start) << node.dump();
    out.emplace_back(start, end);
  }
  return out;
}

// The most intervals that were open at one moment.
int MostAtOnce(std::vector<std::pair<int64_t, int64_t>> intervals) {
  std::vector<std::pair<int64_t, int>> events;
  for (const auto& [start, end] : intervals) {
    events.emplace_back(start, 1);
    events.emplace_back(end, -1);
  }
  std::sort(events.begin(), events.end());  // an end before a start at the same instant
  int open = 0, most = 0;
  for (const auto& [at, change] : events) most = std::max(most, open += change);
  return most;
}

LoomResult RunSynced(const std::string& file, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"run",           SyncFile(file), "--isolation", "none",
                                   "--parallelism", "10",           "-o",          "json"};
  args.insert(args.end(), extra.begin(), extra.end());
  return RunLoom(args, 120);
}

TEST(SyncRun, TemplateSemaphoreRunsTwoOfSixAtATime) {
  LoomResult run =
      RunSynced("synchronization-tmpl-level.yaml", {"--sync-config", SyncFile("sync-config.yaml")});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  Json wf = Workflow(run);
  auto intervals = Intervals(wf, "acquire-lock");
  ASSERT_EQ(intervals.size(), 6u);
  // --parallelism 10 would allow six: the semaphore's limit is what holds them to two.
  EXPECT_EQ(MostAtOnce(intervals), 2);
  EXPECT_FALSE(wf["status"].contains("synchronization")) << "released when done";
}

TEST(SyncRun, MutexesRunOneStepOfEachTemplateAtATime) {
  LoomResult run = RunSynced("synchronization-mutex-tmpl-level.yaml");
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  Json wf = Workflow(run);
  auto welcome = Intervals(wf, "acquire-lock");
  auto test = Intervals(wf, "acquire-lock-1");
  ASSERT_EQ(welcome.size(), 3u);
  ASSERT_EQ(test.size(), 3u);
  EXPECT_EQ(MostAtOnce(welcome), 1);
  EXPECT_EQ(MostAtOnce(test), 1);
  std::vector<std::pair<int64_t, int64_t>> both = welcome;
  both.insert(both.end(), test.begin(), test.end());
  EXPECT_EQ(MostAtOnce(both), 2) << "two mutexes do not exclude each other";
}

TEST(SyncRun, WorkflowLevelSemaphoreIsHeldByTheOnlyWorkflow) {
  LoomResult run =
      RunSynced("synchronization-wf-level.yaml", {"--sync-config", SyncFile("sync-config.yaml")});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  Json wf = Workflow(run);
  EXPECT_EQ(wf["status"].value("phase", ""), "Succeeded");
}

TEST(SyncRun, LimitsComeFromLoomHomeWhenNoFileIsGiven) {
  std::string home = fs::temp_directory_path() / ("loom-sync-home-" + std::to_string(getpid()));
  fs::remove_all(home);
  fs::create_directories(home);
  fs::copy_file(SyncFile("sync-config.yaml"), home + "/synchronization.yaml");
  LoomResult run = RunLoomIn(home, {"run", SyncFile("synchronization-wf-level.yaml"), "--isolation",
                                    "none", "-o", "json"});
  EXPECT_EQ(run.exit_code, 0) << run.stderr_text;
  fs::remove_all(home);
}

TEST(SyncRun, ASemaphoreWithoutItsConfigMapFailsTheWorkflowSayingWhy) {
  LoomResult run = RunSynced("synchronization-wf-level.yaml");
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  Json wf = Workflow(run);
  EXPECT_EQ(wf["status"].value("phase", ""), "Failed");
  std::string message = wf["status"].value("message", "");
  EXPECT_EQ(message.rfind("Failed to acquire the synchronization lock. failed to initialize "
                          "semaphore default/ConfigMap/my-config/workflow with limit: no ConfigMap "
                          "my-config in namespace default",
                          0),
            0u)
      << message;
  EXPECT_FALSE(wf["status"].contains("nodes")) << "nothing ran";

  LoomResult node_level = RunSynced("synchronization-tmpl-level.yaml");
  EXPECT_EQ(node_level.exit_code, 1);
  Json steps = Workflow(node_level);
  int errors = 0;
  for (const auto& [id, node] : steps["status"]["nodes"].items()) {
    if (node.value("templateName", "") != "acquire-lock") continue;
    EXPECT_EQ(node.value("phase", ""), "Error");
    EXPECT_NE(node.value("message", "")
                  .find("failed to initialize semaphore "
                        "default/ConfigMap/my-config/template with limit"),
              std::string::npos);
    ++errors;
  }
  EXPECT_EQ(errors, 6);
}

TEST(SyncRun, ABadConfigFileIsRefusedBeforeAnythingRuns) {
  fs::path dir = fs::temp_directory_path() / ("loom-sync-test-" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::string config = (dir / "bad.yaml").string();
  std::ofstream(config) << "kind: ConfigMap\nmetadata: {name: my-config}\ndata: [1]\n";
  LoomResult run = RunSynced("synchronization-wf-level.yaml", {"--sync-config", config});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find(config + ":3:7: error: data must be a map"), std::string::npos)
      << run.stderr_text;
  EXPECT_FALSE(run.created_runs);
  LoomResult missing = RunSynced("synchronization-wf-level.yaml",
                                 {"--sync-config", (dir / "missing.yaml").string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.stderr_text.find("cannot read synchronization config"), std::string::npos);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace loom
