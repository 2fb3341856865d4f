// The controller's loop: the multi-workflow form of `loom run`'s loop
// (cli/run_command.cc). Each turn runs posted requests, carries engine
// commands out and step events in, writes changes to the store, then waits
// for a step to end, a timer or a request.
#include "server/controller.h"

#include <algorithm>
#include <iostream>

#include "executor/supervised_executor.h"
#include "server/startup.h"

namespace loom::server {

namespace {

constexpr std::chrono::milliseconds kMaxWait(200);

std::unique_ptr<executor::Executor> MakeExecutor(const ControllerOptions& options) {
  if (options.supervisor.empty()) {
    return std::make_unique<executor::LocalExecutor>(
        executor::LocalExecutorOptions{options.work_dir, options.isolation, nullptr});
  }
  return std::make_unique<executor::SupervisedExecutor>(
      executor::SupervisedExecutorOptions{options.supervisor, options.isolation, options.work_dir});
}

}  // namespace

Controller::Controller(store::Store& store, Metrics& metrics, ControllerOptions options)
    : store_(store),
      metrics_(metrics),
      options_(std::move(options)),
      executor_(MakeExecutor(options_)),
      scheduler_(options_.capacity, *executor_),
      locks_(scheduler::LimitsFrom(options_.sync_config)),
      random_(std::random_device()()) {}

Controller::~Controller() { Stop(); }

Status Controller::Start() {
  auto unfinished = LoadUnfinished(store_, metrics_);
  if (!unfinished.ok()) return unfinished.status();
  std::vector<std::unique_ptr<ActiveWorkflow>> continued;
  for (store::StoredWorkflow& stored : *unfinished) {
    store::WorkflowHeader header = stored.header;
    auto workflow = ContinueWorkflow(store_, std::move(stored), locks_);
    if (workflow.ok()) {
      continued.push_back(std::move(*workflow));
      continue;
    }
    std::cerr << "loom server: cannot continue workflow " << header.name << ": " << workflow.error()
              << "\n";
    Status marked = MarkInterrupted(store_, std::move(header), workflow.error());
    if (!marked.ok()) return marked;
    metrics_.WorkflowMoved("", "Error");
  }
  // Every stored holder takes its locks again before any engine asks for one.
  for (const auto& workflow : continued) RestoreLocks(workflow->header(), locks_);
  persisted_acquisitions_ = locks_.acquisitions();
  for (auto& workflow : continued)
    Adopt(std::move(workflow));  // the loop thread is not running yet
  {
    std::lock_guard lock(mutex_);
    stopped_ = false;
  }
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void Controller::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
  }
  stopping_ = true;
  executor_->Wake();
  if (thread_.joinable()) thread_.join();
  // Unanswered requests break their promises: their callers get 503.
  std::vector<std::function<void()>> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(tasks_);
  }
  dropped.clear();
  active_.clear();
}

void Controller::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;  // dropped: a waiting caller's promise breaks
    tasks_.push_back(std::move(task));
  }
  executor_->Wake();
}

ApiResult<Json> Controller::Ask(std::function<void(const Reply&)> task) {
  auto reply = std::make_shared<std::promise<ApiResult<Json>>>();
  std::future<ApiResult<Json>> answer = reply->get_future();
  Post([task = std::move(task), reply] { task(reply); });
  reply.reset();
  try {
    return answer.get();
  } catch (const std::future_error&) {
    return ApiError{503, "the server is stopping"};
  }
}

void Controller::Loop() {
  while (!stopping_) {
    RunTasks();
    if (Pump()) continue;
    PersistAll();
    metrics_.SetQueueDepth(dispatcher_.waiting() + scheduler_.queued());
    for (executor::StepResult& r : scheduler_.Wait(WaitTimeout())) Deliver(std::move(r));
    for (auto& [uid, workflow] : active_) workflow->engine().Tick();
  }
}

void Controller::RunTasks() {
  std::vector<std::function<void()>> tasks;
  {
    std::lock_guard lock(mutex_);
    tasks.swap(tasks_);
  }
  for (auto& task : tasks) task();
}

