// The workflow's lifecycle (start, exit handler, final phase), the node map,
// notifications between frames, timers, Pod hand-out and shutdown.
#include "engine/workflow_run.h"

#include <random>

#include "engine/bindings.h"
#include "engine/frames.h"
#include "engine/names.h"
#include "expr/template.h"
#include "spec/duration.h"
#include "spec/template_ref.h"

namespace loom::engine {

namespace {

WorkflowPhase ToWorkflowPhase(NodePhase phase) {
  switch (phase) {
    case NodePhase::kFailed:
      return WorkflowPhase::kFailed;
    case NodePhase::kError:
      return WorkflowPhase::kError;
    default:
      return WorkflowPhase::kSucceeded;
  }
}

std::string RandomUid() {
  std::random_device device;
  std::mt19937_64 random(device());
  const char* hex = "0123456789abcdef";
  std::string uid;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) uid += '-';
    uid += hex[random() % 16];
  }
  return uid;
}

}  // namespace

WorkflowRun::WorkflowRun(const spec::Workflow& workflow, EngineOptions options)
    : workflow_(workflow), options_(std::move(options)) {
  if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
  status_.name = options_.name;
  status_.namespace_ = options_.namespace_;
  if (!options_.locks) {
    own_locks_ = std::make_unique<scheduler::LockTable>(scheduler::LimitsFrom(spec::SyncConfig()));
  }
}

void WorkflowRun::InitGlobalScope() {
  const spec::WorkflowSpec& spec = workflow_.spec;
  global_scope_.Set("workflow.name", status_.name);
  global_scope_.Set("workflow.namespace", status_.namespace_);
  global_scope_.Set("workflow.uid", RandomUid());
  global_scope_.Set("workflow.creationTimestamp", FormatTime(*status_.started_at));
  global_scope_.Set("workflow.serviceAccountName", spec.service_account_name);
  global_scope_.Set("workflow.mainEntrypoint",
                    options_.entrypoint.empty() ? spec.entrypoint : options_.entrypoint);
  if (spec.priority) global_scope_.Set("workflow.priority", std::to_string(*spec.priority));
  for (const auto& [key, value] : workflow_.metadata.labels) {
    global_scope_.Set("workflow.labels." + key, value);
  }
  for (const auto& [key, value] : workflow_.metadata.annotations) {
    global_scope_.Set("workflow.annotations." + key, value);
  }
  // A CronWorkflow's run carries the time it was due (Argo's workflow.scheduledTime).
  auto scheduled = workflow_.metadata.annotations.find("workflows.argoproj.io/scheduled-time");
  if (scheduled != workflow_.metadata.annotations.end()) {
    global_scope_.Set("workflow.scheduledTime", scheduled->second);
  }
  Json list = Json::array();
  for (const spec::Parameter& p : spec.arguments.parameters) {
    std::optional<std::string> value = p.value ? p.value : p.default_value;
    auto given = options_.parameters.find(p.name);
    if (given != options_.parameters.end()) value = given->second;
    if (value) {
      auto text = expr::Substitute(*value, global_scope_, expr::Unresolved::kKeep);
      if (text.ok()) value = *text;
      global_scope_.Set("workflow.parameters." + p.name, *value);
      list.push_back({{"name", p.name}, {"value", *value}});
    }
    status_.parameters.push_back({p.name, value});
  }
  global_scope_.Set("workflow.parameters", list.dump());
}

void WorkflowRun::Start() {
  status_.phase = WorkflowPhase::kRunning;
  status_.started_at = Now();
  if (!options_.created) options_.created = status_.started_at;
  InitGlobalScope();
  AdoptRestoredLocks();
  if (workflow_.spec.synchronization && !TakeWorkflowLocks()) {
    Drain();
    return;
  }
  Begin();
}

