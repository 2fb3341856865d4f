// The REST API end to end: submit, get, list, logs, errors, auth, version
// and metrics, against a real server, store and processes.
#include "expr/regex.h"
#include "server/server_test_fixture.h"

namespace loom::server {
namespace {

// Our Go-syntax regexp, not <regex>: g++ 12 warns inside <regex> under the sanitizers.
bool Matches(const std::string& pattern, const std::string& text) {
  auto regex = expr::Regex::Compile(pattern);
  return regex.ok() && (*regex)->Search(text);
}

TEST_F(ServerTest, RunsATwoStepWorkflowToSuccess) {
  StartServer();
  int status = 0;
  Json created =
      Submit(Sequence("two-steps", {{"one", "echo hi"}, {"two", "echo there"}}), &status);
  ASSERT_EQ(status, 200) << created.dump();
  EXPECT_EQ(created["metadata"]["name"], "two-steps");
  EXPECT_EQ(created["metadata"]["namespace"], "default");
  EXPECT_FALSE(created["metadata"].value("uid", "").empty());
  EXPECT_TRUE(created["metadata"].contains("creationTimestamp"));

  Json done = WaitForPhase("two-steps", "Succeeded");
  EXPECT_EQ(done["status"]["progress"], "2/2");
  EXPECT_EQ(done["metadata"]["labels"]["workflows.argoproj.io/completed"], "true");
  for (const char* step : {"one", "two"}) {
    Json node = Node(done, step);
    ASSERT_TRUE(node.is_object()) << step;
    EXPECT_EQ(node["phase"], "Succeeded");
  }
  EXPECT_EQ(Node(done, "one")["outputs"]["result"], "hi");
  EXPECT_EQ(Node(done, "two")["outputs"]["result"], "there");
}

TEST_F(ServerTest, LogsEndpointStreamsTheStepsLines) {
  StartServer();
  Submit(Sequence("logs", {{"say", "echo first; echo second; echo third"}}));
  Json done = WaitForPhase("logs", "Succeeded");
  std::string id = Node(done, "say")["id"];

  auto client = Client();
  auto all = client->Get("/api/v1/workflows/default/logs/log?podName=" + id +
                         "&logOptions.container=main");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->status, 200);
  std::vector<std::string> lines;
  std::istringstream body(all->body);
  for (std::string line; std::getline(body, line);) {
    Json entry = Json::parse(line);
    EXPECT_EQ(entry["result"]["podName"], id);
    lines.push_back(entry["result"]["content"]);
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"first", "second", "third"}));

  auto tail = client->Get("/api/v1/workflows/default/logs/log?podName=say&logOptions.tailLines=1");
  ASSERT_TRUE(tail);
  EXPECT_EQ(Json::parse(tail->body)["result"]["content"], "third");

  auto grep = client->Get("/api/v1/workflows/default/logs/log?grep=^s");
  ASSERT_TRUE(grep);
  EXPECT_EQ(Json::parse(grep->body)["result"]["content"], "second");

  auto follow = client->Get("/api/v1/workflows/default/logs/log?logOptions.follow=true");
  ASSERT_TRUE(follow);
  EXPECT_NE(follow->body.find("third"), std::string::npos);
}

TEST_F(ServerTest, FollowedLogsEndWhenTheWorkflowEnds) {
  StartServer();
  Submit(Sequence("follow", {{"slow", "echo begin; sleep 1; echo end"}}));
  auto client = Client();
  auto follow = client->Get("/api/v1/workflows/default/follow/log?logOptions.follow=true");
  ASSERT_TRUE(follow);
  EXPECT_NE(follow->body.find("\"begin\""), std::string::npos);
  EXPECT_NE(follow->body.find("\"end\""), std::string::npos);
  EXPECT_EQ(Call("GET", "/api/v1/workflows/default/follow")["status"]["phase"], "Succeeded");
}

