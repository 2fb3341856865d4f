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
  Action action = verb == "stop"        ? Action::kStop
                  : verb == "terminate" ? Action::kTerminate
                  : verb == "suspend"   ? Action::kSuspend
                                        : Action::kResume;
  return Reply(context.controller.Act(ns, name, action));
}

// The JSON object of a request body ({} when empty), or an error.
Result<Json> BodyObject(const HttpRequest& request) {
  if (request.body.empty()) return Json::object();
  Json body = Json::parse(request.body, nullptr, false);
  if (!body.is_object()) return Status::Error("the request body must be a JSON object");
  return body;
}

// body[key] as a bool (false when absent), or an error.
Result<bool> BoolField(const Json& body, const char* key) {
  const Json& value = body.value(key, Json(false));
  if (!value.is_boolean()) return Status::Error(std::string(key) + " must be true or false");
  return value.get<bool>();
}

// body.parameters: ["NAME=VALUE", ...] (none when absent), or an error.
Result<std::vector<std::string>> ParametersField(const Json& body) {
  const Json& parameters = body.value("parameters", Json::array());
  std::vector<std::string> out;
  const char* wrong = "parameters must be an array of \"NAME=VALUE\" strings";
  if (!parameters.is_array()) return Status::Error(wrong);
  for (const Json& p : parameters) {
    if (!p.is_string()) return Status::Error(wrong);
    out.push_back(p.get<std::string>());
  }
  return out;
}

// Argo's ResubmitWorkflowRequest: {"memoized", "parameters"}.
HttpResponse Resubmit(const ApiContext& context, const HttpRequest& request) {
  auto body = BodyObject(request);
  if (!body.ok()) return HttpResponse::Error(400, body.error());
  auto memoized = BoolField(*body, "memoized");
  if (!memoized.ok()) return HttpResponse::Error(400, memoized.error());
  auto parameters = ParametersField(*body);
  if (!parameters.ok()) return HttpResponse::Error(400, parameters.error());
  ResubmitRequest resubmit{*memoized, std::move(*parameters)};
  return Reply(context.controller.Resubmit(request.captures[0], request.captures[1], resubmit));
}

// Argo's RetryWorkflowRequest: {"restartSuccessful", "nodeFieldSelector", "parameters"}.
HttpResponse Retry(const ApiContext& context, const HttpRequest& request) {
  auto body = BodyObject(request);
  if (!body.ok()) return HttpResponse::Error(400, body.error());
  auto restart = BoolField(*body, "restartSuccessful");
  if (!restart.ok()) return HttpResponse::Error(400, restart.error());
  const Json& selector = body->value("nodeFieldSelector", Json(""));
  if (!selector.is_string()) return HttpResponse::Error(400, "nodeFieldSelector must be a string");
  auto parameters = ParametersField(*body);
  if (!parameters.ok()) return HttpResponse::Error(400, parameters.error());
  RetryRequest retry;
  retry.restart_successful = *restart;
  retry.node_field_selector = selector.get<std::string>();
  retry.parameters = std::move(*parameters);
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
  router.Add("PUT", std::string(kWorkflow) + "/{stop|terminate|suspend|resume}",
             [context](const HttpRequest& r) { return Act(context, r); });
  router.Add("PUT", std::string(kWorkflow) + "/resubmit",
             [context](const HttpRequest& r) { return Resubmit(context, r); });
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
