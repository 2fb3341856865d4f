// Workflows from stored resources, one maker per kind; see submit_from.h.
#include "server/submit_from.h"

#include <algorithm>

#include "server/cron_store.h"
#include "server/cron_workflow.h"
#include "server/template_store.h"
#include "server/workflow_template.h"

namespace loom::server {

namespace {

using WorkflowMaker = ApiResult<Json> (*)(store::Store& store, const std::string& namespace_,
                                          const std::string& name);

// Argo's common.NewWorkflowFromWorkflowTemplate, once the template is known to exist.
ApiResult<Json> FromTemplate(store::Store& store, const std::string& namespace_,
                             const std::string& name, bool cluster_scope) {
  auto found = TemplateStore(store, cluster_scope).Get(namespace_, name);
  if (!found.ok()) return found.error();
  Json ref = {{"name", name}};
  if (cluster_scope) ref["clusterScope"] = true;
  const char* label = cluster_scope ? kClusterWorkflowTemplateLabel : kWorkflowTemplateLabel;
  return Json{{"apiVersion", "argoproj.io/v1alpha1"},
              {"kind", "Workflow"},
              {"metadata", {{"generateName", name + "-"}, {"labels", {{label, name}}}}},
              {"spec", {{"workflowTemplateRef", std::move(ref)}}}};
}

ApiResult<Json> FromWorkflowTemplate(store::Store& store, const std::string& namespace_,
                                     const std::string& name) {
  return FromTemplate(store, namespace_, name, false);
}

ApiResult<Json> FromClusterWorkflowTemplate(store::Store& store, const std::string& namespace_,
                                            const std::string& name) {
  return FromTemplate(store, namespace_, name, true);
}

// Argo's common.ConvertCronWorkflowToWorkflow: the CronWorkflow's run, now.
ApiResult<Json> FromCronWorkflow(store::Store& store, const std::string& namespace_,
                                 const std::string& name) {
  auto found = CronStore(store).Get(namespace_, name);
  if (!found.ok()) return found.error();
  auto now =
      std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  return CronWorkflowToWorkflow(*found, std::nullopt, now);
}

// The kinds that can be submitted, and what makes their Workflow. A new
// kind is one more line here.
struct Maker {
  const char* kind;
  WorkflowMaker make;
};
constexpr Maker kMakers[] = {
    {kWorkflowTemplateKind, FromWorkflowTemplate},
    {kClusterWorkflowTemplateKind, FromClusterWorkflowTemplate},
    {kCronWorkflowKind, FromCronWorkflow},
};

// "a=b,c=d" (not empty) into `to`; an error names the malformed pair.
Status MergePairs(const std::string& text, const char* what, Json& to) {
  for (size_t start = 0; start <= text.size();) {
    size_t comma = std::min(text.find(',', start), text.size());
    std::string pair = text.substr(start, comma - start);
    size_t eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::Error(std::string(what) + " \"" + pair + "\": expected KEY=VALUE");
    }
    to[pair.substr(0, eq)] = pair.substr(eq + 1);
    start = comma + 1;
  }
  return Status::Ok();
}

template <typename T>
Status Read(const Json& options, const char* key, T* out, const char* wanted) {
  auto it = options.find(key);
  if (it == options.end() || it->is_null()) return Status::Ok();
  try {
    *out = it->get<T>();
  } catch (const Json::exception&) {
    return Status::Error(std::string("submitOptions.") + key + " must be " + wanted);
  }
  return Status::Ok();
}

}  // namespace

std::vector<std::string> SubmittableKinds() {
  std::vector<std::string> kinds;
  for (const Maker& maker : kMakers) kinds.emplace_back(maker.kind);
  return kinds;
}

ApiResult<Json> WorkflowFromResource(store::Store& store, const std::string& kind,
                                     const std::string& namespace_, const std::string& name) {
  for (const Maker& maker : kMakers) {
    if (kind == maker.kind) return maker.make(store, namespace_, name);
  }
  std::string kinds;
  for (const std::string& k : SubmittableKinds()) kinds += (kinds.empty() ? "" : ", ") + k;
  return BadRequest("resourceKind \"" + kind + "\" cannot be submitted (it must be one of " +
                    kinds + ")");
}

ApiResult<SubmitOptions> ParseSubmitOptions(const Json& submit_options) {
  if (submit_options.is_null()) return SubmitOptions{};
  if (!submit_options.is_object()) return BadRequest("submitOptions must be an object");
  SubmitOptions options;
  bool server_dry_run = false;
  int priority = 0;
  for (Status s : {
           Read(submit_options, "parameters", &options.parameters, "an array of strings"),
           Read(submit_options, "entryPoint", &options.entrypoint, "a string"),
           Read(submit_options, "labels", &options.labels, "a string"),
           Read(submit_options, "annotations", &options.annotations, "a string"),
           Read(submit_options, "name", &options.name, "a string"),
           Read(submit_options, "generateName", &options.generate_name, "a string"),
           Read(submit_options, "dryRun", &options.dry_run, "true or false"),
           Read(submit_options, "serverDryRun", &server_dry_run, "true or false"),
           Read(submit_options, "priority", &priority, "an integer"),
       }) {
    if (!s.ok()) return BadRequest(s.message());
  }
  if (submit_options.contains("priority") && !submit_options["priority"].is_null()) {
    options.priority = priority;
  }
  options.dry_run = options.dry_run || server_dry_run;
  return options;
}

Json SubmitOptionsToJson(const SubmitOptions& options) {
  Json json = {{"parameters", options.parameters}, {"dryRun", options.dry_run}};
  auto set = [&](const char* key, const std::string& value) {
    if (!value.empty()) json[key] = value;
  };
  set("entryPoint", options.entrypoint);
  set("labels", options.labels);
  set("annotations", options.annotations);
  set("name", options.name);
  set("generateName", options.generate_name);
  if (options.priority) json["priority"] = *options.priority;
  return json;
}

ApiResult<Json> ApplySubmitOptions(Json workflow, const SubmitOptions& options) {
  Json& spec = workflow["spec"];
  if (!spec.is_object()) spec = Json::object();
  Json& metadata = workflow["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  if (!options.entrypoint.empty()) spec["entrypoint"] = options.entrypoint;
  if (options.priority) spec["priority"] = *options.priority;
  if (!options.labels.empty()) {
    if (Status s = MergePairs(options.labels, "label", metadata["labels"]); !s) {
      return BadRequest(s.message());
    }
  }
  if (!options.annotations.empty()) {
    if (Status s = MergePairs(options.annotations, "annotation", metadata["annotations"]); !s) {
      return BadRequest(s.message());
    }
  }
  if (!options.parameters.empty()) {
    Json& parameters = spec["arguments"]["parameters"];
    if (!parameters.is_array()) parameters = Json::array();
    for (const std::string& p : options.parameters) {
      size_t eq = p.find('=');
      if (eq == std::string::npos || eq == 0) {
        return BadRequest("parameter \"" + p + "\": expected NAME=VALUE");
      }
      std::string key = p.substr(0, eq);
      auto same = std::find_if(parameters.begin(), parameters.end(),
                               [&](const Json& q) { return q.value("name", "") == key; });
      if (same != parameters.end()) {
        (*same)["value"] = p.substr(eq + 1);
      } else {
        parameters.push_back({{"name", key}, {"value", p.substr(eq + 1)}});
      }
    }
  }
  if (!options.generate_name.empty()) metadata["generateName"] = options.generate_name;
  if (!options.name.empty()) metadata["name"] = options.name;
  return workflow;
}

}  // namespace loom::server
