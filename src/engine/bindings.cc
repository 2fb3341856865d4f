// Arguments, inputs, template scopes and recorded results.
#include "engine/bindings.h"

#include <algorithm>
#include <ctime>
#include <map>

#include "expr/expr_lang.h"
#include "expr/template.h"

namespace loom::engine {

namespace {

bool IsStepOutputReference(const std::string& name) {
  return (name.rfind("steps.", 0) == 0 || name.rfind("tasks.", 0) == 0) &&
         name.find(".outputs.parameters.") != std::string::npos;
}

std::string ValueText(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// Resolves an artifact reference (`from` or `fromExpression`) to a stored artifact.
Result<std::optional<ArtifactValue>> ResolveArtifactReference(const spec::Artifact& artifact,
                                                              const expr::Scope& scope) {
  if (!artifact.from.empty()) {
    std::string name = expr::SoleTagName(artifact.from);
    if (name.empty()) {
      return Result<std::optional<ArtifactValue>>::Error(
          "artifact '" + artifact.name + "': from must be a single {{...}} reference, got '" +
          artifact.from + "'");
    }
    const Json* value = scope.Find(name);
    if (value == nullptr) return std::optional<ArtifactValue>();
    auto resolved = ArtifactFromJson(*value);
    if (!resolved) {
      return Result<std::optional<ArtifactValue>>::Error("'" + artifact.from +
                                                         "' is not an artifact");
    }
    return resolved;
  }
  auto value = expr::Evaluate(artifact.from_expression, scope);
  if (!value.ok()) {
    return Result<std::optional<ArtifactValue>>::Error("artifact '" + artifact.name +
                                                       "': fromExpression: " + value.error());
  }
  if (value->is_null()) return std::optional<ArtifactValue>();
  auto resolved = ArtifactFromJson(*value);
  if (!resolved) {
    return Result<std::optional<ArtifactValue>>::Error(
        "artifact '" + artifact.name + "': fromExpression did not yield an artifact");
  }
  return resolved;
}

}  // namespace

Json ArtifactToJson(const ArtifactValue& artifact) {
  Json json = {{"artifact", true},
               {"name", artifact.name},
               {"path", artifact.path},
               {"location", artifact.location},
               {"archived", artifact.archived}};
  if (artifact.raw_data) json["raw"] = *artifact.raw_data;
  return json;
}

std::optional<ArtifactValue> ArtifactFromJson(const Json& value) {
  if (!value.is_object() || !value.contains("artifact")) return std::nullopt;
  ArtifactValue artifact;
  artifact.name = value.value("name", "");
  artifact.path = value.value("path", "");
  artifact.location = value.value("location", "");
  artifact.archived = value.value("archived", true);
  if (value.contains("raw")) artifact.raw_data = value["raw"].get<std::string>();
  return artifact;
}

Result<ResolvedArguments> ResolveArguments(const spec::Arguments& arguments,
                                           const expr::Scope& scope) {
  ResolvedArguments resolved;
  for (const spec::Parameter& p : arguments.parameters) {
    ParameterValue value{p.name, std::nullopt};
    if (p.value) {
      auto text = expr::Substitute(*p.value, scope);
      if (!text.ok()) {
        std::string sole = expr::SoleTagName(*p.value);
        if (!sole.empty() && IsStepOutputReference(sole)) continue;
        return Result<ResolvedArguments>::Error("argument '" + p.name + "': " + text.error());
      }
      value.value = std::move(*text);
    } else if (p.value_from && p.value_from->default_value) {
      value.value = *p.value_from->default_value;
    }
    resolved.parameters.push_back(std::move(value));
  }
  for (const spec::Artifact& a : arguments.artifacts) {
    ArtifactValue artifact;
    artifact.name = a.name;
    artifact.path = a.path;
    if (a.raw_data) {
      auto text = expr::Substitute(*a.raw_data, scope);
      if (!text.ok()) return Result<ResolvedArguments>::Error(text.error());
      artifact.raw_data = std::move(*text);
    } else if (!a.from.empty() || !a.from_expression.empty()) {
      auto found = ResolveArtifactReference(a, scope);
      if (!found.ok()) return Result<ResolvedArguments>::Error(found.error());
      if (!found->has_value()) {
        if (a.optional) continue;
        return Result<ResolvedArguments>::Error("Unable to resolve: " +
                                                (a.from.empty() ? a.from_expression : a.from));
      }
      artifact.location = (*found)->location;
      artifact.archived = (*found)->archived;
      artifact.raw_data = (*found)->raw_data;
    } else {
      continue;
    }
    resolved.artifacts.push_back(std::move(artifact));
  }
  return resolved;
}

Result<NodeInputs> BindInputs(const spec::Template& tmpl, const ResolvedArguments& arguments,
                              const expr::Scope& global) {
  NodeInputs inputs;
  expr::Scope scope(&global);
  for (const spec::Parameter& p : tmpl.inputs.parameters) {
    std::optional<std::string> value = p.value ? p.value : p.default_value;
    for (const ParameterValue& a : arguments.parameters) {
      if (a.name == p.name && a.value) value = a.value;
    }
    if (!value) {
      return Result<NodeInputs>::Error("inputs.parameters." + p.name + " was not supplied");
    }
    auto text = expr::Substitute(*value, scope);
    if (!text.ok()) {
      return Result<NodeInputs>::Error("inputs.parameters." + p.name + ": " + text.error());
    }
    if (!p.enum_values.empty() &&
        std::find(p.enum_values.begin(), p.enum_values.end(), *text) == p.enum_values.end()) {
      std::string allowed;
      for (const auto& e : p.enum_values) allowed += (allowed.empty() ? "" : ", ") + e;
      return Result<NodeInputs>::Error("value '" + *text + "' of inputs.parameters." + p.name +
                                       " is not one of its enum values [" + allowed + "]");
    }
    scope.Set("inputs.parameters." + p.name, *text);
    inputs.parameters.push_back({p.name, std::move(*text)});
  }
  for (const spec::Artifact& a : tmpl.inputs.artifacts) {
    ArtifactValue artifact;
    artifact.name = a.name;
    artifact.path = a.path;
    artifact.archived = !a.archive_none;
    bool supplied = false;
    for (const ArtifactValue& given : arguments.artifacts) {
      if (given.name != a.name) continue;
      artifact.location = given.location;
      artifact.archived = given.archived;
      artifact.raw_data = given.raw_data;
      supplied = true;
    }
    if (!supplied && a.raw_data) {
      auto text = expr::Substitute(*a.raw_data, scope);
      if (!text.ok()) return Result<NodeInputs>::Error(text.error());
      artifact.raw_data = std::move(*text);
      supplied = true;
    }
    if (!supplied && (!a.from.empty() || !a.from_expression.empty())) {
      auto found = ResolveArtifactReference(a, scope);
      if (!found.ok()) return Result<NodeInputs>::Error(found.error());
      if (found->has_value()) {
        artifact.location = (*found)->location;
        artifact.archived = (*found)->archived;
        artifact.raw_data = (*found)->raw_data;
        supplied = true;
      }
    }
    if (!supplied) {
      if (a.optional) continue;
      return Result<NodeInputs>::Error("inputs.artifacts." + a.name + " was not supplied");
    }
    inputs.artifacts.push_back(std::move(artifact));
  }
  return inputs;
}

std::unique_ptr<expr::Scope> MakeTemplateScope(const expr::Scope& global,
                                               const spec::Template& tmpl, const NodeInputs& inputs,
                                               const std::string& node_name,
                                               const std::string& node_id) {
  auto scope = std::make_unique<expr::Scope>(&global);
  Json list = Json::array();
  for (const ParameterValue& p : inputs.parameters) {
    scope->Set("inputs.parameters." + p.name, p.value.value_or(""));
    list.push_back({{"name", p.name}, {"value", p.value.value_or("")}});
  }
  scope->Set("inputs.parameters", list.dump());
  for (const ArtifactValue& a : inputs.artifacts) {
    scope->Set("inputs.artifacts." + a.name + ".path", a.path);
  }
  for (const spec::Artifact& a : tmpl.outputs.artifacts) {
    scope->Set("outputs.artifacts." + a.name + ".path", a.path);
  }
  for (const spec::Parameter& p : tmpl.outputs.parameters) {
    if (p.value_from && p.value_from->path) {
      scope->Set("outputs.parameters." + p.name + ".path", *p.value_from->path);
    }
  }
  scope->Set("node.name", node_name);
  scope->Set("pod.name", node_id);
  return scope;
}

std::string FormatTime(TimePoint time) {
  std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

void RecordNodeResults(expr::Scope& scope, const std::string& prefix, const Node& node) {
  scope.Set(prefix + ".id", node.id);
  scope.Set(prefix + ".status", NodePhaseName(node.phase));
  if (node.started_at) scope.Set(prefix + ".startedAt", FormatTime(*node.started_at));
  if (node.finished_at) scope.Set(prefix + ".finishedAt", FormatTime(*node.finished_at));
  const NodeOutputs& out = node.outputs;
  if (out.exit_code) scope.Set(prefix + ".exitCode", *out.exit_code);
  if (out.result) scope.Set(prefix + ".outputs.result", *out.result);
  for (const ParameterValue& p : out.parameters) {
    if (p.value) scope.Set(prefix + ".outputs.parameters." + p.name, *p.value);
  }
  for (const ArtifactValue& a : out.artifacts) {
    scope.Set(prefix + ".outputs.artifacts." + a.name, ArtifactToJson(a));
  }
}

namespace {

// Argo's aggregatedJSONValueList: the values are embedded as JSON only when
// every one of them is a JSON list or object; otherwise all stay strings.
Json AggregatedValueList(const std::vector<std::string>& values) {
  Json embedded = Json::array();
  for (const std::string& value : values) {
    Json parsed = Json::parse(value, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_structured()) return Json(values);
    embedded.push_back(std::move(parsed));
  }
  return embedded;
}

}  // namespace

void RecordAggregateResults(expr::Scope& scope, const std::string& prefix,
                            const std::vector<const Node*>& children, const Node& group) {
  scope.Set(prefix + ".id", group.id);
  scope.Set(prefix + ".status", NodePhaseName(group.phase));
  Json parameters = Json::array();
  Json results = Json::array();
  std::map<std::string, std::vector<std::string>> per_name;
  for (const Node* child : children) {
    if (child->phase != NodePhase::kSucceeded) continue;
    const NodeOutputs& out = child->outputs;
    if (!out.parameters.empty()) {
      Json entry = Json::object();
      for (const ParameterValue& p : out.parameters) {
        std::string value = p.value.value_or("");
        entry[p.name] = value;
        per_name[p.name].push_back(value);
      }
      parameters.push_back(std::move(entry));
    }
    if (out.result) {
      auto parsed = Json::parse(*out.result, nullptr, false);
      results.push_back(parsed.is_discarded() ? Json(*out.result) : parsed);
    }
  }
  scope.Set(prefix + ".outputs.parameters", parameters.dump());
  scope.Set(prefix + ".outputs.result", results.dump());
  for (const auto& [name, values] : per_name) {
    scope.Set(prefix + ".outputs.parameters." + name, AggregatedValueList(values).dump());
  }
}

Result<NodeOutputs> ComputeTemplateOutputs(const spec::Template& tmpl, const expr::Scope& scope) {
  NodeOutputs outputs;
  for (const spec::Parameter& p : tmpl.outputs.parameters) {
    ParameterValue value{p.name, std::nullopt};
    const spec::ValueFrom* from = p.value_from ? &*p.value_from : nullptr;
    if (from && from->parameter) {
      auto text = expr::Substitute(*from->parameter, scope);
      if (text.ok()) {
        value.value = std::move(*text);
      } else if (!from->default_value) {
        return Result<NodeOutputs>::Error("outputs.parameters." + p.name + ": " + text.error());
      }
    } else if (from && from->expression) {
      auto result = expr::Evaluate(*from->expression, scope);
      if (result.ok() && !result->is_null()) {
        value.value = ValueText(*result);
      } else if (!from->default_value) {
        return Result<NodeOutputs>::Error(
            "outputs.parameters." + p.name + ": " +
            (result.ok() ? "expression yielded nil" : result.error()));
      }
    } else if (p.value) {
      auto text = expr::Substitute(*p.value, scope);
      if (!text.ok()) return Result<NodeOutputs>::Error(text.error());
      value.value = std::move(*text);
    }
    if (!value.value && from && from->default_value) value.value = *from->default_value;
    outputs.parameters.push_back(std::move(value));
  }
  for (const spec::Artifact& a : tmpl.outputs.artifacts) {
    if (a.from.empty() && a.from_expression.empty()) continue;
    auto found = ResolveArtifactReference(a, scope);
    if (!found.ok()) return Result<NodeOutputs>::Error(found.error());
    if (!found->has_value()) {
      if (a.optional) continue;
      return Result<NodeOutputs>::Error("Unable to resolve: " +
                                        (a.from.empty() ? a.from_expression : a.from));
    }
    ArtifactValue artifact = **found;
    artifact.name = a.name;
    outputs.artifacts.push_back(std::move(artifact));
  }
  return outputs;
}

}  // namespace loom::engine
