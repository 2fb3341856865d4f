// WorkflowTemplate objects, and joining a Workflow with its template.
#include "server/workflow_template.h"

#include <algorithm>
#include <chrono>

#include "engine/status_json.h"

namespace loom::server {

namespace {

// The lists of a WorkflowSpec that Argo's types mark patchMergeKey "name",
// by their path below the spec.
bool MergesByName(const std::string& path) {
  return path == "templates" || path == "arguments.parameters" || path == "arguments.artifacts" ||
         path == "volumes";
}

Json Merge(const Json& under, const Json& over, const std::string& path);

// Items of `over` replace (merged) the items of `under` with the same name;
// the others are added after them.
Json MergeByName(const Json& under, const Json& over, const std::string& path) {
  Json merged = under;
  for (const Json& item : over) {
    auto same =
        item.is_object() && item.contains("name")
            ? std::find_if(merged.begin(), merged.end(),
                           [&](const Json& u) {
                             return u.is_object() && u.value("name", Json()) == item["name"];
                           })
            : merged.end();
    if (same == merged.end()) {
      merged.push_back(item);
    } else {
      *same = Merge(*same, item, path);
    }
  }
  return merged;
}

Json Merge(const Json& under, const Json& over, const std::string& path) {
  if (under.is_object() && over.is_object()) {
    Json merged = under;
    for (const auto& [key, value] : over.items()) {
      std::string below = path.empty() ? key : path + "." + key;
      merged[key] = under.contains(key) ? Merge(under[key], value, below) : value;
    }
    return merged;
  }
  if (under.is_array() && over.is_array() && MergesByName(path)) {
    return MergeByName(under, over, path);
  }
  return over;
}

}  // namespace

Json TemplateObject(const store::StoredObject& object) {
  Json tmpl = object.document;
  Json& metadata = tmpl["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  metadata["name"] = object.name;
  if (object.namespace_.empty()) {
    metadata.erase("namespace");
  } else {
    metadata["namespace"] = object.namespace_;
  }
  metadata["uid"] = object.uid;
  metadata["creationTimestamp"] =
      engine::Timestamp(engine::TimePoint(std::chrono::milliseconds(object.created_at)));
  metadata["resourceVersion"] = std::to_string(object.version);
  return tmpl;
}

Json JoinWorkflowSpec(const Json& workflow_spec, const Json& template_spec) {
  Json over = workflow_spec.is_object() ? workflow_spec : Json::object();
  Json under = template_spec.is_object() ? template_spec : Json::object();
  // Hooks do not merge: the workflow's, and the template's it has no name of.
  Json hooks = over.value("hooks", Json::object());
  if (Json theirs = under.value("hooks", Json::object()); theirs.is_object() && hooks.is_object()) {
    for (const auto& [name, hook] : theirs.items()) {
      if (!hooks.contains(name)) hooks[name] = hook;
    }
  }
  under.erase("hooks");
  over.erase("hooks");
  Json joined = Merge(under, over, "");
  if (!hooks.empty()) joined["hooks"] = std::move(hooks);
  if (workflow_spec.is_object() && workflow_spec.contains("suspend")) {
    joined["suspend"] = workflow_spec["suspend"];
  } else {
    joined.erase("suspend");
  }
  return joined;
}

}  // namespace loom::server
