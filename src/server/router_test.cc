// Routing: captures, 404 for unknown paths, 405 for known paths with the wrong method.
#include "server/router.h"

#include <gtest/gtest.h>

namespace loom::server {
namespace {

Router Sample() {
  Router router;
  router.Add("GET", "/api/v1/workflows/([^/]+)/([^/]+)", [](const HttpRequest& r) {
    return HttpResponse::FromJson(Json{{"ns", r.captures[0]}, {"name", r.captures[1]}});
  });
  router.Add("DELETE", "/api/v1/workflows/([^/]+)/([^/]+)",
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

}  // namespace
}  // namespace loom::server
