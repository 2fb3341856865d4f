// CronWorkflow documents: Argo's defaults, the checks of a create, and the
// Workflow a run is (common.ConvertCronWorkflowToWorkflowWithProperties).
#include "server/cron_workflow.h"

#include <gtest/gtest.h>

namespace loom::server {
namespace {

using std::chrono::seconds;

spec::TimePoint At(int64_t unix_seconds) { return spec::TimePoint(seconds(unix_seconds)); }

Json Cron() {
  return Json::parse(R"({
    "apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow",
    "metadata": {"name": "nightly", "namespace": "ml", "uid": "cron-uid-1",
                 "labels": {"team": "ml", "workflows.argoproj.io/creator": "alice"}},
    "spec": {
      "schedule": "0 2 * * *", "timezone": "America/New_York",
      "workflowMetadata": {"labels": {"tier": "gold"}, "annotations": {"owner": "ml-team"}},
      "workflowSpec": {"entrypoint": "main",
                       "templates": [{"name": "main", "container": {"image": "alpine", "command": ["true"]}}]}}})");
}

TEST(CronWorkflow, SettingsHaveArgosDefaults) {
  CronSettings settings = ReadCronSettings(Cron());
  EXPECT_EQ(settings.schedules, std::vector<std::string>{"0 2 * * *"});
  EXPECT_EQ(settings.timezone, "America/New_York");
  EXPECT_EQ(settings.concurrency_policy, "");
  EXPECT_FALSE(settings.starting_deadline_seconds);
  EXPECT_EQ(settings.successful_jobs_history_limit, 3);
  EXPECT_EQ(settings.failed_jobs_history_limit, 1);
  EXPECT_FALSE(settings.suspend);
  EXPECT_EQ(settings.ScheduleString(), "CRON_TZ=America/New_York 0 2 * * *");

  Json cron = Cron();
  cron["spec"].erase("schedule");
  cron["spec"]["schedules"] = {"0 1 * * *", "@hourly"};
  cron["spec"]["startingDeadlineSeconds"] = 60;
  cron["spec"]["successfulJobsHistoryLimit"] = 0;
  cron["spec"]["failedJobsHistoryLimit"] = -1;  // negative: the default, as in Argo
  cron["spec"]["suspend"] = true;
  settings = ReadCronSettings(cron);
  EXPECT_EQ(settings.ScheduleString(),
            "CRON_TZ=America/New_York 0 1 * * *,CRON_TZ=America/New_York @hourly");
  EXPECT_EQ(settings.starting_deadline_seconds, 60);
  EXPECT_EQ(settings.successful_jobs_history_limit, 0);
  EXPECT_EQ(settings.failed_jobs_history_limit, 1);
  EXPECT_TRUE(settings.suspend);
  auto schedules = settings.ParseSchedules();
  ASSERT_TRUE(schedules.ok()) << schedules.error();
  EXPECT_EQ(schedules->size(), 2u);
}

TEST(CronWorkflow, AScheduledRunIsNamedByItsTimeAndOwnedByTheCron) {
  // 2024-05-01T06:00:00Z is 02:00 in New York.
  Json workflow = CronWorkflowToWorkflow(Cron(), At(1714543200), At(1714543201));
  EXPECT_EQ(workflow["kind"], "Workflow");
  EXPECT_EQ(workflow["apiVersion"], "argoproj.io/v1alpha1");
  const Json& metadata = workflow["metadata"];
  EXPECT_EQ(metadata["name"], "nightly-1714543200");
  EXPECT_FALSE(metadata.contains("generateName"));
  EXPECT_EQ(metadata["labels"], Json::parse(R"({"workflows.argoproj.io/cron-workflow": "nightly",
    "workflows.argoproj.io/creator": "alice", "tier": "gold"})"));
  EXPECT_EQ(metadata["annotations"], Json::parse(R"({"owner": "ml-team",
    "workflows.argoproj.io/scheduled-time": "2024-05-01T06:00:00Z"})"));
  EXPECT_EQ(metadata["ownerReferences"], Json::parse(R"([{"apiVersion": "argoproj.io/v1alpha1",
    "kind": "CronWorkflow", "name": "nightly", "uid": "cron-uid-1", "controller": true,
    "blockOwnerDeletion": true}])"));
  EXPECT_EQ(workflow["spec"], Cron()["spec"]["workflowSpec"]);
}

TEST(CronWorkflow, AManualSubmitIsGeneratedAndStampedNow) {
  Json workflow = CronWorkflowToWorkflow(Cron(), std::nullopt, At(1714543261));
  const Json& metadata = workflow["metadata"];
  EXPECT_FALSE(metadata.contains("name"));
  EXPECT_EQ(metadata["generateName"], "nightly-");
  EXPECT_EQ(metadata["annotations"]["workflows.argoproj.io/scheduled-time"],
            "2024-05-01T06:01:01Z");
  // Argo copies the creator labels only to scheduled runs.
  EXPECT_FALSE(metadata["labels"].contains("workflows.argoproj.io/creator"));
  EXPECT_EQ(metadata["labels"]["workflows.argoproj.io/cron-workflow"], "nightly");
}

TEST(CronWorkflow, ChecksReportLinesOfThePrettyPrintedObject) {
  Json cron = Cron();
  cron.erase("apiVersion");  // filled in, as for a workflow
  cron["spec"]["schedule"] = "0 25 * * *";
  auto checked = CheckCronWorkflow(cron, {});
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().code, 400);
  EXPECT_NE(checked.error().message.find(
                "cronWorkflow:14:17: error: cron schedule '0 25 * * *' is malformed: hour field "
                "\"25\": end of range (25) above maximum (23): 25"),
            std::string::npos)
      << checked.error().message << "\n"
      << cron.dump(2);

  cron = Cron();
  cron["spec"]["workflowSpec"]["entrypoint"] = "missing";
  checked = CheckCronWorkflow(cron, {});
  ASSERT_FALSE(checked.ok());
  EXPECT_NE(checked.error().message.find("entrypoint"), std::string::npos)
      << checked.error().message;

  cron = Cron();
  cron["kind"] = "Workflow";
  EXPECT_EQ(CheckCronWorkflow(cron, {}).error().code, 400);

  auto good = CheckCronWorkflow(Cron(), {});
  ASSERT_TRUE(good.ok()) << good.error().message;
  EXPECT_EQ(*good, Cron());
}

TEST(CronWorkflow, TheObjectCarriesWhatTheStoreKeeps) {
  store::StoredObject object;
  object.kind = kCronWorkflowKind;
  object.namespace_ = "ml";
  object.name = "nightly";
  object.uid = "cron-uid-1";
  object.created_at = 1714543200000;
  object.version = 7;
  object.document = Cron();
  object.status = {{"lastScheduledTime", "2024-05-01T06:00:00Z"}, {"active", Json::array()}};
  Json cron = CronObject(object);
  EXPECT_EQ(cron["metadata"]["namespace"], "ml");
  EXPECT_EQ(cron["metadata"]["uid"], "cron-uid-1");
  EXPECT_EQ(cron["metadata"]["creationTimestamp"], "2024-05-01T06:00:00Z");
  EXPECT_EQ(cron["metadata"]["resourceVersion"], "7");
  EXPECT_EQ(cron["status"], object.status);
  EXPECT_EQ(cron["spec"], Cron()["spec"]);
}

}  // namespace
}  // namespace loom::server
