// `loom run --executor slurm` on the real test cluster (three slurmd nodes
// of 2 CPUs each, see scripts/slurm-test-cluster.sh): steps become jobs that
// squeue shows by node name, requests become Slurm's, Slurm's refusals and
// node failures reach the node's message and its retryStrategy, a queued
// job's reason is its node's message while it waits, and a stop
// cancels every job. (Argo's examples on Slurm: conformance_test.cc.)
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "base/json.h"
#include "tests/loom_process.h"
#include "tests/slurm_cluster.h"

namespace loom {
namespace {

namespace fs = std::filesystem;

class SlurmRun : public testing::Test {
 protected:
  void SetUp() override { UseTestSlurmCluster(); }

  // Writes a workflow file; `name` is made unique to this test process, as
  // jobs of earlier tests stay in squeue for a while.
  std::string Workflow(const std::string& name, const std::string& spec) {
    name_ = name + "-" + std::to_string(getpid());
    fs::path dir = fs::temp_directory_path() / ("loom-slurm-test-" + std::to_string(getpid()));
    fs::create_directories(dir);
    fs::path file = dir / (name + ".yaml");
    std::ofstream(file) << "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: "
                        << name_ << "}\n"
                        << spec;
    return file.string();
  }

  // A workflow of one `true` step with these resource requests.
  static std::string OneStepRequesting(const std::string& requests) {
    return "spec:\n  entrypoint: main\n  templates:\n  - name: main\n    container:\n"
           "      image: alpine\n      command: [\"true\"]\n      resources: {requests: " +
           requests + "}\n";
  }

  static Json Parse(const LoomResult& run) {
    Json wf = Json::parse(run.stdout_text, nullptr, false);
    EXPECT_FALSE(wf.is_discarded()) << run.stdout_text << run.stderr_text;
    return wf.is_discarded() ? Json::object() : wf;
  }

