// Handlers of /api/v1/workflows/..., /api/v1/version and /metrics.
#include <string>

#include "base/version.h"
#include "server/api.h"
#include "server/list_query.h"
#include "server/stored_workflow.h"

namespace loom::server {

namespace {

constexpr char kNs[] = "/api/v1/workflows/{}";
constexpr char kWorkflow[] = "/api/v1/workflows/{}/{}";

HttpResponse Reply(const ApiResult<Json>& result) {
  if (!result.ok()) return HttpResponse::Error(result.error().code, result.error().message);
  return HttpResponse::FromJson(result.value());
}

HttpResponse Create(const ApiContext& context, const HttpRequest& request) {
  Json body;
  try {
    body = Json::parse(request.body);
  } catch (const Json::parse_error& e) {
    return HttpResponse::Error(400, std::string("the request body is not JSON: ") + e.what());
  }
  if (!body.is_object() || !body.contains("workflow")) {
    return HttpResponse::Error(400, "the request body must be {\"workflow\": {...}}");
  }
  const Json& dry_run = body.value("serverDryRun", Json(false));
  if (!dry_run.is_boolean()) return HttpResponse::Error(400, "serverDryRun must be true or false");
  return Reply(
      context.controller.Submit(request.captures[0], body["workflow"], dry_run.get<bool>()));
}

HttpResponse List(const ApiContext& context, const HttpRequest& request) {
  auto query = ListQuery::Parse(request, request.captures[0]);
  if (!query.ok()) return HttpResponse::Error(query.error().code, query.error().message);
  auto headers = context.store.List(query->filter());
  if (!headers.ok()) return HttpResponse::Error(500, "store: " + headers.error());
  Json items = Json::array();
  for (const store::WorkflowHeader& header : *headers) {
    if (!query->Matches(header)) continue;
    items.push_back(HeaderToWorkflow(header));
    if (query->limit() > 0 && items.size() >= query->limit()) break;
  }
  return HttpResponse::FromJson(Json{{"metadata", Json::object()}, {"items", std::move(items)}});
}

HttpResponse Act(const ApiContext& context, const HttpRequest& request) {
  const std::string& ns = request.captures[0];
  const std::string& name = request.captures[1];
  const std::string& verb = request.captures[2];
  if (verb == "resubmit") return Reply(context.controller.Resubmit(ns, name));
  Action action = verb == "stop"        ? Action::kStop
                  : verb == "terminate" ? Action::kTerminate
                  : verb == "suspend"   ? Action::kSuspend
                                        : Action::kResume;
  return Reply(context.controller.Act(ns, name, action));
}

// Argo's RetryWorkflowRequest: {"restartSuccessful", "nodeFieldSelector", "parameters"}.
HttpResponse Retry(const ApiContext& context, const HttpRequest& request) {
  Json body = Json::object();
  if (!request.body.empty()) {
    body = Json::parse(request.body, nullptr, false);
    if (!body.is_object())
      return HttpResponse::Error(400, "the request body must be a JSON object");
  }
  RetryRequest retry;
  const Json& restart = body.value("restartSuccessful", Json(false));
  const Json& selector = body.value("nodeFieldSelector", Json(""));
  const Json& parameters = body.value("parameters", Json::array());
  if (!restart.is_boolean())
    return HttpResponse::Error(400, "restartSuccessful must be true or false");
  if (!selector.is_string()) return HttpResponse::Error(400, "nodeFieldSelector must be a string");
  if (!parameters.is_array()) {
    return HttpResponse::Error(400, "parameters must be an array of \"NAME=VALUE\" strings");
  }
  for (const Json& p : parameters) {
    if (!p.is_string()) {
      return HttpResponse::Error(400, "parameters must be an array of \"NAME=VALUE\" strings");
    }
    retry.parameters.push_back(p.get<std::string>());
  }
  retry.restart_successful = restart.get<bool>();
  retry.node_field_selector = selector.get<std::string>();
  return Reply(
      context.controller.Retry(request.captures[0], request.captures[1], std::move(retry)));
}

}  // namespace

void AddWorkflowRoutes(Router& router, const ApiContext& context) {
  router.Add("POST", kNs, [context](const HttpRequest& r) { return Create(context, r); });
  router.Add("GET", "/api/v1/workflows/{?}",
             [context](const HttpRequest& r) { return List(context, r); });
  router.Add("GET", kWorkflow, [context](const HttpRequest& r) {
    return Reply(LoadWorkflow(context.store, r.captures[0], r.captures[1]));
  });
  router.Add("DELETE", kWorkflow, [context](const HttpRequest& r) {
    return Reply(context.controller.Delete(r.captures[0], r.captures[1]));
  });
  router.Add("PUT", std::string(kWorkflow) + "/{stop|terminate|suspend|resume|resubmit}",
             [context](const HttpRequest& r) { return Act(context, r); });
  router.Add("PUT", std::string(kWorkflow) + "/retry",
             [context](const HttpRequest& r) { return Retry(context, r); });
  router.Add("GET", "/api/v1/version", [](const HttpRequest&) {
    return HttpResponse::FromJson(Json{{"version", kLoomVersion}});
  });
  router.Add("GET", "/metrics", [context](const HttpRequest&) {
    HttpResponse response;
    response.content_type = "text/plain; version=0.0.4";
    response.body = context.metrics.Render();
    return response;
  });
}

}  // namespace loom::server
