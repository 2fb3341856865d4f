// Pods and suspends: turning a container/script template into a fully
// resolved StepRequest, reading its result back into node outputs; and the
// dispatch from a template's kind to the frame that runs it.
#include <algorithm>

#include "engine/bindings.h"
#include "engine/frames.h"
#include "expr/template.h"
#include "spec/duration.h"
#include "spec/quantity.h"

namespace loom::engine {

namespace {

const char kArgosayImage[] = "argoproj/argosay";
const char kArgosayPath[] = "/argosay";

bool IsArgosayImage(const std::string& image) { return image.rfind(kArgosayImage, 0) == 0; }

// Where a Pod's output artifact is stored in the run's artifact folder.
std::string ArtifactLocation(const WorkflowRun& run, const std::string& node_id,
                             const std::string& name, bool archived) {
  return run.options().artifact_dir + "/" + node_id + "/" + name + (archived ? ".tgz" : "");
}

Status SubstituteAll(const std::vector<std::string>& in, const expr::Scope& scope,
                     std::vector<std::string>* out) {
  for (const std::string& s : in) {
    auto text = expr::Substitute(s, scope);
    if (!text.ok()) return text.status();
    out->push_back(std::move(*text));
  }
  return Status::Ok();
}

// Requests fall back to limits, as Kubernetes does when only limits are set.
Result<executor::ResourceRequest> ResolveResources(const spec::Resources& resources,
                                                   const expr::Scope& scope) {
  executor::ResourceRequest request;
  auto quantity = [&](const std::string& name) -> std::optional<std::string> {
    auto it = resources.requests.find(name);
    if (it != resources.requests.end()) return it->second;
    it = resources.limits.find(name);
    if (it != resources.limits.end()) return it->second;
    return std::nullopt;
  };
  struct Field {
    const char* name;
    Result<int64_t> (*parse)(std::string_view);
    int64_t* target;
  };
  Field fields[] = {{"cpu", spec::ParseCpuMillis, &request.cpu_millis},
                    {"memory", spec::ParseBytes, &request.memory_bytes},
                    {"nvidia.com/gpu", spec::ParseCount, &request.gpus}};
  for (const Field& field : fields) {
    auto written = quantity(field.name);
    if (!written) continue;
    auto text = expr::Substitute(*written, scope);
    if (!text.ok()) return Result<executor::ResourceRequest>::Error(text.error());
    auto value = field.parse(*text);
    if (!value.ok()) {
      return Result<executor::ResourceRequest>::Error(std::string("resources: ") + field.name +
                                                      ": " + value.error());
    }
    *field.target = *value;
  }
  return request;
}

bool IsEmptyDir(const spec::Workflow& workflow, const spec::Template& tmpl,
                const std::string& name) {
  auto has = [&](const std::vector<std::string>& names) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  return has(tmpl.empty_dir_volumes) || has(workflow.spec.empty_dir_volumes);
}

Result<executor::StepRequest> BuildRequest(WorkflowRun& run, const Invocation& invocation,
                                           const std::string& node_id, const NodeInputs& inputs,
                                           const expr::Scope& scope) {
  using R = Result<executor::StepRequest>;
  const spec::Template& tmpl = *invocation.tmpl;
  const spec::Container& c = tmpl.container;
  executor::StepRequest request;
  request.id = node_id;
  request.name = invocation.node_name;
  if (IsArgosayImage(c.image) && !run.options().argosay_script.empty()) {
    // Inside the step's own view, so it works wherever Loom is installed.
    request.input_artifacts.push_back(
        {"argosay", kArgosayPath, run.options().argosay_script, "", false, 0755});
    if (c.command.empty()) request.command.push_back(kArgosayPath);
  }
  if (Status s = SubstituteAll(c.command, scope, &request.command); !s.ok()) {
    return R::Error(s.message());
  }
  if (Status s = SubstituteAll(c.args, scope, &request.command); !s.ok()) {
    return R::Error(s.message());
  }
  if (c.source) {
    auto source = expr::Substitute(*c.source, scope);
    if (!source.ok()) return R::Error(source.error());
    request.script = std::move(*source);
  }
  if (request.command.empty()) {
    return R::Error("container has no command and image '" + c.image +
                    "' has no known entrypoint on this host");
  }
  for (const spec::EnvVar& e : c.env) {
    auto value = expr::Substitute(e.value, scope);
    if (!value.ok()) return R::Error("env " + e.name + ": " + value.error());
    request.env.emplace_back(e.name, std::move(*value));
  }
  auto working_dir = expr::Substitute(c.working_dir, scope);
  if (!working_dir.ok()) return R::Error(working_dir.error());
  request.working_dir = std::move(*working_dir);

  auto resources = ResolveResources(c.resources, scope);
  if (!resources.ok()) return R::Error(resources.error());
  request.resources = *resources;

  request.deadline = invocation.deadline;
  for (const auto& [key, text] : tmpl.metadata.annotations) {
    auto value = expr::Substitute(text, scope);
    if (!value.ok()) return R::Error("metadata.annotations." + key + ": " + value.error());
    request.annotations.emplace(key, std::move(*value));
  }

  for (const ArtifactValue& a : inputs.artifacts) {
    executor::InputArtifact in;
    in.name = a.name;
    in.path = a.path;
    in.raw_data = a.raw_data;
    in.source = a.location;
    in.source_is_archive = a.archived;
    for (const spec::Artifact& declared : tmpl.inputs.artifacts) {
      if (declared.name == a.name) in.mode = declared.mode;
    }
    request.input_artifacts.push_back(std::move(in));
  }
  for (const spec::Parameter& p : tmpl.outputs.parameters) {
    if (!p.value_from || !p.value_from->path) continue;
    auto path = expr::Substitute(*p.value_from->path, scope);
    if (!path.ok()) return R::Error(path.error());
    request.output_parameters.push_back({p.name, std::move(*path)});
  }
  for (const spec::Artifact& a : tmpl.outputs.artifacts) {
    auto path = expr::Substitute(a.path, scope);
    if (!path.ok()) return R::Error(path.error());
    executor::OutputArtifact out;
    out.name = a.name;
    out.path = std::move(*path);
    out.archive = !a.archive_none;
    out.optional = a.optional;
    out.destination = ArtifactLocation(run, node_id, a.name, out.archive);
    request.output_artifacts.push_back(std::move(out));
  }
  for (const spec::VolumeMount& m : c.volume_mounts) {
    if (IsEmptyDir(run.workflow(), tmpl, m.name)) request.empty_dirs.push_back(m.mount_path);
  }
  return request;
}

// A template's timeout and activeDeadlineSeconds bound every Pod below it.
Status TightenDeadline(const WorkflowRun& run, const spec::Template& tmpl, const expr::Scope& scope,
                       std::optional<TimePoint>* deadline) {
  for (const auto* limit : {&tmpl.timeout, &tmpl.active_deadline_seconds}) {
    if (!*limit) continue;
    auto text = expr::Substitute(**limit, scope);
    if (!text.ok()) return text.status();
    auto seconds = spec::ParseDurationSeconds(*text);
    if (!seconds.ok()) return seconds.status();
    TimePoint at = run.Now() + std::chrono::milliseconds(static_cast<int64_t>(*seconds * 1000));
    if (!*deadline || at < **deadline) *deadline = at;
  }
  return Status::Ok();
}

std::string TrimOneNewline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

}  // namespace

void StartTemplate(WorkflowRun& run, const Invocation& invocation, const std::string& node_id,
                   const NodeInputs& inputs, std::unique_ptr<expr::Scope> scope) {
  const spec::Template& tmpl = *invocation.tmpl;
  Node& node = run.node(node_id);
  node.inputs = inputs;
  if (!invocation.retries.empty()) scope->Set("retries", invocation.retries);
  run.LinkParent(node_id, invocation);
  Invocation own = invocation;
  if (Status s = TightenDeadline(run, tmpl, *scope, &own.deadline); !s.ok()) {
    run.Complete(node_id, NodePhase::kError, s.message());
    return;
  }
  if (tmpl.synchronization && !run.TakeLocks(own, node_id, scope)) return;
  RunTemplate(run, own, node_id, std::move(scope));
}

void RunTemplate(WorkflowRun& run, const Invocation& own, const std::string& node_id,
                 std::unique_ptr<expr::Scope> scope) {
  const spec::Template& tmpl = *own.tmpl;
  Node& node = run.node(node_id);
  const NodeInputs& inputs = node.inputs;
  switch (tmpl.kind) {
    case spec::TemplateKind::kContainer:
    case spec::TemplateKind::kScript: {
      auto frame = std::make_unique<PodFrame>();
      frame->node_id = node_id;
      frame->invocation = own;
      frame->tmpl = &tmpl;
      auto request = BuildRequest(run, own, node_id, inputs, *scope);
      run.AddFrame(std::move(frame));
      if (!request.ok()) {
        run.Complete(node_id, NodePhase::kError, request.error());
        return;
      }
      node.phase = NodePhase::kPending;
      node.started_at.reset();
      run.StartPod(std::move(*request));
      return;
    }
    case spec::TemplateKind::kSuspend: {
      auto frame = std::make_unique<SuspendFrame>();
      frame->node_id = node_id;
      frame->invocation = own;
      std::optional<std::string> duration = tmpl.suspend.duration;
      run.AddFrame(std::move(frame));
      if (duration) {
        auto text = expr::Substitute(*duration, *scope);
        auto seconds =
            text.ok() ? spec::ParseDurationSeconds(*text) : Result<double>::Error(text.error());
        if (!seconds.ok()) {
          run.Complete(node_id, NodePhase::kError, seconds.error());
          return;
        }
        std::string id = node_id;
        run.AddTimer(run.Now() + std::chrono::milliseconds(static_cast<int64_t>(*seconds * 1000)),
                     [&run, id] {
                       if (auto* s = dynamic_cast<SuspendFrame*>(run.FindFrame(id))) s->Resume(run);
                     });
      }
      return;
    }
    case spec::TemplateKind::kSteps: {
      auto frame = std::make_unique<StepsFrame>();
      frame->node_id = node_id;
      frame->invocation = own;
      frame->tmpl = &tmpl;
      frame->scope = std::move(scope);
      StepsFrame* steps = frame.get();
      run.AddFrame(std::move(frame));
      steps->StartGroup(run, 0);
      return;
    }
    case spec::TemplateKind::kDag: {
      auto frame = std::make_unique<DagFrame>();
      frame->node_id = node_id;
      frame->invocation = own;
      frame->tmpl = &tmpl;
      frame->scope = std::move(scope);
      DagFrame* dag = frame.get();
      run.AddFrame(std::move(frame));
      dag->Begin(run);
      return;
    }
    default: {
      auto frame = std::make_unique<PodFrame>();
      frame->node_id = node_id;
      frame->invocation = own;
      run.AddFrame(std::move(frame));
      run.Complete(node_id, NodePhase::kError,
                   std::string(spec::TemplateKindName(tmpl.kind)) +
                       " templates are not supported by the local executor");
    }
  }
}

void PodFrame::OnFinished(WorkflowRun& run, const executor::StepResult& result) {
  Node& node = run.node(node_id);
  if (result.started) {
    node.started_at = result.started_at;
    node.outputs.exit_code = std::to_string(result.exit_code);
    node.outputs.result = TrimOneNewline(result.stdout_text);
  }
  std::string missing;
  for (const spec::Parameter& p : tmpl->outputs.parameters) {
    ParameterValue value{p.name, std::nullopt};
    auto it = result.parameters.find(p.name);
    // Argo's executor drops one trailing newline of the file.
    if (it != result.parameters.end() && it->second) value.value = TrimOneNewline(*it->second);
    if (!value.value && p.value_from && p.value_from->default_value) {
      value.value = *p.value_from->default_value;
    }
    if (!value.value && p.value_from && p.value_from->path) {
      missing =
          "failed to save outputs: open " + *p.value_from->path + ": no such file or directory";
      continue;
    }
    node.outputs.parameters.push_back(std::move(value));
  }
  for (const spec::Artifact& a : tmpl->outputs.artifacts) {
    auto it = result.artifacts.find(a.name);
    bool collected = it != result.artifacts.end() && it->second;
    if (!collected) {
      if (!a.optional) {
        missing = "failed to save outputs: open " + a.path + ": no such file or directory";
      }
      continue;
    }
    ArtifactValue artifact;
    artifact.name = a.name;
    artifact.path = a.path;
    artifact.archived = !a.archive_none;
    artifact.location = ArtifactLocation(run, node_id, a.name, artifact.archived);
    node.outputs.artifacts.push_back(std::move(artifact));
  }
  run.PublishGlobalOutputs(node);

  NodePhase phase = NodePhase::kSucceeded;
  std::string message;
  if (result.killed) {
    phase = NodePhase::kFailed;
    message = run.shutdown() != Shutdown::kNone ? run.ShutdownMessage() : "stopped";
  } else if (!result.started) {
    phase = NodePhase::kFailed;
    message = result.message;
  } else if (result.deadline_exceeded) {
    phase = NodePhase::kFailed;
    message = result.message.empty()
                  ? "Pod was active on the node longer than the specified deadline"
                  : result.message;
  } else if (result.exit_code != 0) {
    phase = NodePhase::kFailed;
    // Argo says only "Error (exit code N)"; the step's last stderr line (as
    // Kubernetes' FallbackToLogsOnError would give) tells the user why.
    message = "Error (exit code " + std::to_string(result.exit_code) + ")";
    if (!result.message.empty()) {
      message = result.message;
    } else if (!result.stderr_last_line.empty()) {
      message += ": " + result.stderr_last_line;
    }
  } else if (!missing.empty()) {
    phase = NodePhase::kError;
    message = missing;
  }
  run.Complete(node_id, phase, message);
}

void SuspendFrame::Resume(WorkflowRun& run) {
  Node& node = run.node(node_id);
  if (IsFulfilled(node.phase)) return;
  for (const spec::Parameter& p : invocation.tmpl->outputs.parameters) {
    std::optional<std::string> value;
    if (p.value_from && p.value_from->supplied) value = *p.value_from->supplied;
    if (!value && p.value_from && p.value_from->default_value) value = *p.value_from->default_value;
    if (value) node.outputs.parameters.push_back({p.name, value});
  }
  run.Complete(node_id, NodePhase::kSucceeded);
}

}  // namespace loom::engine