TEST_F(ServerTest, ListsWithSelectorsAndPrefix) {
  StartServer();
  Json a = Sequence("alpha-1", {{"s", "true"}});
  a["metadata"]["labels"] = {{"team", "red"}};
  Json b = Sequence("alpha-2", {{"s", "true"}});
  b["metadata"]["labels"] = {{"team", "blue"}};
  Json c = Sequence("beta-1", {{"s", "true"}});
  for (const Json& w : {a, b, c}) Submit(w);
  for (const char* name : {"alpha-1", "alpha-2", "beta-1"}) WaitForPhase(name, "Succeeded");

  auto names = [&](const std::string& query) {
    Json list = Call("GET", "/api/v1/workflows/default?" + query);
    std::set<std::string> out;
    for (const Json& item : list["items"]) {
      EXPECT_FALSE(item["status"].contains("nodes"));
      out.insert(item["metadata"]["name"].get<std::string>());
    }
    return out;
  };
  using Names = std::set<std::string>;
  EXPECT_EQ(names(""), (Names{"alpha-1", "alpha-2", "beta-1"}));
  EXPECT_EQ(names("listOptions.labelSelector=team=red"), (Names{"alpha-1"}));
  EXPECT_EQ(names("listOptions.labelSelector=team!=red"), (Names{"alpha-2", "beta-1"}));
  EXPECT_EQ(names("listOptions.labelSelector=team"), (Names{"alpha-1", "alpha-2"}));
  EXPECT_EQ(names("listOptions.labelSelector=!team"), (Names{"beta-1"}));
  EXPECT_EQ(names("listOptions.fieldSelector=metadata.name=beta-1"), (Names{"beta-1"}));
  EXPECT_EQ(names("listOptions.fieldSelector=status.phase=Succeeded").size(), 3u);
  EXPECT_EQ(names("namePrefix=alpha-"), (Names{"alpha-1", "alpha-2"}));
  EXPECT_EQ(names("phase=Failed"), Names{});
  EXPECT_EQ(names("listOptions.limit=2").size(), 2u);
  EXPECT_EQ(names("createdAfter=2000-01-01T00:00:00Z").size(), 3u);
  EXPECT_EQ(names("createdAfter=2200-01-01T00:00:00Z"), Names{});
  Json everywhere = Call("GET", "/api/v1/workflows/");
  EXPECT_EQ(everywhere["items"].size(), 3u);
  Json elsewhere = Call("GET", "/api/v1/workflows/other");
  EXPECT_EQ(elsewhere["items"].size(), 0u);
}

