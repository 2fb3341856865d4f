// The cron loop with a fake clock against a real store and Controller:
// Argo's concurrency policies, the one catch-up run within
// startingDeadlineSeconds after downtime, history limits, suspend and resume,
// and no duplicate runs after a restart (workflow/cron/operator.go).
#include "server/cron_operation.h"
#include "server/cron_test_fixture.h"
#include "server/template_store.h"

namespace loom::server {
namespace {

using std::chrono::milliseconds;

TEST_F(CronTest, EachDueTimeCreatesARunNamedByIt) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("every-minute", "* * * * *", "echo {{workflow.scheduledTime}}"));
  std::optional<spec::TimePoint> next = Turn();
  EXPECT_TRUE(Runs("every-minute").empty());
  ASSERT_TRUE(next);
  EXPECT_EQ(engine::Timestamp(*next), "2030-01-01T10:01:00Z");

  clock_.Set("2030-01-01T10:01:00Z", 200);
  next = Turn();
  std::string run = RunAt("every-minute", "2030-01-01T10:01:00Z");
  EXPECT_EQ(Runs("every-minute"), std::vector<std::string>{run});
  EXPECT_EQ(engine::Timestamp(*next), "2030-01-01T10:02:00Z");
  Json cron = Get("every-minute");
  EXPECT_EQ(ActiveNames(cron), std::vector<std::string>{run});
  EXPECT_EQ(cron["status"]["lastScheduledTime"], "2030-01-01T10:01:00Z");
  EXPECT_EQ(cron["status"]["phase"], "Active");
  EXPECT_EQ(cron["metadata"]["annotations"][kLastUsedScheduleAnnotation], "CRON_TZ=UTC * * * * *");

  EXPECT_EQ(WaitFinished(run), "Succeeded");
  auto stored = Workflow(run);
  const Json metadata = stored->header.document["metadata"];
  EXPECT_EQ(metadata["labels"][kCronWorkflowLabel], "every-minute");
  EXPECT_EQ(metadata["annotations"][kScheduledTimeAnnotation], "2030-01-01T10:01:00Z");
  EXPECT_EQ(metadata["ownerReferences"][0]["uid"], cron["metadata"]["uid"]);
  // The step saw the time it was due as {{workflow.scheduledTime}}.
  ASSERT_EQ(stored->nodes.size(), 1u);
  EXPECT_EQ(stored->nodes.begin()->second["outputs"]["result"], "2030-01-01T10:01:00Z");

  clock_.Set("2030-01-01T10:01:30Z");
  Turn();
  cron = Get("every-minute");
  EXPECT_TRUE(ActiveNames(cron).empty());
  EXPECT_EQ(cron["status"]["succeeded"], 1);
  EXPECT_EQ(cron["status"].value("failed", 0), 0);
}

TEST_F(CronTest, ForbidSkipsADueTimeWhileARunIsActive) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("forbid", "* * * * *", "HOLD", {{"concurrencyPolicy", "Forbid"}}));
  Turn();
  clock_.Set("2030-01-01T10:01:00Z");
  Turn();
  std::string first = RunAt("forbid", "2030-01-01T10:01:00Z");
  clock_.Set("2030-01-01T10:02:00Z");
  Turn();
  EXPECT_EQ(Runs("forbid"), std::vector<std::string>{first});

  ASSERT_TRUE(controller_->Act("default", first, Action::kStop).ok());
  WaitFinished(first);
  clock_.Set("2030-01-01T10:03:00Z");
  Turn();
  EXPECT_EQ(Runs("forbid"),
            (std::vector<std::string>{first, RunAt("forbid", "2030-01-01T10:03:00Z")}));
  EXPECT_EQ(Get("forbid")["status"]["failed"], 1);  // the stopped run
}