  // This workflow's jobs in `squeue --json --states=all`, once Slurm has
  // ended them all: a job is still RUNNING or COMPLETING for a moment after
  // its step recorded the result Loom acts on, and a cancelled one that ran
  // passes through COMPLETING while Slurm cleans up.
  std::vector<Json> Jobs() const {
    std::vector<Json> mine;
    for (int attempt = 0; attempt < 600; ++attempt) {
      Json all = Json::parse(SlurmCommand({"squeue", "--json", "--states=all"}), nullptr, false);
      mine.clear();
      for (const Json& job :
           all.is_discarded() ? Json::array() : all.value("jobs", Json::array())) {
        if (job.value("comment", "").find("loom node " + name_) == 0) mine.push_back(job);
      }
      if (!all.is_discarded() && std::none_of(mine.begin(), mine.end(), [](const Json& job) {
            std::string state = job.value("job_state", "");
            return state == "RUNNING" || state == "COMPLETING" || state == "PENDING";
          })) {
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return mine;
  }

  std::string name_;
};

TEST_F(SlurmRun, StepsAreJobsNamedAfterTheirNodesWithTheirRequests) {
  std::string file = Workflow("named", R"(spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - {name: first, template: work}
    - - {name: second, template: work}
  - name: work
    metadata:
      annotations: {loom.dev/slurm-partition: debug}
    container:
      image: alpine
      command: [sh, -c, "echo on $SLURMD_NODENAME; cat /proc/self/status | grep -c Cpus_allowed"]
      resources: {requests: {cpu: 1500m, memory: 100Mi}}
)");
  LoomResult run = RunLoom({"run", file, "-o", "json", "--executor", "slurm"}, 120);
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  std::vector<Json> jobs = Jobs();
  ASSERT_EQ(jobs.size(), 2u);
  std::set<std::string> names;
  for (const Json& job : jobs) {
    names.insert(job.value("name", ""));
    EXPECT_EQ(job.value("job_state", ""), "COMPLETED");
    EXPECT_EQ(job.value("cpus", 0), 2) << "1500m rounds up to 2 CPUs";
    EXPECT_EQ(job.value("memory_per_node", 0), 100) << "100Mi is 100 MB per node";
    EXPECT_EQ(job.value("partition", ""), "debug");
  }
  EXPECT_EQ(names, (std::set<std::string>{name_ + "[0].first", name_ + "[1].second"}));
  Json wf = Parse(run);
  for (const auto& [id, node] : wf["status"]["nodes"].items()) {
    if (node.value("type", "") != "Pod") continue;
    EXPECT_EQ(node["outputs"].value("result", "").rfind("on n", 0), 0u) << node.dump();
  }
}

TEST_F(SlurmRun, MoreCpusThanAnyNodeHasFailsWithSlurmsReason) {
  std::string file = Workflow("huge", OneStepRequesting("{cpu: \"8\"}"));
  LoomResult run = RunLoom({"run", file, "-o", "json", "--executor", "slurm"}, 120);
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  Json wf = Parse(run);
  std::string message = wf["status"]["nodes"][name_].value("message", "");
  EXPECT_NE(message.find("PartitionConfig"), std::string::npos) << message;
  EXPECT_NE(message.find("more than any node of its partition has"), std::string::npos) << message;
  for (const Json& job : Jobs()) EXPECT_EQ(job.value("job_state", ""), "CANCELLED");
}

TEST_F(SlurmRun, MemoryAboveEveryNodeIsRefusedBySbatch) {
  std::string file = Workflow("big", OneStepRequesting("{memory: 100Gi}"));
  LoomResult run = RunLoom({"run", file, "-o", "json", "--executor", "slurm"}, 120);
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  Json wf = Parse(run);
  std::string message = wf["status"]["nodes"][name_].value("message", "");
  EXPECT_NE(message.find("sbatch failed"), std::string::npos) << message;
  EXPECT_NE(message.find("Memory specification can not be satisfied"), std::string::npos)
      << message;
}

TEST_F(SlurmRun, StepsOfANodeThatGoesDownAreRetriedAndTheWorkflowSucceeds) {
  std::string file = Workflow("down", R"(spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: model
        template: train
        arguments: {parameters: [{name: idx, value: "{{item}}"}]}
        withSequence: {count: "6"}
  - name: train
    inputs: {parameters: [{name: idx}]}
    retryStrategy: {limit: "2"}
    container:
      image: alpine
      command: [sh, -c, "sleep 6; echo model {{inputs.parameters.idx}} on $SLURMD_NODENAME"]
      resources: {requests: {cpu: "1"}}
)");
  // n2 goes down once it runs one of these steps: 6 jobs on 6 CPUs, so it
  // runs two, but a slow (sanitized) Loom may take seconds to submit them.
  std::thread down([this] {
    for (int attempt = 0; attempt < 600; ++attempt) {
      std::string running = SlurmCommand({"squeue", "-h", "-t", "RUNNING", "-w", "n2", "-o", "%k"});
      if (running.find("loom node " + name_) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    SlurmCommand({"scontrol", "update", "nodename=n2", "state=down", "reason=loom-test"});
  });
  LoomResult run = RunLoom({"run", file, "-o", "json", "--executor", "slurm"}, 180);
  down.join();
  SlurmCommand({"scontrol", "update", "nodename=n2", "state=resume"});
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  Json wf = Parse(run);
  // A step on n2 may also succeed: marking a node down does not always kill
  // its processes, and a result the step recorded before Slurm's verdict
  // reached Loom stands (docs/SLURM.md).
  int failed_on_n2 = 0, succeeded = 0;
  for (const auto& [id, node] : wf["status"]["nodes"].items()) {
    if (node.value("type", "") != "Pod") continue;
    std::string message = node.value("message", "");
    if (node.value("phase", "") == "Failed") {
      EXPECT_NE(message.find("NODE_FAIL on n2"), std::string::npos) << message;
      ++failed_on_n2;
    } else {
      EXPECT_EQ(node.value("phase", ""), "Succeeded") << node.dump();
      ++succeeded;
    }
  }
  if (failed_on_n2 == 0) {
    std::string jobs;
    for (const Json& job : Jobs()) {
      jobs += job.value("name", "") + " " + job.value("job_state", "") + " on " +
              job.value("nodes", "") + "\n";
    }
    ADD_FAILURE() << "n2 went down while it ran steps, yet none failed; Slurm's jobs:\n" << jobs;
  }
  EXPECT_EQ(succeeded, 6);
}

TEST_F(SlurmRun, StopCancelsQueuedAndRunningJobs) {
  std::string file = Workflow("stop", R"(spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: long
        template: long
        withSequence: {count: "5"}
  - name: long
    container:
      image: alpine
      command: [sleep, "300"]
      resources: {requests: {cpu: "2"}}
)");
  // Three run (one per node), two wait in Slurm's queue; Ctrl-C after 4 s.
  LoomResult run = RunLoom({"run", file, "-o", "json", "--executor", "slurm"}, 120, 4.0);
  EXPECT_EQ(run.exit_code, 1) << run.stderr_text;
  Json wf = Parse(run);
  EXPECT_NE(wf["status"].value("message", "").find("Stopped"), std::string::npos);
  std::vector<Json> jobs = Jobs();
  EXPECT_EQ(jobs.size(), 5u);
  for (const Json& job : jobs) {
    EXPECT_EQ(job.value("job_state", ""), "CANCELLED") << job.value("name", "");
  }
}

TEST_F(SlurmRun, AQueuedJobsReasonIsItsNodesMessageUntilItRuns) {
  std::string file = Workflow("queued", R"(spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: wide
        template: wide
        withSequence: {count: "4"}
  - name: wide
    container:
      image: alpine
      command: [sleep, "4"]
      resources: {requests: {cpu: "2"}}
)");
  // Three run (one per node); the fourth waits in Slurm's queue for resources.
  fs::path home = fs::temp_directory_path() / ("loom-slurm-queued-" + std::to_string(getpid()));
  fs::create_directories(home);
  std::atomic<bool> finished{false};
  LoomResult run;
  std::thread runner([&] {
    run = RunLoomIn(home.string(), {"run", file, "-o", "json", "--executor", "slurm"}, 120);
    finished = true;
  });
  std::set<std::string> notes;  // messages of Running nodes, as `loom get` showed them
  while (!finished) {
    Json wf = Json::parse(RunLoomIn(home.string(), {"get", name_, "-o", "json"}, 30).stdout_text,
                          nullptr, false);
    if (!wf.is_discarded()) {
      for (const auto& [id, node] : wf["status"]["nodes"].items()) {
        if (node.value("phase", "") == "Running" && node.value("type", "") == "Pod" &&
            !node.value("message", "").empty()) {
          notes.insert(node.value("message", ""));
        }
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  runner.join();
  ASSERT_EQ(run.exit_code, 0) << run.stderr_text;
  std::string seen;
  for (const std::string& note : notes) seen += note + "\n";
  EXPECT_TRUE(std::any_of(notes.begin(), notes.end(), [](const std::string& note) {
    return note.rfind("Slurm job ", 0) == 0 &&
           note.find(" is queued: Resources") != std::string::npos;
  })) << seen;
  Json wf = Parse(run);
  for (const auto& [id, node] : wf["status"]["nodes"].items()) {
    if (node.value("type", "") != "Pod") continue;
    EXPECT_EQ(node.value("phase", ""), "Succeeded");
    EXPECT_EQ(node.value("message", ""), "") << "the note goes once the job ran";
  }
  fs::remove_all(home);
}

TEST_F(SlurmRun, MachineLimitsAreAUsageErrorOnSlurm) {
  std::string file = Workflow("limits",
                              "spec: {entrypoint: main, templates: [{name: main, "
                              "container: {image: alpine, command: [\"true\"]}}]}\n");
  LoomResult run = RunLoom({"run", file, "--executor", "slurm", "--max-cpu", "4"}, 60);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.stderr_text.find("Slurm decides"), std::string::npos) << run.stderr_text;
  EXPECT_FALSE(run.created_runs);
}

}  // namespace
}  // namespace loom
