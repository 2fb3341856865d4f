// PUT .../retry: a failed workflow runs again under its name, reusing the
// steps that succeeded, with new parameter values; and what it refuses.
#include <fstream>
#include <sstream>

#include "server/server_test_fixture.h"

namespace loom::server {
namespace {

class RetryTest : public ServerTest {
 protected:
  // "first" appends to a file (so runs can be counted); "second" fails unless flag=ok.
  Json Flaky() const {
    Json workflow = Sequence("flaky", {{"first", "echo ran >> " + home_ + "/first"},
                                       {"second", "test {{workflow.parameters.flag}} = ok"}});
    workflow["spec"]["arguments"]["parameters"] = {{{"name", "flag"}, {"value", "bad"}}};
    return workflow;
  }

  Json Retry(const Json& body, int* status) const {
    auto result =
        Client()->Put("/api/v1/workflows/default/flaky/retry", body.dump(), "application/json");
    EXPECT_TRUE(result);
    if (!result) return nullptr;
    *status = result->status;
    return Json::parse(result->body, nullptr, false);
  }

  int Runs() const {
    std::ifstream in(home_ + "/first");
    int lines = 0;
    for (std::string line; std::getline(in, line);) ++lines;
    return lines;
  }
};

TEST_F(RetryTest, RerunsFailedStepsWithNewParametersAndReusesTheRest) {
  StartServer();
  int status = 0;
  Json created = Submit(Flaky(), &status);
  ASSERT_EQ(status, 200) << created.dump();
  Json failed = WaitForPhase("flaky", "Failed");
  ASSERT_EQ(failed["status"]["phase"], "Failed");
  EXPECT_EQ(Runs(), 1);

  Json retried = Retry({{"parameters", {"flag=ok"}}}, &status);
  ASSERT_EQ(status, 200) << retried.dump();
  EXPECT_EQ(retried["metadata"]["name"], "flaky");
  EXPECT_NE(retried["metadata"]["uid"], failed["metadata"]["uid"]);
  Json done = WaitForPhase("flaky", "Succeeded");
  ASSERT_EQ(done["status"]["phase"], "Succeeded") << done["status"].dump(2);
  EXPECT_EQ(Runs(), 1);  // "first" was reused, not run again
  EXPECT_EQ(done["spec"]["arguments"]["parameters"][0]["value"], "ok");
  EXPECT_EQ(done["metadata"]["creationTimestamp"], failed["metadata"]["creationTimestamp"]);
  Json list = Call("GET", "/api/v1/workflows/default");
  EXPECT_EQ(list["items"].size(), 1u);  // replaced, not added

  Retry(Json::object(), &status);
  EXPECT_EQ(status, 409);  // it Succeeded
}

TEST_F(RetryTest, RestartSuccessfulRerunsTheSelectedSteps) {
  StartServer();
  int status = 0;
  Submit(Flaky(), &status);
  ASSERT_EQ(WaitForPhase("flaky", "Failed")["status"]["phase"], "Failed");
  Json body = {{"restartSuccessful", true},
               {"nodeFieldSelector", "templateName=first"},
               {"parameters", {"flag=ok"}}};
  Retry(body, &status);
  ASSERT_EQ(status, 200);
  ASSERT_EQ(WaitForPhase("flaky", "Succeeded")["status"]["phase"], "Succeeded");
  EXPECT_EQ(Runs(), 2);
}

TEST_F(RetryTest, RefusesBadRequests) {
  StartServer();
  int status = 0;
  Retry(Json::object(), &status);
  EXPECT_EQ(status, 404);
  Retry({{"restartSuccessful", true}}, &status);
  EXPECT_EQ(status, 400);  // needs a selector
  Retry({{"parameters", {"no-equals-sign"}}}, &status);
  EXPECT_EQ(status, 400);
  Retry({{"nodeFieldSelector", "color=red"}}, &status);
  EXPECT_EQ(status, 400);

  Json sleeper = Sequence("flaky", {{"nap", "sleep 30"}});
  Submit(sleeper, &status);
  ASSERT_EQ(status, 200);
  Retry(Json::object(), &status);
  EXPECT_EQ(status, 409);  // still running
  Call("PUT", "/api/v1/workflows/default/flaky/terminate");
}

}  // namespace
}  // namespace loom::server