TEST_F(ServerTest, InvalidWorkflowIs400WithLineAndColumn) {
  StartServer();
  Json bad = Sequence("bad", {{"s", "true"}});
  bad["spec"]["entrypoint"] = "nowhere";
  int status = 0;
  Json error = Submit(bad, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(error["code"], 400);
  std::string message = error["message"];
  EXPECT_TRUE(Matches("workflow:[0-9]+:[0-9]+: error: ", message)) << message;
  EXPECT_NE(message.find("nowhere"), std::string::npos) << message;
}

TEST_F(ServerTest, BadRequestsSayWhatIsWrong) {
  StartServer();
  auto client = Client();
  auto bad_json = client->Post("/api/v1/workflows/default", "{\"workflow\": ", "application/json");
  ASSERT_TRUE(bad_json);
  EXPECT_EQ(bad_json->status, 400);
  EXPECT_NE(bad_json->body.find("column"), std::string::npos) << bad_json->body;

  int status = 0;
  Json missing = Call("GET", "/api/v1/workflows/default/nope", nullptr, &status);
  EXPECT_EQ(status, 404);
  EXPECT_NE(missing["message"].get<std::string>().find("nope"), std::string::npos);

  Call("GET", "/api/v1/no-such-thing", nullptr, &status);
  EXPECT_EQ(status, 404);
  Call("PUT", "/api/v1/workflows/default", nullptr, &status);
  EXPECT_EQ(status, 405);
  Call("PUT", "/api/v1/workflows/default/nope/stop", nullptr, &status);
  EXPECT_EQ(status, 404);
}

TEST_F(ServerTest, DuplicateNameIs409) {
  StartServer();
  int status = 0;
  Submit(Sequence("twice", {{"s", "true"}}), &status);
  EXPECT_EQ(status, 200);
  Json error = Submit(Sequence("twice", {{"s", "true"}}), &status);
  EXPECT_EQ(status, 409);
  EXPECT_NE(error["message"].get<std::string>().find("already exists"), std::string::npos);
  WaitForPhase("twice", "Succeeded");
}

TEST_F(ServerTest, GenerateNameAndDryRun) {
  StartServer();
  Json workflow = Sequence("", {{"s", "true"}});
  workflow["metadata"] = {{"generateName", "gen-"}};
  int status = 0;
  Json dry = Call("POST", "/api/v1/workflows/default",
                  Json{{"workflow", workflow}, {"serverDryRun", true}}, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/workflows/default")["items"].size(), 0u);
  Json created = Submit(workflow);
  std::string name = created["metadata"]["name"];
  EXPECT_TRUE(Matches("^gen-[a-z0-9]{5}$", name)) << name;
  EXPECT_NE(dry["metadata"]["name"], "");
  WaitForPhase(name, "Succeeded");
}

TEST_F(ServerTest, RequiresTheBearerToken) {
  StartServer();
  auto anonymous = Client(false);
  auto denied = anonymous->Get("/api/v1/workflows/default");
  ASSERT_TRUE(denied);
  EXPECT_EQ(denied->status, 401);
  EXPECT_EQ(denied->body.find(kTestToken), std::string::npos);
  anonymous->set_bearer_token_auth("wrong");
  EXPECT_EQ(anonymous->Get("/api/v1/version")->status, 401);
  auto allowed = Client()->Get("/api/v1/workflows/default");
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->status, 200);
}

TEST_F(ServerTest, EveryResponseCarriesTheVersion) {
  StartServer();
  auto client = Client();
  auto version = client->Get("/api/v1/version");
  ASSERT_TRUE(version);
  EXPECT_EQ(Json::parse(version->body)["version"], version->get_header_value("X-Loom-Version"));
  EXPECT_FALSE(version->get_header_value("X-Loom-Version").empty());
  auto missing = client->Get("/nothing");
  EXPECT_FALSE(missing->get_header_value("X-Loom-Version").empty());
  auto denied = Client(false)->Get("/api/v1/version");
  EXPECT_FALSE(denied->get_header_value("X-Loom-Version").empty());
}

TEST_F(ServerTest, MetricsCountStepsAndWorkflows) {
  StartServer();
  Submit(Sequence("counted", {{"a", "true"}, {"b", "exit 3"}}));
  WaitForPhase("counted", "Failed");
  auto metrics = Client()->Get("/metrics");
  ASSERT_TRUE(metrics);
  const std::string& text = metrics->body;
  EXPECT_NE(text.find("loom_workflows{phase=\"Failed\"} 1"), std::string::npos) << text;
  EXPECT_NE(text.find("loom_steps_started_total 2"), std::string::npos) << text;
  EXPECT_NE(text.find("loom_steps_finished_total{phase=\"Succeeded\"} 1"), std::string::npos);
  EXPECT_NE(text.find("loom_steps_finished_total{phase=\"Failed\"} 1"), std::string::npos);
  EXPECT_NE(text.find("loom_queue_depth 0"), std::string::npos);
  EXPECT_NE(text.find("loom_step_duration_seconds_count 2"), std::string::npos);
  EXPECT_NE(text.find("loom_step_duration_seconds_bucket{le=\"+Inf\"} 2"), std::string::npos);
}

TEST_F(ServerTest, RunsTwoWorkflowsAtOnce) {
  StartServer();
  // Each waits for the other's file: they finish only if both run together.
  std::string dir = home_ + "/meet";
  std::filesystem::create_directories(dir);
  auto meet = [&](const std::string& me, const std::string& other) {
    return "touch " + dir + "/" + me + "; for i in $(seq 100); do [ -e " + dir + "/" + other +
           " ] && exit 0; sleep 0.1; done; exit 1";
  };
  Submit(Sequence("left", {{"s", meet("left", "right")}}));
  Submit(Sequence("right", {{"s", meet("right", "left")}}));
  WaitForPhase("left", "Succeeded");
  WaitForPhase("right", "Succeeded");
}

}  // namespace
}  // namespace loom::server