void WorkflowRun::Begin() {
  const spec::WorkflowSpec& spec = workflow_.spec;
  if (spec.parallelism) {
    auto limit = expr::Substitute(*spec.parallelism, global_scope_);
    if (limit.ok()) {
      try {
        pod_limit_ = static_cast<size_t>(std::stoul(*limit));
      } catch (const std::exception&) {
      }
    }
  }
  if (spec.active_deadline_seconds) {
    auto seconds = spec::ParseDurationSeconds(*spec.active_deadline_seconds);
    if (seconds.ok()) {
      AddTimer(Now() + std::chrono::milliseconds(static_cast<int64_t>(*seconds * 1000)),
               [this] { FireDeadline(); });
    }
  }
  std::string entrypoint = options_.entrypoint.empty() ? spec.entrypoint : options_.entrypoint;
  Invocation invocation;
  invocation.node_name = status_.name;
  invocation.display_name = status_.name;
  invocation.tmpl = workflow_.FindTemplate(entrypoint);
  if (invocation.tmpl == nullptr) {
    Finish(WorkflowPhase::kError, "entrypoint template '" + entrypoint + "' not found");
    return;
  }
  for (const ParameterValue& p : status_.parameters) invocation.arguments.parameters.push_back(p);
  root_id_ = NodeId(status_.name, status_.name);
  Invoke(std::move(invocation));
  Drain();
}

std::vector<Command> WorkflowRun::TakeCommands() {
  std::vector<Command> out;
  out.swap(commands_);
  return out;
}

std::vector<std::string> WorkflowRun::TakeChangedNodes() {
  std::vector<std::string> out;
  out.swap(changed_);
  changed_set_.clear();
  return out;
}

Node* WorkflowRun::FindNode(const std::string& id) {
  auto it = status_.nodes.find(id);
  return it == status_.nodes.end() ? nullptr : &it->second;
}

std::string WorkflowRun::IdFor(const std::string& name) const {
  std::string id = NodeId(status_.name, name);
  for (int probe = 1;; ++probe) {
    auto it = status_.nodes.find(id);
    if (it == status_.nodes.end() || it->second.name == name) return id;
    id = NodeId(status_.name, name + "#" + std::to_string(probe));
  }
}

Node& WorkflowRun::CreateNode(const std::string& name, const std::string& display_name,
                              NodeType type, const std::string& template_name,
                              const std::string& boundary_id) {
  std::string id = IdFor(name);
  Node& node = status_.nodes[id];
  node = Node{};
  node.id = id;
  node.name = name;
  node.display_name = display_name;
  node.type = type;
  node.template_name = template_name;
  node.boundary_id = boundary_id;
  node.phase = NodePhase::kRunning;
  node.started_at = Now();
  MarkChanged(id);
  return node;
}

void WorkflowRun::AddChild(const std::string& parent_id, const std::string& child_id) {
  Node* parent = FindNode(parent_id);
  if (parent == nullptr) return;
  parent->children.push_back(child_id);
  MarkChanged(parent_id);
}

void WorkflowRun::MarkChanged(const std::string& id) {
  if (changed_set_.emplace(id, true).second) changed_.push_back(id);
}

void WorkflowRun::Complete(const std::string& id, NodePhase phase, const std::string& message) {
  Node* node = FindNode(id);
  if (node == nullptr || IsFulfilled(node->phase)) return;
  node->phase = phase;
  if (!message.empty()) node->message = message;
  node->finished_at = Now();
  if (!node->started_at) node->started_at = node->finished_at;
  MarkChanged(id);
  auto frame = frames_.find(id);
  if (frame != frames_.end()) {
    finished_frames_.push_back(std::move(frame->second));
    frames_.erase(frame);
  }
  if (!held_.empty() || !lock_waits_.empty()) ReleaseLocks(id);
  Notify(id);
}

void WorkflowRun::Notify(const std::string& id) { notifications_.push_back(id); }

std::vector<std::string> WorkflowRun::OutboundNodes(const std::string& id) {
  Node* node = FindNode(id);
  if (node == nullptr) return {};
  switch (node->type) {
    case NodeType::kPod:
    case NodeType::kSkipped:
    case NodeType::kSuspend:
      return {id};
    case NodeType::kTaskGroup: {
      if (node->children.empty()) return {id};
      std::vector<std::string> out;
      for (const std::string& child : std::vector<std::string>(node->children)) {
        for (std::string& o : OutboundNodes(child)) out.push_back(std::move(o));
      }
      return out;
    }
    case NodeType::kRetry:
      if (!node->children.empty()) return {node->children.back()};
      return {id};
    default: {
      if (node->outbound_nodes.empty()) return {id};
      std::vector<std::string> out;
      for (const std::string& o : std::vector<std::string>(node->outbound_nodes)) {
        for (std::string& x : OutboundNodes(o)) out.push_back(std::move(x));
      }
      return out;
    }
  }
}

