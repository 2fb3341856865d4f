// Field-by-field conversion from YAML to the typed model, using Argo's names.
#include "spec/model_reader.h"

#include <fmt/format.h>

#include <cstdlib>

#include "spec/yaml_util.h"

namespace loom::spec {
namespace {

std::optional<std::string> Opt(const YAML::Node& node, const char* key) {
  const YAML::Node value = Get(node, key);
  if (IsUnset(value)) return std::nullopt;
  return ScalarText(value);
}

std::string Str(const YAML::Node& node, const char* key) { return Opt(node, key).value_or(""); }

std::vector<std::string> StrList(const YAML::Node& node) {
  std::vector<std::string> out;
  if (!IsList(node)) return out;
  for (const YAML::Node& item : node) out.push_back(IsUnset(item) ? "" : ScalarText(item));
  return out;
}

std::map<std::string, std::string> StrMap(const YAML::Node& node) {
  std::map<std::string, std::string> out;
  if (!IsMap(node)) return out;
  for (const auto& entry : node)
    out[entry.first.Scalar()] = IsUnset(entry.second) ? "" : ScalarText(entry.second);
  return out;
}

}  // namespace

std::optional<bool> ModelReader::Bool(const YAML::Node& node, const char* key) {
  std::optional<std::string> text = Opt(node, key);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  diagnostics_.push_back({file_, PosOf(Get(node, key)),
                          fmt::format("{} must be true or false, not '{}'", key, *text)});
  return std::nullopt;
}

std::optional<int> ModelReader::Int(const YAML::Node& node, const char* key) {
  std::optional<std::string> text = Opt(node, key);
  if (!text) return std::nullopt;
  char* end = nullptr;
  long value = std::strtol(text->c_str(), &end, 0);
  if (text->empty() || *end != '\0') {
    diagnostics_.push_back(
        {file_, PosOf(Get(node, key)), fmt::format("{} must be an integer, not '{}'", key, *text)});
    return std::nullopt;
  }
  return static_cast<int>(value);
}

ObjectMeta ModelReader::ReadMeta(const YAML::Node& node) {
  ObjectMeta meta;
  if (!IsMap(node)) return meta;
  meta.name = Str(node, "name");
  meta.generate_name = Str(node, "generateName");
  meta.namespace_ = Str(node, "namespace");
  meta.labels = StrMap(Get(node, "labels"));
  meta.annotations = StrMap(Get(node, "annotations"));
  return meta;
}

std::vector<Parameter> ModelReader::ReadParameters(const YAML::Node& node) {
  std::vector<Parameter> out;
  if (!IsList(node)) return out;
  for (const YAML::Node& item : node) {
    Parameter p;
    p.name = Str(item, "name");
    p.value = Opt(item, "value");
    p.default_value = Opt(item, "default");
    p.enum_values = StrList(Get(item, "enum"));
    p.global_name = Str(item, "globalName");
    p.description = Str(item, "description");
    p.pos = PosOf(item);
    const YAML::Node from = Get(item, "valueFrom");
    if (IsMap(from)) {
      ValueFrom v;
      v.path = Opt(from, "path");
      v.expression = Opt(from, "expression");
      v.parameter = Opt(from, "parameter");
      v.json_path = Opt(from, "jsonPath");
      if (!IsUnset(Get(from, "supplied"))) v.supplied = "";
      v.default_value = Opt(from, "default");
      v.pos = PosOf(from);
      p.value_from = v;
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Artifact> ModelReader::ReadArtifacts(const YAML::Node& node) {
  std::vector<Artifact> out;
  if (!IsList(node)) return out;
  for (const YAML::Node& item : node) {
    Artifact a;
    a.name = Str(item, "name");
    a.path = Str(item, "path");
    a.from = Str(item, "from");
    a.from_expression = Str(item, "fromExpression");
    if (IsMap(Get(item, "raw"))) a.raw_data = Str(Get(item, "raw"), "data");
    a.optional = Bool(item, "optional").value_or(false);
    a.archive_none = IsMap(Get(item, "archive")) && !IsUnset(Get(Get(item, "archive"), "none"));
    a.global_name = Str(item, "globalName");
    a.mode = Int(item, "mode");
    a.pos = PosOf(item);
    for (const char* location :
         {"s3", "gcs", "http", "git", "azure", "hdfs", "oss", "artifactory", "plugin"}) {
      a.has_location = a.has_location || !IsUnset(item[location]);
    }
    out.push_back(std::move(a));
  }
  return out;
}

Arguments ModelReader::ReadArguments(const YAML::Node& node) {
  Arguments args;
  if (!IsMap(node)) return args;
  args.parameters = ReadParameters(Get(node, "parameters"));
  args.artifacts = ReadArtifacts(Get(node, "artifacts"));
  return args;
}

Container ModelReader::ReadContainer(const YAML::Node& node) {
  Container c;
  c.image = Str(node, "image");
  c.command = StrList(Get(node, "command"));
  c.args = StrList(Get(node, "args"));
  for (const YAML::Node& env : Get(node, "env")) {
    c.env.push_back({Str(env, "name"), Str(env, "value"), PosOf(env)});
  }
  c.working_dir = Str(node, "workingDir");
  const YAML::Node resources = Get(node, "resources");
  if (IsMap(resources)) {
    c.resources.requests = StrMap(Get(resources, "requests"));
    c.resources.limits = StrMap(Get(resources, "limits"));
    c.resources.pos = PosOf(resources);
  }
  for (const YAML::Node& mount : Get(node, "volumeMounts")) {
    c.volume_mounts.push_back({Str(mount, "name"), Str(mount, "mountPath"), PosOf(mount)});
  }
  c.source = Opt(node, "source");
  c.pos = PosOf(node);
  return c;
}

RetryStrategy ModelReader::ReadRetry(const YAML::Node& node) {
  RetryStrategy r;
  r.limit = Opt(node, "limit");
  r.retry_policy = Str(node, "retryPolicy");
  r.expression = Opt(node, "expression");
  r.pos = PosOf(node);
  const YAML::Node backoff = Get(node, "backoff");
  if (IsMap(backoff)) {
    r.backoff = Backoff{Opt(backoff, "duration"), Opt(backoff, "factor"),
                        Opt(backoff, "maxDuration"), Opt(backoff, "cap"), PosOf(backoff)};
  }
  return r;
}

std::optional<Synchronization> ModelReader::ReadSynchronization(const YAML::Node& node) {
  if (!IsMap(node)) return std::nullopt;
  Synchronization sync;
  sync.pos = PosOf(node);
  auto semaphore = [&](const YAML::Node& item, std::string where) {
    SemaphoreRef ref;
    const YAML::Node selector = Get(item, "configMapKeyRef");
    ref.has_config_map_ref = IsMap(selector);
    ref.database = !IsUnset(Get(item, "database"));
    ref.config_map = Str(selector, "name");
    ref.key = Str(selector, "key");
    ref.namespace_ = Str(item, "namespace");
    ref.where = std::move(where);
    ref.pos = PosOf(item);
    sync.semaphores.push_back(std::move(ref));
  };
  auto mutex = [&](const YAML::Node& item, std::string where) {
    sync.mutexes.push_back(
        {Str(item, "name"), Str(item, "namespace"), std::move(where), PosOf(item)});
  };
  if (IsMap(Get(node, "semaphore"))) semaphore(Get(node, "semaphore"), "semaphore");
  const YAML::Node semaphores = Get(node, "semaphores");
  for (size_t i = 0; IsList(semaphores) && i < semaphores.size(); ++i) {
    semaphore(semaphores[i], fmt::format("semaphores[{}]", i));
  }
  if (IsMap(Get(node, "mutex"))) mutex(Get(node, "mutex"), "mutex");
  const YAML::Node mutexes = Get(node, "mutexes");
  for (size_t i = 0; IsList(mutexes) && i < mutexes.size(); ++i) {
    mutex(mutexes[i], fmt::format("mutexes[{}]", i));
  }
  return sync;
}

std::vector<std::string> ModelReader::ReadEmptyDirs(const YAML::Node& node) {
  std::vector<std::string> names;
  for (const YAML::Node& volume : node) {
    if (!IsUnset(Get(volume, "emptyDir"))) names.push_back(Str(volume, "name"));
  }
  return names;
}

std::vector<Hook> ModelReader::ReadHooks(const YAML::Node& node) {
  std::vector<Hook> hooks;
  if (!IsMap(node)) return hooks;
  for (const auto& entry : node) {
    Hook h;
    h.name = entry.first.Scalar();
    h.template_name = Str(entry.second, "template");
    h.arguments = ReadArguments(Get(entry.second, "arguments"));
    h.expression = Str(entry.second, "expression");
    h.pos = PosOf(entry.second);
    hooks.push_back(std::move(h));
  }
  return hooks;
}

Invocation ModelReader::ReadInvocation(const YAML::Node& node) {
  Invocation inv;
  inv.name = Str(node, "name");
  inv.template_name = Str(node, "template");
  inv.template_pos = PosOf(IsUnset(Get(node, "template")) ? node : Get(node, "template"));
  const YAML::Node ref = Get(node, "templateRef");
  if (IsMap(ref)) {
    inv.template_ref_name = Str(ref, "name");
    inv.template_ref_template = Str(ref, "template");
    inv.template_ref_cluster_scope = Bool(ref, "clusterScope").value_or(false);
    inv.template_pos = PosOf(ref);
  }
  inv.arguments = ReadArguments(Get(node, "arguments"));
  inv.dependencies = StrList(Get(node, "dependencies"));
  inv.depends = Opt(node, "depends");
  if (!IsUnset(Get(node, "depends"))) inv.depends_pos = PosOf(Get(node, "depends"));
  if (!IsUnset(Get(node, "dependencies"))) inv.depends_pos = PosOf(Get(node, "dependencies"));
  inv.when = Opt(node, "when");
  if (IsList(Get(node, "withItems"))) {
    inv.with_items = ToJson(Get(node, "withItems"));
    inv.with_items_pos = PosOf(Get(node, "withItems"));
  }
  inv.with_param = Opt(node, "withParam");
  const YAML::Node seq = Get(node, "withSequence");
  if (IsMap(seq)) {
    inv.with_sequence = Sequence{Opt(seq, "count"), Opt(seq, "start"), Opt(seq, "end"),
                                 Opt(seq, "format"), PosOf(seq)};
  }
  const YAML::Node continue_on = Get(node, "continueOn");
  if (IsMap(continue_on)) {
    inv.continue_on = ContinueOn{Bool(continue_on, "error").value_or(false),
                                 Bool(continue_on, "failed").value_or(false)};
  }
  inv.on_exit = Str(node, "onExit");
  inv.hooks = ReadHooks(Get(node, "hooks"));
  inv.pos = PosOf(node);
  return inv;
}

Template ModelReader::ReadTemplate(const YAML::Node& node) {
  Template t;
  t.name = Str(node, "name");
  t.pos = PosOf(node);
  static constexpr struct {
    const char* field;
    TemplateKind kind;
  } kKinds[] = {{"container", TemplateKind::kContainer},
                {"script", TemplateKind::kScript},
                {"dag", TemplateKind::kDag},
                {"steps", TemplateKind::kSteps},
                {"suspend", TemplateKind::kSuspend},
                {"resource", TemplateKind::kResource},
                {"http", TemplateKind::kHttp},
                {"data", TemplateKind::kData},
                {"containerSet", TemplateKind::kUnknown},
                {"plugin", TemplateKind::kUnknown}};
  for (const auto& k : kKinds) {
    // Presence counts (`suspend: {}` is a suspend template); null is unset, as in Go.
    if (!IsUnset(Get(node, k.field))) {
      t.declared_kinds.push_back(k.field);
      t.kind = k.kind;
    }
  }
  if (t.declared_kinds.size() != 1) t.kind = TemplateKind::kUnknown;

  const YAML::Node inputs = Get(node, "inputs");
  t.inputs.parameters = ReadParameters(Get(inputs, "parameters"));
  t.inputs.artifacts = ReadArtifacts(Get(inputs, "artifacts"));
  const YAML::Node outputs = Get(node, "outputs");
  t.outputs.parameters = ReadParameters(Get(outputs, "parameters"));
  t.outputs.artifacts = ReadArtifacts(Get(outputs, "artifacts"));
  if (IsMap(Get(node, "container"))) t.container = ReadContainer(Get(node, "container"));
  if (IsMap(Get(node, "script"))) t.container = ReadContainer(Get(node, "script"));
  const YAML::Node dag = Get(node, "dag");
  if (IsMap(dag)) {
    for (const YAML::Node& task : Get(dag, "tasks")) t.dag.tasks.push_back(ReadInvocation(task));
    t.dag.target = Opt(dag, "target");
    t.dag.fail_fast = Bool(dag, "failFast");
    t.dag.pos = PosOf(dag);
  }
  for (const YAML::Node& group : Get(node, "steps")) {
    std::vector<Invocation> steps;
    for (const YAML::Node& step : group) steps.push_back(ReadInvocation(step));
    t.steps.push_back(std::move(steps));
    t.step_group_pos.push_back(PosOf(group));
  }
  const YAML::Node suspend = Get(node, "suspend");
  if (!IsUnset(suspend)) {
    t.suspend.duration = IsMap(suspend) ? Opt(suspend, "duration") : std::nullopt;
    t.suspend.pos = PosOf(suspend);
  }
  if (IsMap(Get(node, "retryStrategy"))) t.retry_strategy = ReadRetry(Get(node, "retryStrategy"));
  t.active_deadline_seconds = Opt(node, "activeDeadlineSeconds");
  t.timeout = Opt(node, "timeout");
  t.parallelism = Opt(node, "parallelism");
  t.fail_fast = Bool(node, "failFast");
  const YAML::Node metadata = Get(node, "metadata");
  if (IsMap(metadata)) {
    t.metadata.labels = StrMap(Get(metadata, "labels"));
    t.metadata.annotations = StrMap(Get(metadata, "annotations"));
  }
  // Argo's examples also set a display name through a template-level `annotations`.
  for (const auto& [key, value] : StrMap(Get(node, "annotations")))
    t.metadata.annotations.emplace(key, value);
  t.empty_dir_volumes = ReadEmptyDirs(Get(node, "volumes"));
  t.synchronization = ReadSynchronization(Get(node, "synchronization"));
  if (!IsUnset(Get(node, "memoize"))) t.memoize = ToJson(Get(node, "memoize"));
  t.daemon = Bool(node, "daemon").value_or(false);
  return t;
}

WorkflowSpec ModelReader::ReadSpec(const YAML::Node& node) {
  WorkflowSpec spec;
  if (!IsMap(node)) return spec;
  spec.entrypoint = Str(node, "entrypoint");
  spec.entrypoint_pos = PosOf(IsUnset(Get(node, "entrypoint")) ? node : Get(node, "entrypoint"));
  spec.arguments = ReadArguments(Get(node, "arguments"));
  for (const YAML::Node& tmpl : Get(node, "templates"))
    spec.templates.push_back(ReadTemplate(tmpl));
  spec.on_exit = Str(node, "onExit");
  spec.hooks = ReadHooks(Get(node, "hooks"));
  spec.parallelism = Opt(node, "parallelism");
  spec.active_deadline_seconds = Opt(node, "activeDeadlineSeconds");
  if (IsMap(Get(node, "retryStrategy")))
    spec.retry_strategy = ReadRetry(Get(node, "retryStrategy"));
  if (const YAML::Node ref = Get(node, "workflowTemplateRef"); IsMap(ref)) {
    spec.workflow_template_ref = Str(ref, "name");
    spec.workflow_template_ref_cluster_scope = Bool(ref, "clusterScope").value_or(false);
    spec.workflow_template_ref_pos = PosOf(ref);
  }
  spec.empty_dir_volumes = ReadEmptyDirs(Get(node, "volumes"));
  spec.priority = Int(node, "priority");
  spec.synchronization = ReadSynchronization(Get(node, "synchronization"));
  spec.service_account_name = Str(node, "serviceAccountName");
  spec.pos = PosOf(node);
  return spec;
}

}  // namespace loom::spec
