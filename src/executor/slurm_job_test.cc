// The step -> sbatch mapping and squeue's JSON, without a cluster (the
// Slurm executor's tests on a real cluster are tests/slurm_test.cc).
#include "executor/slurm_job.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace loom::executor {
namespace {

bool Has(const std::vector<std::string>& args, const std::string& arg) {
  return std::find(args.begin(), args.end(), arg) != args.end();
}

TEST(SlurmJobTest, RequestsBecomeSbatchOptions) {
  StepRequest request;
  request.id = "fleet-123";
  request.name = "fleet.airport(0:ORD).train";
  request.resources = {1500, 3 * 1024 * 1024 + 1, 2};
  TimePoint now = Clock::now();
  request.deadline = now + std::chrono::seconds(90);
  auto args = SbatchArguments(request, "/shared/steps/fleet-123",
                              {"/opt/loom", "__supervise", "/shared/it's"}, {"--qos=low"}, now);
  EXPECT_TRUE(Has(args, "--parsable"));
  EXPECT_TRUE(Has(args, "--no-requeue"));
  EXPECT_TRUE(Has(args, "--job-name=fleet.airport(0:ORD).train"));
  EXPECT_TRUE(Has(args, "--comment=loom node fleet-123"));
  EXPECT_TRUE(Has(args, "--output=/shared/steps/fleet-123/slurm.out"));
  EXPECT_TRUE(Has(args, "--cpus-per-task=2"));  // 1.5 cores rounded up
  EXPECT_TRUE(Has(args, "--mem=4M"));           // a byte over 3 MiB
  EXPECT_TRUE(Has(args, "--gres=gpu:2"));
  EXPECT_TRUE(Has(args, "--time=3"));  // 90 s -> 2 minutes, plus one
  EXPECT_TRUE(Has(args, "--qos=low"));
  EXPECT_EQ(args.back(), "--wrap=exec '/opt/loom' '__supervise' '/shared/it'\\''s'");
}

TEST(SlurmJobTest, NoRequestsNoResourceOptions) {
  StepRequest request;
  request.id = "a";
  auto args = SbatchArguments(request, "/d", {"loom"}, {}, Clock::now());
  for (const std::string& arg : args) {
    EXPECT_EQ(arg.rfind("--cpus-per-task", 0), std::string::npos) << arg;
    EXPECT_EQ(arg.rfind("--mem", 0), std::string::npos) << arg;
    EXPECT_EQ(arg.rfind("--time", 0), std::string::npos) << arg;
  }
  EXPECT_TRUE(Has(args, "--job-name=a"));  // no node name: the id
}

TEST(SlurmJobTest, TemplateAnnotationsComeAfterEveryJobsOptions) {
  StepRequest request;
  request.id = "a";
  request.annotations = {{kSlurmPartitionAnnotation, "gpu"},
                         {kSlurmAccountAnnotation, "vision"},
                         {kSlurmOptionsAnnotation, " --qos=long  --constraint=a100 "}};
  auto args = SbatchArguments(request, "/d", {"loom"}, {"--partition=cpu"}, Clock::now());
  auto at = [&](const std::string& arg) { return std::find(args.begin(), args.end(), arg); };
  ASSERT_NE(at("--partition=gpu"), args.end());
  EXPECT_LT(at("--partition=cpu"), at("--partition=gpu"));  // sbatch: the last one wins
  EXPECT_TRUE(Has(args, "--account=vision"));
  EXPECT_TRUE(Has(args, "--qos=long"));
  EXPECT_TRUE(Has(args, "--constraint=a100"));
}

TEST(SlurmJobTest, JobIdFromParsableOutput) {
  EXPECT_EQ(*ParseJobId("42\n"), 42);
  EXPECT_EQ(*ParseJobId("42;cluster\n"), 42);
  EXPECT_FALSE(ParseJobId("").ok());
  EXPECT_FALSE(ParseJobId("Submitted batch job 42").ok());
}

TEST(SlurmJobTest, SqueueJsonGivesStatesStagesAndReasons) {
  auto jobs = ParseSqueueJson(R"({"meta": {}, "errors": [], "jobs": [
      {"job_id": 7, "job_state": "PENDING", "state_reason": "Resources", "nodes": ""},
      {"job_id": 8, "job_state": "RUNNING", "state_reason": "None", "nodes": "n1"},
      {"job_id": 9, "job_state": "NODE_FAIL", "state_reason": "None", "nodes": "n2"},
      {"job_id": 10, "job_state": "PENDING", "state_reason": "PartitionConfig", "nodes": ""},
      {"job_id": "junk"}]})");
  ASSERT_TRUE(jobs.ok()) << jobs.error();
  ASSERT_EQ(jobs->size(), 4u);
  EXPECT_EQ(jobs->at(7).stage, JobStage::kQueued);
  EXPECT_EQ(jobs->at(8).stage, JobStage::kRunning);
  EXPECT_EQ(jobs->at(9).stage, JobStage::kEnded);
  EXPECT_EQ(DescribeEnd(jobs->at(9)), "Slurm job 9 ended NODE_FAIL on n2");
  EXPECT_EQ(NeverStarts(jobs->at(7)), "");
  EXPECT_EQ(QueuedNote(jobs->at(7)), "Slurm job 7 is queued: Resources");
  EXPECT_EQ(QueuedNote(jobs->at(8)), "");
  EXPECT_EQ(QueuedNote(jobs->at(9)), "");
  EXPECT_NE(NeverStarts(jobs->at(10)).find("more than any node of its partition has"),
            std::string::npos);
  EXPECT_FALSE(ParseSqueueJson("squeue: error: slurm_load_jobs error").ok());
}

TEST(SlurmJobTest, StagesOfEveryEndState) {
  for (const char* state : {"COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "PREEMPTED",
                            "BOOT_FAIL", "DEADLINE", "OUT_OF_MEMORY"}) {
    EXPECT_EQ(StageOf(state), JobStage::kEnded) << state;
  }
  for (const char* state : {"RUNNING", "COMPLETING", "CONFIGURING", "SUSPENDED"}) {
    EXPECT_EQ(StageOf(state), JobStage::kRunning) << state;
  }
  EXPECT_EQ(StageOf("REQUEUED"), JobStage::kQueued);
}

}  // namespace
}  // namespace loom::executor