std::string WorkflowRun::CreateFinishedNode(const Invocation& invocation, NodeType type,
                                            NodePhase phase, const std::string& message) {
  Node& node = CreateNode(invocation.node_name, invocation.display_name, type,
                          invocation.tmpl ? invocation.tmpl->name : "", invocation.boundary_id);
  std::string id = node.id;
  if (invocation.tmpl != nullptr &&
      (phase == NodePhase::kSkipped || phase == NodePhase::kOmitted)) {
    // A skipped producer still offers the defaults of its output parameters.
    for (const spec::Parameter& p : invocation.tmpl->outputs.parameters) {
      if (p.value_from && p.value_from->default_value) {
        node.outputs.parameters.push_back({p.name, *p.value_from->default_value});
      }
    }
  }
  LinkParent(id, invocation);
  Complete(id, phase, message);
  return id;
}

const spec::Template* WorkflowRun::ResolveTemplate(const spec::Invocation& step,
                                                   std::string* error) {
  if (step.template_ref_name) {
    if (options_.library != nullptr) {
      if (const spec::Template* t = spec::FindReferencedTemplate(*options_.library, step)) return t;
    }
    *error = "template '" + step.template_ref_template.value_or("") + "' of " +
             spec::Describe({*step.template_ref_name, step.template_ref_cluster_scope}) +
             " not found";
    return nullptr;
  }
  const spec::Template* t = workflow_.FindTemplate(step.template_name);
  if (t == nullptr) *error = "template '" + step.template_name + "' not found";
  return t;
}

void WorkflowRun::AddFrame(std::unique_ptr<Frame> frame) {
  std::string id = frame->node_id;
  frames_[id] = std::move(frame);
}

void WorkflowRun::LinkParent(const std::string& id, const Invocation& invocation) {
  if (!invocation.parent_id.empty()) parents_[id] = {invocation.parent_id, invocation.slot};
}

Frame* WorkflowRun::FindFrame(const std::string& id) {
  auto it = frames_.find(id);
  return it == frames_.end() ? nullptr : it->second.get();
}

void WorkflowRun::StartPod(executor::StepRequest request) {
  if (pod_limit_ && running_pods_ >= *pod_limit_) {
    waiting_pods_.push_back(std::move(request));
    return;
  }
  ++running_pods_;
  Command command;
  command.type = Command::Type::kStart;
  command.request = std::move(request);
  commands_.push_back(std::move(command));
}

void WorkflowRun::ReleasePodSlot() {
  --running_pods_;
  while (!waiting_pods_.empty() && (!pod_limit_ || running_pods_ < *pod_limit_)) {
    executor::StepRequest next = std::move(waiting_pods_.front());
    waiting_pods_.pop_front();
    StartPod(std::move(next));
  }
}

void WorkflowRun::KillPod(const std::string& id) {
  for (auto it = waiting_pods_.begin(); it != waiting_pods_.end(); ++it) {
    if (it->id != id) continue;
    waiting_pods_.erase(it);
    executor::StepResult result;
    result.id = id;
    result.killed = true;
    result.started_at = result.finished_at = Now();
    if (auto* pod = dynamic_cast<PodFrame*>(FindFrame(id))) pod->OnFinished(*this, result);
    return;
  }
  Command command;
  command.type = Command::Type::kKill;
  command.id = id;
  commands_.push_back(std::move(command));
}

void WorkflowRun::AddTimer(TimePoint when, std::function<void()> fn) {
  timers_.push(Timer{when, timer_seq_++, std::move(fn)});
}

void WorkflowRun::StepStarted(const std::string& id, TimePoint at, const std::string& log_path) {
  Node* node = FindNode(id);
  if (node == nullptr || IsFulfilled(node->phase)) return;
  node->phase = NodePhase::kRunning;
  node->started_at = at;
  node->log_path = log_path;
  MarkChanged(id);
}

void WorkflowRun::StepNoted(const std::string& id, const std::string& message) {
  Node* node = FindNode(id);
  if (node == nullptr || IsFulfilled(node->phase) || node->message == message) return;
  node->message = message;
  MarkChanged(id);
}

void WorkflowRun::StepFinished(const executor::StepResult& result) {
  auto* pod = dynamic_cast<PodFrame*>(FindFrame(result.id));
  if (pod == nullptr) return;
  // What the step waited for (StepNoted) is moot once it ended.
  if (Node* node = FindNode(result.id)) node->message.clear();
  ReleasePodSlot();
  pod->OnFinished(*this, result);
  Drain();
}

