// /api/v1/cron-workflows against an in-process server: Argo Server's
// CronWorkflowService (create, list, get, update, suspend, resume, lint,
// delete) and the server's cron loop firing a real schedule.
#include "server/cron_workflow.h"
#include "server/server_test_fixture.h"

namespace loom::server {
namespace {

class CronApiTest : public ServerTest {
 protected:
  static Json Cron(const std::string& name, const std::string& schedule) {
    return {{"metadata", {{"name", name}, {"labels", {{"team", "ml"}}}}},
            {"spec",
             {{"schedule", schedule},
              {"workflowSpec",
               {{"entrypoint", "main"},
                {"templates",
                 {{{"name", "main"},
                   {"container", {{"image", "debian"}, {"command", {"sh", "-c", "true"}}}}}}}}}}}};
  }
  Json Post(const std::string& path, const Json& cron, int* status) {
    return Call("POST", path, Json{{"cronWorkflow", cron}}, status);
  }
  Json Put(const std::string& path, const Json& body, int* status) {
    auto result = Client()->Put(path, body.dump(), "application/json");
    EXPECT_TRUE(result);
    if (!result) return nullptr;
    *status = result->status;
    return Json::parse(result->body, nullptr, false);
  }
  // Names of the workflows carrying the cron-workflow label `cron`.
  std::vector<std::string> Runs(const std::string& cron) {
    Json list = Call("GET", "/api/v1/workflows/default?listOptions.labelSelector=" +
                                std::string(kCronWorkflowLabel) + "%3D" + cron);
    std::vector<std::string> names;
    for (const Json& wf : list["items"]) names.push_back(wf["metadata"].value("name", ""));
    return names;
  }
};

TEST_F(CronApiTest, CreateGetListUpdateSuspendResumeDelete) {
  StartServer();
  int status = 0;
  Json created = Post("/api/v1/cron-workflows/default", Cron("nightly", "0 2 * * *"), &status);
  ASSERT_EQ(status, 200) << created.dump();
  EXPECT_EQ(created["kind"], "CronWorkflow");
  EXPECT_EQ(created["metadata"]["namespace"], "default");
  EXPECT_EQ(created["metadata"]["resourceVersion"], "1");
  EXPECT_FALSE(created["metadata"].value("uid", "").empty());
  EXPECT_FALSE(created["metadata"].value("creationTimestamp", "").empty());

  Json again = Post("/api/v1/cron-workflows/default", Cron("nightly", "0 3 * * *"), &status);
  EXPECT_EQ(status, 409) << again.dump();

  Json got = Call("GET", "/api/v1/cron-workflows/default/nightly", nullptr, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(got["spec"]["schedule"], "0 2 * * *");
  Json missing = Call("GET", "/api/v1/cron-workflows/default/weekly", nullptr, &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(missing["message"], "cron workflow \"weekly\" not found in namespace \"default\"");

  Post("/api/v1/cron-workflows/default", Cron("hourly", "@hourly"), &status);
  Json other = Cron("elsewhere", "@daily");
  other["metadata"]["labels"]["team"] = "web";
  Post("/api/v1/cron-workflows/default", other, &status);
  Json listed = Call("GET", "/api/v1/cron-workflows/default?listOptions.labelSelector=team%3Dml");
  ASSERT_EQ(listed["items"].size(), 2u) << listed.dump();
  EXPECT_EQ(listed["items"][0]["metadata"]["name"], "hourly");
  EXPECT_EQ(listed["items"][1]["metadata"]["name"], "nightly");
  EXPECT_EQ(Call("GET", "/api/v1/cron-workflows/")["items"].size(), 3u);

  Json changed = Cron("nightly", "30 2 * * *");
  changed["metadata"]["resourceVersion"] = "1";
  Json updated =
      Put("/api/v1/cron-workflows/default/nightly", Json{{"cronWorkflow", changed}}, &status);
  EXPECT_EQ(status, 200) << updated.dump();
  EXPECT_EQ(updated["spec"]["schedule"], "30 2 * * *");
  EXPECT_EQ(updated["metadata"]["uid"], created["metadata"]["uid"]);
  EXPECT_EQ(updated["metadata"]["resourceVersion"], "2");
  // A second update from the same stale read is refused, as Kubernetes refuses it.
  Put("/api/v1/cron-workflows/default/nightly", Json{{"cronWorkflow", changed}}, &status);
  EXPECT_EQ(status, 409);

  Json suspended = Put("/api/v1/cron-workflows/default/nightly/suspend", Json::object(), &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(suspended["spec"]["suspend"], true);
  Json resumed = Put("/api/v1/cron-workflows/default/nightly/resume", Json::object(), &status);
  EXPECT_EQ(status, 200);
  EXPECT_FALSE(resumed["spec"].contains("suspend"));

  Json deleted = Call("DELETE", "/api/v1/cron-workflows/default/nightly", nullptr, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(deleted, Json::object());
  Call("DELETE", "/api/v1/cron-workflows/default/nightly", nullptr, &status);
  EXPECT_EQ(status, 404);
}

TEST_F(CronApiTest, BadCronWorkflowsAre400WithLintMessages) {
  StartServer();
  int status = 0;
  Json bad = Cron("bad", "0 0 31 2 MON-FRY");
  Json answer = Post("/api/v1/cron-workflows/default", bad, &status);
  EXPECT_EQ(status, 400);
  std::string message = answer.value("message", "");
  EXPECT_NE(message.find("cronWorkflow:"), std::string::npos) << message;
  EXPECT_NE(message.find("day-of-week field \"MON-FRY\""), std::string::npos) << message;
  Call("GET", "/api/v1/cron-workflows/default/bad", nullptr, &status);
  EXPECT_EQ(status, 404);  // nothing half-done

  bad = Cron("bad", "@daily");
  bad["spec"]["timezone"] = "Atlantis/Capital";
  answer =
      Call("POST", "/api/v1/cron-workflows/default/lint", Json{{"cronWorkflow", bad}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(answer.value("message", "").find("unknown time zone Atlantis/Capital"),
            std::string::npos)
      << answer.dump();
  Json good = Call("POST", "/api/v1/cron-workflows/default/lint",
                   Json{{"cronWorkflow", Cron("good", "@daily")}}, &status);
  EXPECT_EQ(status, 200) << good.dump();
  EXPECT_EQ(good["kind"], "CronWorkflow");
  Call("GET", "/api/v1/cron-workflows/default/good", nullptr, &status);
  EXPECT_EQ(status, 404);  // lint creates nothing

  answer = Call("POST", "/api/v1/cron-workflows/default", Json{{"workflow", good}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(answer["message"], "the request body must be {\"cronWorkflow\": {...}}");
}

TEST_F(CronApiTest, SubmitFromACronWorkflowRunsItOnceNow) {
  StartServer();
  int status = 0;
  Json cron = Post("/api/v1/cron-workflows/default", Cron("manual", "0 2 * * *"), &status);
  ASSERT_EQ(status, 200);
  Json body = {{"resourceKind", "CronWorkflow"},
               {"resourceName", "manual"},
               {"submitOptions", {{"labels", "trigger=hand"}}}};
  Json created = Call("POST", "/api/v1/workflows/default/submit", body, &status);
  ASSERT_EQ(status, 200) << created.dump();
  const Json& metadata = created["metadata"];
  EXPECT_EQ(metadata["generateName"], "manual-");
  EXPECT_EQ(metadata["labels"][kCronWorkflowLabel], "manual");
  EXPECT_EQ(metadata["labels"]["trigger"], "hand");
  EXPECT_TRUE(metadata["annotations"].contains(kScheduledTimeAnnotation));
  EXPECT_EQ(metadata["ownerReferences"][0]["uid"], cron["metadata"]["uid"]);
  WaitForPhase(metadata.value("name", ""), "Succeeded");

  body["resourceName"] = "nothing";
  Call("POST", "/api/v1/workflows/default/submit", body, &status);
  EXPECT_EQ(status, 404);
}

TEST_F(CronApiTest, TheServerRunsTheScheduleAndDeleteTakesTheRunsAlong) {
  StartServer();
  int status = 0;
  Json cron = Cron("often", "@every 1s");
  Post("/api/v1/cron-workflows/default", cron, &status);
  ASSERT_EQ(status, 200);
  auto end = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (Runs("often").size() < 2 && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::vector<std::string> runs = Runs("often");
  ASSERT_GE(runs.size(), 2u);
  for (const std::string& run : runs) EXPECT_EQ(run.rfind("often-", 0), 0u) << run;
  Json got = Call("GET", "/api/v1/cron-workflows/default/often");
  EXPECT_EQ(got["status"]["phase"], "Active");
  EXPECT_TRUE(got["status"].contains("lastScheduledTime")) << got.dump();

  Call("DELETE", "/api/v1/cron-workflows/default/often", nullptr, &status);
  EXPECT_EQ(status, 200);
  // A run the loop was creating as the delete came is deleted by the loop.
  end = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!Runs("often").empty() && std::chrono::steady_clock::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(Runs("often").empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_TRUE(Runs("often").empty());  // and nothing more comes
}

}  // namespace
}  // namespace loom::server