TEST_F(CronTest, ReplaceTerminatesTheActiveRunFirst) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("replace", "* * * * *", "HOLD", {{"concurrencyPolicy", "Replace"}}));
  Turn();
  clock_.Set("2030-01-01T10:01:00Z");
  Turn();
  clock_.Set("2030-01-01T10:02:00Z");
  Turn();
  std::string first = RunAt("replace", "2030-01-01T10:01:00Z");
  std::string second = RunAt("replace", "2030-01-01T10:02:00Z");
  EXPECT_EQ(Runs("replace"), (std::vector<std::string>{first, second}));
  EXPECT_EQ(WaitFinished(first), "Failed");
  EXPECT_FALSE(Workflow(second)->header.finished_at);
  // As in Argo, the terminated run leaves status.active at the next reconcile.
  clock_.Set("2030-01-01T10:02:10Z");
  Turn();
  EXPECT_EQ(ActiveNames(Get("replace")), std::vector<std::string>{second});
  EXPECT_EQ(Get("replace")["status"]["failed"], 1);
}

TEST_F(CronTest, AllowLetsRunsOverlap) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("allow", "* * * * *", "HOLD"));
  Turn();
  for (const char* at : {"2030-01-01T10:01:00Z", "2030-01-01T10:02:00Z"}) {
    clock_.Set(at);
    Turn();
  }
  std::vector<std::string> both = {RunAt("allow", "2030-01-01T10:01:00Z"),
                                   RunAt("allow", "2030-01-01T10:02:00Z")};
  EXPECT_EQ(Runs("allow"), both);
  EXPECT_EQ(ActiveNames(Get("allow")), both);
}

TEST_F(CronTest, AfterDowntimeOnlyTheLatestMissedRunStartsWithinTheDeadline) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("catch-up", "* * * * *", "true", {{"startingDeadlineSeconds", 120}}));
  Create(Cron("no-deadline", "* * * * *", "true"));
  Create(Cron("too-late", "* * * * *", "true", {{"startingDeadlineSeconds", 20}}));
  Turn();
  clock_.Set("2030-01-01T10:01:00Z");
  Turn();
  for (const char* cron : {"catch-up", "no-deadline", "too-late"}) {
    WaitFinished(RunAt(cron, "2030-01-01T10:01:00Z"));
  }

  // Down from 10:01 to 10:05:30: due times 10:02 to 10:05 were missed.
  Restart();
  clock_.Set("2030-01-01T10:05:30Z");
  Turn();
  std::string first = RunAt("catch-up", "2030-01-01T10:01:00Z");
  std::string latest = RunAt("catch-up", "2030-01-01T10:05:00Z");
  EXPECT_EQ(Runs("catch-up"), (std::vector<std::string>{first, latest}));
  EXPECT_EQ(Get("catch-up")["status"]["lastScheduledTime"], "2030-01-01T10:05:00Z");
  EXPECT_EQ(Runs("no-deadline").size(), 1u);  // Argo catches up only with a deadline
  EXPECT_EQ(Runs("too-late").size(), 1u);     // 10:05 was 30 s ago, past its 20 s

  // Back on schedule.
  clock_.Set("2030-01-01T10:06:00Z");
  Turn();
  for (const char* cron : {"catch-up", "no-deadline", "too-late"}) {
    EXPECT_EQ(Runs(cron).back(), RunAt(cron, "2030-01-01T10:06:00Z")) << cron;
  }
}

TEST_F(CronTest, AChangedScheduleDoesNotCatchUpTheOldOne) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("changed", "* * * * *", "true", {{"startingDeadlineSeconds", 300}}));
  Turn();
  clock_.Set("2030-01-01T10:01:00Z");
  Turn();
  WaitFinished(RunAt("changed", "2030-01-01T10:01:00Z"));
  // While no server runs, `loom cron` edits the store.
  auto updated = CronStore(*store_).Update(
      "default", "changed",
      Cron("changed", "*/2 * * * *", "true", {{"startingDeadlineSeconds", 300}}));
  ASSERT_TRUE(updated.ok()) << updated.error().message;
  Restart();
  clock_.Set("2030-01-01T10:05:30Z");
  Turn();
  EXPECT_EQ(Runs("changed").size(), 1u);
  clock_.Set("2030-01-01T10:06:00Z");
  Turn();
  EXPECT_EQ(Runs("changed").back(), RunAt("changed", "2030-01-01T10:06:00Z"));
  EXPECT_EQ(Get("changed")["metadata"]["annotations"][kLastUsedScheduleAnnotation],
            "CRON_TZ=UTC */2 * * * *");
}