void WorkflowRun::Tick() {
  TimePoint now = Now();
  while (!timers_.empty() && timers_.top().when <= now) {
    auto fn = timers_.top().fn;
    timers_.pop();
    fn();
    Drain();
  }
}

std::optional<TimePoint> WorkflowRun::NextWakeup() const {
  if (timers_.empty() || done_) return std::nullopt;
  return timers_.top().when;
}

void WorkflowRun::PublishGlobalOutputs(const Node& node) {
  auto set_parameter = [&](const std::string& global, const std::string& value) {
    global_scope_.Set("workflow.outputs.parameters." + global, value);
    for (ParameterValue& p : status_.output_parameters) {
      if (p.name == global) {
        p.value = value;
        return;
      }
    }
    status_.output_parameters.push_back({global, value});
  };
  const spec::Template* tmpl = workflow_.FindTemplate(node.template_name);
  if (tmpl == nullptr) return;
  for (const spec::Parameter& p : tmpl->outputs.parameters) {
    if (p.global_name.empty()) continue;
    for (const ParameterValue& v : node.outputs.parameters) {
      if (v.name == p.name && v.value) set_parameter(p.global_name, *v.value);
    }
  }
  for (const spec::Artifact& a : tmpl->outputs.artifacts) {
    if (a.global_name.empty()) continue;
    for (const ArtifactValue& v : node.outputs.artifacts) {
      if (v.name != a.name) continue;
      ArtifactValue global = v;
      global.name = a.global_name;
      global_scope_.Set("workflow.outputs.artifacts." + a.global_name, ArtifactToJson(global));
      status_.output_artifacts.push_back(global);
    }
  }
}

bool WorkflowRun::MayStart(const Invocation& invocation) const {
  if (shutdown_ == Shutdown::kNone) return true;
  return invocation.on_exit && shutdown_ != Shutdown::kTerminate;
}

std::string WorkflowRun::ShutdownMessage() const {
  switch (shutdown_) {
    case Shutdown::kStop:
      return "Stopped with strategy 'Stop'";
    case Shutdown::kTerminate:
      return "Stopped with strategy 'Terminate'";
    case Shutdown::kDeadline:
      return "Step exceeded its deadline";
    case Shutdown::kNone:
      break;
  }
  return "stopped";
}

void WorkflowRun::RequestShutdown(Shutdown kind) {
  if (done_ || shutdown_ != Shutdown::kNone) return;
  shutdown_ = kind;
  if (waiting_for_workflow_locks_) {
    // Argo fails a Pending workflow that is stopped while it waits for its lock.
    StopWaiting("");
    locks().Release(HolderOf(""));
    Finish(WorkflowPhase::kFailed, ShutdownMessage());
    return;
  }
  std::vector<std::string> waiting;  // never started: they end as a stopped step does
  for (const auto& [id, wait] : lock_waits_) {
    if (!MayStart(wait.invocation)) waiting.push_back(id);
  }
  for (const std::string& id : waiting) Complete(id, NodePhase::kFailed, ShutdownMessage());
  std::vector<Frame*> frames;
  for (auto& [id, frame] : frames_) frames.push_back(frame.get());
  for (Frame* frame : frames) {
    if (frame->invocation.on_exit && kind != Shutdown::kTerminate) continue;
    frame->OnShutdown(*this);
    if (dynamic_cast<PodFrame*>(frame) != nullptr) KillPod(frame->node_id);
    if (dynamic_cast<SuspendFrame*>(frame) != nullptr) {
      Complete(frame->node_id, NodePhase::kFailed, ShutdownMessage());
    }
  }
  Drain();
}

void WorkflowRun::FireDeadline() {
  if (finishing_ || done_) return;
  RequestShutdown(Shutdown::kDeadline);
}

void WorkflowRun::Resume() {
  std::vector<Frame*> frames;
  for (auto& [id, frame] : frames_) frames.push_back(frame.get());
  for (Frame* frame : frames) {
    if (auto* suspend = dynamic_cast<SuspendFrame*>(frame)) suspend->Resume(*this);
  }
  Drain();
}

