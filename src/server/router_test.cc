// Routing: captures, 404 for unknown paths, 405 for known paths with the wrong method.
#include "server/router.h"

#include <gtest/gtest.h>

namespace loom::server {
namespace {

Router Sample() {
  Router router;
  router.Add("GET", "/api/v1/workflows/{}/{}", [](const HttpRequest& r) {
    return HttpResponse::FromJson(Json{{"ns", r.captures[0]}, {"name", r.captures[1]}});
  });
  router.Add("DELETE", "/api/v1/workflows/{}/{}",
             [](const HttpRequest&) { return HttpResponse::FromJson(Json::object()); });
  return router;
}

HttpRequest Request(const std::string& method, const std::string& path) {
  HttpRequest request;
  request.method = method;
  request.path = path;
  return request;
}

TEST(RouterTest, PassesCapturesToTheHandler) {
  HttpResponse response = Sample().Dispatch(Request("GET", "/api/v1/workflows/ns/wf"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(Json::parse(response.body), (Json{{"ns", "ns"}, {"name", "wf"}}));
}

TEST(RouterTest, UnknownPathIs404AndWrongMethodIs405) {
  Router router = Sample();
  HttpResponse missing = router.Dispatch(Request("GET", "/api/v1/nothing"));
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(Json::parse(missing.body)["code"], 404);
  HttpResponse wrong = router.Dispatch(Request("POST", "/api/v1/workflows/ns/wf"));
  EXPECT_EQ(wrong.status, 405);
  EXPECT_NE(Json::parse(wrong.body)["message"].get<std::string>().find("GET, DELETE"),
            std::string::npos);
}

TEST(RouterTest, HeadIsAnsweredAsGet) {
  EXPECT_EQ(Sample().Dispatch(Request("HEAD", "/api/v1/workflows/ns/wf")).status, 200);
}

TEST(RouterTest, OptionalLastSegmentAndWordChoices) {
  Router router;
  router.Add("GET", "/api/v1/workflows/{?}", [](const HttpRequest& r) {
    return HttpResponse::FromJson(Json{{"ns", r.captures[0]}});
  });
  router.Add("PUT", "/api/v1/workflows/{}/{}/{stop|resume}", [](const HttpRequest& r) {
    return HttpResponse::FromJson(Json{{"action", r.captures[2]}});
  });
  auto ns = [&](const std::string& path) {
    HttpResponse response = router.Dispatch(Request("GET", path));
    return response.status == 200 ? Json::parse(response.body)["ns"].get<std::string>() : "404";
  };
  EXPECT_EQ(ns("/api/v1/workflows"), "");
  EXPECT_EQ(ns("/api/v1/workflows/"), "");
  EXPECT_EQ(ns("/api/v1/workflows/team-a"), "team-a");
  EXPECT_EQ(ns("/api/v1/workflows/team-a/extra/x"), "404");
  EXPECT_EQ(ns("/api/v1/workflow"), "404");
  HttpResponse stop = router.Dispatch(Request("PUT", "/api/v1/workflows/ns/wf/stop"));
  EXPECT_EQ(Json::parse(stop.body)["action"], "stop");
  EXPECT_EQ(router.Dispatch(Request("PUT", "/api/v1/workflows/ns/wf/stopp")).status, 404);
  EXPECT_EQ(router.Dispatch(Request("PUT", "/api/v1/workflows/ns/wf/sto")).status, 404);
  EXPECT_EQ(router.Dispatch(Request("PUT", "/api/v1/workflows/ns//stop")).status, 404);
}

}  // namespace
}  // namespace loom::server