TEST_F(CronTest, ARunCreatedJustBeforeACrashIsNotCreatedAgain) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("crash", "* * * * *", "HOLD", {{"startingDeadlineSeconds", 300}}));
  Turn();
  clock_.Set("2030-01-01T10:01:00Z");
  Turn();
  Json before = Get("crash")["status"];
  clock_.Set("2030-01-01T10:02:00Z");
  Turn();
  std::string second = RunAt("crash", "2030-01-01T10:02:00Z");
  // The server died after creating the 10:02 run but before writing the
  // status that records it: the store still holds the status of 10:01.
  auto stored = store_->GetObject(kCronWorkflowKind, "default", "crash");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  store::StoredObject object = **stored;
  object.status = before;
  ASSERT_EQ(*store_->UpdateObject(object, object.version), store::ObjectWrite::kDone);

  Restart();
  clock_.Set("2030-01-01T10:02:40Z");
  Turn();  // 10:02 looks missed, within the deadline: its create fails, harmlessly
  EXPECT_EQ(Runs("crash"),
            (std::vector<std::string>{RunAt("crash", "2030-01-01T10:01:00Z"), second}));
  // The run it lost track of is active again.
  std::vector<std::string> active = ActiveNames(Get("crash"));
  EXPECT_NE(std::find(active.begin(), active.end(), second), active.end());
}

TEST_F(CronTest, HistoryLimitsKeepTheNewestFinishedRuns) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("good", "* * * * *", "true", {{"successfulJobsHistoryLimit", 2}}));
  Create(Cron("bad", "* * * * *", "exit 3"));  // failedJobsHistoryLimit defaults to 1
  Turn();
  for (int minute = 1; minute <= 4; ++minute) {
    std::string at = "2030-01-01T10:0" + std::to_string(minute) + ":00Z";
    clock_.Set(at);
    Turn();
    EXPECT_EQ(WaitFinished(RunAt("good", at)), "Succeeded");
    EXPECT_EQ(WaitFinished(RunAt("bad", at)), "Failed");
  }
  clock_.Set("2030-01-01T10:04:30Z");
  Turn();
  EXPECT_EQ(Runs("good"), (std::vector<std::string>{RunAt("good", "2030-01-01T10:03:00Z"),
                                                    RunAt("good", "2030-01-01T10:04:00Z")}));
  EXPECT_EQ(Runs("bad"), std::vector<std::string>{RunAt("bad", "2030-01-01T10:04:00Z")});
  EXPECT_EQ(Get("good")["status"]["succeeded"], 4);
  EXPECT_EQ(Get("bad")["status"]["failed"], 4);
}

TEST_F(CronTest, ASuspendedCronRunsNothingUntilResumed) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("paused", "* * * * *", "true"));
  Turn();
  ASSERT_TRUE(CronStore(*store_).SetSuspend("default", "paused", true).ok());
  for (const char* at : {"2030-01-01T10:01:00Z", "2030-01-01T10:02:00Z"}) {
    clock_.Set(at);
    Turn();
  }
  EXPECT_TRUE(Runs("paused").empty());
  ASSERT_TRUE(CronStore(*store_).SetSuspend("default", "paused", false).ok());
  clock_.Set("2030-01-01T10:02:30Z");
  Turn();
  EXPECT_TRUE(Runs("paused").empty());  // no deadline: the missed ones stay missed
  clock_.Set("2030-01-01T10:03:00Z");
  Turn();
  EXPECT_EQ(Runs("paused"), std::vector<std::string>{RunAt("paused", "2030-01-01T10:03:00Z")});
}