void WorkflowRun::Drain() {
  while (true) {
    if (notifications_.empty() && own_locks_) {
      // With a table of its own, every admission is one of this run's.
      for (const scheduler::Holder& holder : own_locks_->TakeGranted()) Admit(holder.node);
    }
    if (notifications_.empty()) break;
    std::string id = notifications_.front();
    notifications_.pop_front();
    if (id == root_id_) {
      OnRootDone();
      continue;
    }
    if (!exit_id_.empty() && id == exit_id_) {
      const Node& exit = node(exit_id_);
      WorkflowPhase phase = ToWorkflowPhase(root_phase_);
      std::string message = root_message_;
      if (phase == WorkflowPhase::kSucceeded && exit.phase != NodePhase::kSucceeded) {
        phase = ToWorkflowPhase(exit.phase);
        message = exit.message;
      }
      Finish(phase, message);
      continue;
    }
    auto link = parents_.find(id);
    if (link == parents_.end()) continue;
    ParentLink parent = link->second;
    parents_.erase(link);
    if (Frame* frame = FindFrame(parent.frame_id)) frame->OnChildDone(*this, parent.slot, id);
  }
  finished_frames_.clear();
  CheckDone();
}

void WorkflowRun::OnRootDone() {
  const Node& root = node(root_id_);
  root_phase_ = root.phase;
  root_message_ = root.message;
  if (shutdown_ == Shutdown::kStop || shutdown_ == Shutdown::kTerminate) {
    root_message_ = ShutdownMessage();
  } else if (shutdown_ == Shutdown::kDeadline) {
    root_message_ = "Max duration limit exceeded";
  }
  if (shutdown_ != Shutdown::kTerminate) StartExitHandler();
  if (!exit_started_) Finish(ToWorkflowPhase(root_phase_), root_message_);
}

void WorkflowRun::StartExitHandler() {
  const spec::WorkflowSpec& spec = workflow_.spec;
  std::string exit_template = spec.on_exit;
  const spec::Arguments* arguments = nullptr;
  for (const spec::Hook& hook : spec.hooks) {
    if (hook.name == "exit") {
      exit_template = hook.template_name;
      arguments = &hook.arguments;
    }
  }
  if (exit_template.empty()) return;
  exit_started_ = true;
  const Node& root = node(root_id_);
  global_scope_.Set("workflow.status", WorkflowPhaseName(ToWorkflowPhase(root_phase_)));
  // Argo marshals failedNodeStatus, so the keys keep its struct's order.
  nlohmann::ordered_json failures = nlohmann::ordered_json::array();
  for (const auto& [id, n] : status_.nodes) {
    if (n.phase != NodePhase::kFailed && n.phase != NodePhase::kError) continue;
    failures.push_back({{"displayName", n.display_name},
                        {"message", n.message},
                        {"templateName", n.template_name},
                        {"phase", NodePhaseName(n.phase)},
                        {"podName", n.id},
                        {"finishedAt", n.finished_at ? FormatTime(*n.finished_at) : ""}});
  }
  global_scope_.Set("workflow.failures", failures.dump());
  double seconds = std::chrono::duration<double>(Now() - root.started_at.value_or(Now())).count();
  global_scope_.Set("workflow.duration", std::to_string(seconds));

  Invocation invocation;
  invocation.node_name = status_.name + ".onExit";
  invocation.display_name = invocation.node_name;
  invocation.on_exit = true;
  invocation.tmpl = workflow_.FindTemplate(exit_template);
  if (invocation.tmpl == nullptr) {
    exit_started_ = false;
    root_phase_ = NodePhase::kError;
    root_message_ = "exit handler template '" + exit_template + "' not found";
    return;
  }
  if (arguments != nullptr) {
    auto resolved = ResolveArguments(*arguments, global_scope_);
    if (resolved.ok()) invocation.arguments = std::move(*resolved);
  }
  exit_id_ = IdFor(invocation.node_name);
  Invoke(std::move(invocation));
}

void WorkflowRun::Finish(WorkflowPhase phase, const std::string& message) {
  if (finishing_) return;
  finishing_ = true;
  final_phase_ = phase;
  final_message_ = message;
  CheckDone();
}

void WorkflowRun::CheckDone() {
  if (!finishing_ || done_ || running_pods_ > 0 || !waiting_pods_.empty()) return;
  done_ = true;
  status_.phase = final_phase_;
  status_.message = final_message_;
  status_.finished_at = Now();
  // As Argo's ReleaseAll: whatever the run still holds or waits for goes.
  locks().ReleaseWorkflow(HolderOf("").workflow);
  status_.synchronization = {};
  held_.clear();
}

}  // namespace loom::engine
