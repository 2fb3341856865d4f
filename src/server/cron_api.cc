// Handlers of /api/v1/cron-workflows/..., as Argo Server's CronWorkflowService:
// create, list, get, update, delete, suspend, resume and lint. Every change is
// told to the cron loop, which then (re)schedules the CronWorkflow at once.
#include <string>

#include "server/api.h"
#include "server/cron_controller.h"
#include "server/cron_store.h"
#include "server/cron_workflow.h"

namespace loom::server {

namespace {

constexpr char kNs[] = "/api/v1/cron-workflows/{}";
constexpr char kCron[] = "/api/v1/cron-workflows/{}/{}";

HttpResponse Reply(const ApiResult<Json>& result) {
  if (!result.ok()) return HttpResponse::Error(result.error().code, result.error().message);
  return HttpResponse::FromJson(result.value());
}

// body.cronWorkflow of Argo's Create/Update/LintCronWorkflowRequest.
ApiResult<Json> CronField(const HttpRequest& request) {
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return BadRequest("the request body is not JSON");
  if (!body.is_object() || !body.contains("cronWorkflow")) {
    return BadRequest("the request body must be {\"cronWorkflow\": {...}}");
  }
  return body["cronWorkflow"];
}

// Runs `change`, then wakes the cron loop if it worked.
template <typename Change>
HttpResponse Changed(const ApiContext& context, Change change) {
  ApiResult<Json> result = change();
  if (result.ok() && context.cron) context.cron->Notify();
  return Reply(result);
}

HttpResponse List(const ApiContext& context, const HttpRequest& request) {
  CronStore crons(context.store);
  auto listed = crons.List(request.captures[0], request.Query("listOptions.labelSelector"));
  if (!listed.ok()) return HttpResponse::Error(listed.error().code, listed.error().message);
  Json items = Json::array();
  for (const Json& cron : *listed) items.push_back(cron);
  return HttpResponse::FromJson(Json{{"metadata", Json::object()}, {"items", std::move(items)}});
}

// Deleting a CronWorkflow deletes the workflows it owns, as Kubernetes'
// garbage collector does for their ownerReferences.
ApiResult<Json> Delete(const ApiContext& context, const std::string& ns, const std::string& name) {
  CronStore crons(context.store);
  auto deleted = crons.Delete(ns, name);
  if (!deleted.ok()) return deleted.error();
  auto runs = ListCronRuns(context.store, ns, name, (*deleted)["metadata"].value("uid", ""));
  if (!runs.ok()) return Internal("store: " + runs.error());
  for (const store::WorkflowHeader& run : *runs) {
    auto gone = context.controller.Delete(ns, run.name);
    if (!gone.ok() && gone.error().code != 404) return gone.error();
  }
  return Json::object();
}

HttpResponse Lint(const ApiContext& context, const HttpRequest& request) {
  auto cron = CronField(request);
  if (!cron.ok()) return Reply(cron.error());
  auto checked = CheckCronWorkflow(std::move(cron).value(),
                                   StoredTemplates(context.store, request.captures[0]));
  if (!checked.ok()) return Reply(checked.error());
  Json object = std::move(checked).value();
  object["metadata"]["namespace"] = request.captures[0];
  return HttpResponse::FromJson(object);
}

}  // namespace

void AddCronRoutes(Router& router, const ApiContext& context) {
  router.Add("POST", kNs, [context](const HttpRequest& r) {
    return Changed(context, [&]() -> ApiResult<Json> {
      auto cron = CronField(r);
      if (!cron.ok()) return cron.error();
      return CronStore(context.store).Create(r.captures[0], std::move(cron).value());
    });
  });
  router.Add("GET", "/api/v1/cron-workflows/{?}",
             [context](const HttpRequest& r) { return List(context, r); });
  router.Add("POST", std::string(kNs) + "/lint",
             [context](const HttpRequest& r) { return Lint(context, r); });
  router.Add("GET", kCron, [context](const HttpRequest& r) {
    return Reply(CronStore(context.store).Get(r.captures[0], r.captures[1]));
  });
  router.Add("PUT", kCron, [context](const HttpRequest& r) {
    return Changed(context, [&]() -> ApiResult<Json> {
      auto cron = CronField(r);
      if (!cron.ok()) return cron.error();
      return CronStore(context.store).Update(r.captures[0], r.captures[1], std::move(cron).value());
    });
  });
  router.Add("DELETE", kCron, [context](const HttpRequest& r) {
    return Changed(context, [&] { return Delete(context, r.captures[0], r.captures[1]); });
  });
  router.Add("PUT", std::string(kCron) + "/{suspend|resume}", [context](const HttpRequest& r) {
    return Changed(context, [&] {
      return CronStore(context.store)
          .SetSuspend(r.captures[0], r.captures[1], r.captures[2] == "suspend");
    });
  });
}

}  // namespace loom::server