TEST_F(CronTest, AnInvalidStoredCronGetsASpecErrorAndNoSchedule) {
  store::StoredObject object;
  object.kind = kCronWorkflowKind;
  object.name = "broken";
  object.uid = "broken-uid";
  object.document = Cron("broken", "61 * * * *", "true");
  ASSERT_EQ(*store_->CreateObject(object), store::ObjectWrite::kDone);
  clock_.Set("2030-01-01T10:00:30Z");
  EXPECT_FALSE(Turn());
  Json conditions = Get("broken")["status"]["conditions"];
  ASSERT_EQ(conditions.size(), 1u) << conditions.dump();
  EXPECT_EQ(conditions[0]["type"], "SpecError");
  EXPECT_EQ(conditions[0]["status"], "True");
  EXPECT_NE(conditions[0]["message"].get<std::string>().find("minute field \"61\""),
            std::string::npos);
  clock_.Set("2030-01-01T10:01:00Z");
  Turn();
  EXPECT_TRUE(Runs("broken").empty());
}

TEST_F(CronTest, ADeletedCronIsForgotten) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("gone", "* * * * *", "true"));
  Turn();
  ASSERT_TRUE(CronStore(*store_).Delete("default", "gone").ok());
  clock_.Set("2030-01-01T10:01:00Z");
  EXPECT_FALSE(Turn());
  EXPECT_TRUE(Runs("gone").empty());
}

TEST_F(CronTest, AStatusWriteRacingAnEditKeepsBoth) {
  clock_.Set("2030-01-01T10:00:30Z");
  Create(Cron("raced", "* * * * *", "true"));
  auto read = store_->GetObject(kCronWorkflowKind, "default", "raced");
  ASSERT_TRUE(read.ok() && read->has_value());
  clock_.Set("2030-01-01T10:01:00Z");
  CronOperation operation(*store_, *controller_, **read, clock_.Now());
  operation.Run(clock_.Now());
  // Meanwhile a user suspends it.
  ASSERT_TRUE(CronStore(*store_).SetSuspend("default", "raced", true).ok());
  auto written = operation.Persist();
  ASSERT_TRUE(written.ok()) << written.error();
  EXPECT_EQ(written->outcome, store::ObjectWrite::kConflict);
  Json cron = Get("raced");
  EXPECT_EQ(cron["spec"]["suspend"], true);                                // theirs
  EXPECT_EQ(cron["status"]["lastScheduledTime"], "2030-01-01T10:01:00Z");  // ours
  EXPECT_EQ(cron["metadata"]["resourceVersion"], std::to_string(written->version));
}

TEST_F(CronTest, ACronWhoseTemplateWasDeletedGetsASpecErrorAndNoRun) {
  TemplateStore templates(*store_, false);
  Json greet = {
      {"metadata", {{"name", "greet"}}},
      {"spec",
       {{"entrypoint", "hello"},
        {"templates",
         Json::array({{{"name", "hello"},
                       {"container", {{"image", "debian"}, {"command", {"echo", "hello"}}}}}})}}}};
  auto stored = templates.Create("default", greet);
  ASSERT_TRUE(stored.ok()) << stored.error().message;
  Json cron = Cron("greeter", "* * * * *", "true");
  cron["spec"]["workflowSpec"] = {{"workflowTemplateRef", {{"name", "greet"}}}};
  Create(cron);
  ASSERT_TRUE(templates.Delete("default", "greet").ok());

  clock_.Set("2030-01-01T10:00:30Z");
  EXPECT_FALSE(Turn());
  Json conditions = Get("greeter")["status"]["conditions"];
  ASSERT_EQ(conditions.size(), 1u) << conditions.dump();
  EXPECT_EQ(conditions[0]["type"], "SpecError");
  EXPECT_NE(conditions[0]["message"].get<std::string>().find(
                "workflowTemplateRef: WorkflowTemplate 'greet' not found"),
            std::string::npos)
      << conditions.dump();
  clock_.Set("2030-01-01T10:01:00Z");
  Turn();
  EXPECT_TRUE(Runs("greeter").empty());
}

}  // namespace
}  // namespace loom::server
