// Handlers of /api/v1/workflow-templates/... and /api/v1/cluster-workflow-templates/...,
// as Argo Server's WorkflowTemplateService and ClusterWorkflowTemplateService:
// create, list, get, update, delete and lint.
#include <string>

#include "server/api.h"
#include "server/template_store.h"

namespace loom::server {

namespace {

HttpResponse Reply(const ApiResult<Json>& result) {
  if (!result.ok()) return HttpResponse::Error(result.error().code, result.error().message);
  return HttpResponse::FromJson(result.value());
}

// body.template of Argo's Create/Update/Lint requests.
ApiResult<Json> TemplateField(const HttpRequest& request) {
  Json body = Json::parse(request.body, nullptr, false);
  if (body.is_discarded()) return BadRequest("the request body is not JSON");
  if (!body.is_object() || !body.contains("template")) {
    return BadRequest("the request body must be {\"template\": {...}}");
  }
  return body["template"];
}

HttpResponse List(TemplateStore templates, const std::string& namespace_,
                  const HttpRequest& request) {
  auto listed = templates.List(namespace_, request.Query("listOptions.labelSelector"));
  if (!listed.ok()) return HttpResponse::Error(listed.error().code, listed.error().message);
  Json items = Json::array();
  for (const Json& tmpl : *listed) items.push_back(tmpl);
  return HttpResponse::FromJson(Json{{"metadata", Json::object()}, {"items", std::move(items)}});
}

// The routes of one kind. `base` is the collection's path; the namespaced
// kind has a {namespace} segment after it, which `ns` reads from the captures.
void AddRoutes(Router& router, const ApiContext& context, bool cluster_scope,
               const std::string& base) {
  const std::string collection = cluster_scope ? base : base + "/{}";
  const std::string item = collection + "/{}";
  const size_t name_at = cluster_scope ? 0 : 1;
  auto ns = [cluster_scope](const HttpRequest& r) {
    return cluster_scope ? std::string() : r.captures[0];
  };
  store::Store& store = context.store;
  router.Add("POST", collection, [&store, cluster_scope, ns](const HttpRequest& r) {
    auto tmpl = TemplateField(r);
    if (!tmpl.ok()) return Reply(tmpl.error());
    return Reply(TemplateStore(store, cluster_scope).Create(ns(r), std::move(tmpl).value()));
  });
  router.Add("GET", cluster_scope ? base : base + "/{?}",
             [&store, cluster_scope, ns](const HttpRequest& r) {
               return List(TemplateStore(store, cluster_scope), ns(r), r);
             });
  router.Add("POST", collection + "/lint", [&store, cluster_scope, ns](const HttpRequest& r) {
    auto tmpl = TemplateField(r);
    if (!tmpl.ok()) return Reply(tmpl.error());
    return Reply(TemplateStore(store, cluster_scope).Lint(ns(r), std::move(tmpl).value()));
  });
  router.Add("GET", item, [&store, cluster_scope, ns, name_at](const HttpRequest& r) {
    return Reply(TemplateStore(store, cluster_scope).Get(ns(r), r.captures[name_at]));
  });
  router.Add("PUT", item, [&store, cluster_scope, ns, name_at](const HttpRequest& r) {
    auto tmpl = TemplateField(r);
    if (!tmpl.ok()) return Reply(tmpl.error());
    return Reply(TemplateStore(store, cluster_scope)
                     .Update(ns(r), r.captures[name_at], std::move(tmpl).value()));
  });
  router.Add("DELETE", item, [&store, cluster_scope, ns, name_at](const HttpRequest& r) {
    auto deleted = TemplateStore(store, cluster_scope).Delete(ns(r), r.captures[name_at]);
    if (!deleted.ok()) return Reply(deleted.error());
    return HttpResponse::FromJson(Json::object());  // Argo's WorkflowTemplateDeleteResponse
  });
}

}  // namespace

void AddTemplateRoutes(Router& router, const ApiContext& context) {
  AddRoutes(router, context, false, "/api/v1/workflow-templates");
  AddRoutes(router, context, true, "/api/v1/cluster-workflow-templates");
}

}  // namespace loom::server
