// Handler of POST /api/v1/workflows/{namespace}/submit, Argo's
// WorkflowSubmitRequest: a Workflow made from a stored resource (see
// submit_from.h), then submitted like POST /api/v1/workflows/{namespace}.
#include <string>

#include "server/api.h"
#include "server/submit_from.h"

namespace loom::server {

namespace {

ApiResult<Json> Submit(const ApiContext& context, const HttpRequest& request) {
  Json body = Json::parse(request.body, nullptr, false);
  if (!body.is_object()) return BadRequest("the request body must be a JSON object");
  const Json kind = body.value("resourceKind", Json(""));
  const Json name = body.value("resourceName", Json(""));
  if (!kind.is_string() || kind.get<std::string>().empty()) {
    return BadRequest(
        "resourceKind is required (WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow)");
  }
  if (!name.is_string() || name.get<std::string>().empty()) {
    return BadRequest("resourceName is required");
  }
  auto options = ParseSubmitOptions(body.value("submitOptions", Json()));
  if (!options.ok()) return options.error();
  const std::string& ns = request.captures[0];
  auto workflow =
      WorkflowFromResource(context.store, kind.get<std::string>(), ns, name.get<std::string>());
  if (!workflow.ok()) return workflow.error();
  auto applied = ApplySubmitOptions(std::move(workflow).value(), *options);
  if (!applied.ok()) return applied.error();
  return context.controller.Submit(ns, std::move(applied).value(), options->dry_run);
}

}  // namespace

void AddSubmitRoutes(Router& router, const ApiContext& context) {
  router.Add("POST", "/api/v1/workflows/{}/submit", [context](const HttpRequest& r) {
    ApiResult<Json> result = Submit(context, r);
    if (!result.ok()) return HttpResponse::Error(result.error().code, result.error().message);
    return HttpResponse::FromJson(result.value());
  });
}

}  // namespace loom::server