bool Controller::Pump() {
  bool granted = RouteGrants();
  std::vector<executor::StepResult> reused;
  for (auto& [uid, workflow] : active_) {
    for (engine::Command& command : workflow->engine().TakeCommands()) {
      std::string step_id =
          uid + "." +
          (command.type == engine::Command::Type::kStart ? command.request.id : command.id);
      if (command.type == engine::Command::Type::kStart) {
        executor::StepRequest request = std::move(command.request);
        std::string node_id = request.id;
        request.log_path = workflow->StepLogPath(node_id);
        step_owner_[step_id] = uid;
        if (EarlierRun* earlier = workflow->earlier()) {
          auto node = workflow->engine().status().nodes.find(node_id);
          if (node != workflow->engine().status().nodes.end()) {
            if (auto result = earlier->Reuse(request, node->second)) {
              workflow->engine().StepStarted(node_id, result->started_at, request.log_path);
              result->id = step_id;
              reused.push_back(std::move(*result));
              continue;
            }
          }
        }
        request.id = step_id;
        if (workflow->earlier() && workflow->earlier()->continued() && scheduler_.Adopt(request)) {
          continue;  // started by the previous server; TakeStarted() reports it
        }
        dispatcher_.Add(uid, workflow->priority(), std::move(request));
      } else if (auto now = dispatcher_.Remove(uid, step_id)) {
        immediate_.push_back(std::move(*now));
      } else if (auto killed = scheduler_.Kill(step_id)) {
        immediate_.push_back(std::move(*killed));
      }
    }
  }
  if (locks_.acquisitions() != persisted_acquisitions_) PersistLocks();
  for (executor::StepResult& r : dispatcher_.Feed(scheduler_)) immediate_.push_back(std::move(r));
  for (const auto& [step_id, at] : scheduler_.TakeStarted()) {
    auto owner = step_owner_.find(step_id);
    if (owner == step_owner_.end()) continue;
    ActiveWorkflow& workflow = *active_.at(owner->second);
    std::string node_id = step_id.substr(owner->second.size() + 1);
    workflow.engine().StepStarted(node_id, at, workflow.StepLogPath(node_id));
    metrics_.StepStarted();
  }
  if (immediate_.empty() && reused.empty()) return granted;
  std::vector<executor::StepResult> results;
  results.swap(immediate_);
  for (executor::StepResult& r : results) Deliver(std::move(r));
  for (executor::StepResult& r : reused) Deliver(std::move(r), false);
  return true;
}

bool Controller::RouteGrants() {
  bool any = false;
  for (auto granted = locks_.TakeGranted(); !granted.empty(); granted = locks_.TakeGranted()) {
    for (const scheduler::Holder& holder : granted) {
      auto it = by_name_.find(holder.workflow);
      if (it == by_name_.end()) continue;
      active_.at(it->second)->engine().LockGranted(holder.node);
      any = true;
    }
  }
  return any;
}

void Controller::PersistLocks() {
  for (auto& [uid, workflow] : active_) {
    Status persisted = workflow->Persist(store_, metrics_);
    if (!persisted.ok()) {
      std::cerr << "loom server: cannot store workflow " << workflow->header().name << ": "
                << persisted.message() << "\n";
    }
  }
  Status synced = store_.Sync();
  if (!synced.ok()) std::cerr << "loom server: store sync failed: " << synced.message() << "\n";
  persisted_acquisitions_ = locks_.acquisitions();
}

void Controller::Deliver(executor::StepResult result, bool ran) {
  auto owner = step_owner_.find(result.id);
  if (owner == step_owner_.end()) return;
  std::string uid = owner->second;
  step_owner_.erase(owner);
  auto it = active_.find(uid);
  if (it == active_.end()) return;
  std::string node_id = result.id.substr(uid.size() + 1);
  result.id = node_id;
  double seconds = std::chrono::duration<double>(result.finished_at - result.started_at).count();
  engine::Engine& engine = it->second->engine();
  engine.StepFinished(result);
  if (!ran) return;
  auto node = engine.status().nodes.find(node_id);
  EarlierRun* earlier = it->second->earlier();
  if (earlier && node != engine.status().nodes.end()) earlier->replay().RanAgain(node->second);
  std::string phase =
      node == engine.status().nodes.end() ? "Error" : engine::NodePhaseName(node->second.phase);
  metrics_.StepFinished(phase, std::max(0.0, seconds));
}

void Controller::PersistAll() {
  std::vector<std::string> done;
  for (auto& [uid, workflow] : active_) {
    Status persisted = workflow->Persist(store_, metrics_);
    if (!persisted.ok()) {
      std::cerr << "loom server: cannot store workflow " << workflow->header().name << ": "
                << persisted.message() << "\n";
    }
    if (workflow->engine().Done()) done.push_back(uid);
  }
  for (const std::string& uid : done) Finish(uid);
}

void Controller::Finish(const std::string& uid) {
  Status synced = store_.Sync();
  if (!synced.ok()) std::cerr << "loom server: store sync failed: " << synced.message() << "\n";
  auto it = active_.find(uid);
  std::unique_ptr<ActiveWorkflow> workflow = std::move(it->second);
  active_.erase(it);
  by_name_.erase(workflow->header().namespace_ + "/" + workflow->header().name);
  dispatcher_.Forget(uid);
  if (on_finished_) on_finished_(workflow->header());
  for (auto& callback : workflow->on_done()) callback();
}

std::chrono::milliseconds Controller::WaitTimeout() const {
  auto timeout = kMaxWait;
  auto now = std::chrono::system_clock::now();
  for (const auto& [uid, workflow] : active_) {
    if (auto wake = workflow->engine().NextWakeup()) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*wake - now);
      timeout = std::clamp(until, std::chrono::milliseconds(0), timeout);
    }
  }
  return timeout;
}

}  // namespace loom::server
