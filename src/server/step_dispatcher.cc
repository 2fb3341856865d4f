// Round robin over workflows, by priority.
#include "server/step_dispatcher.h"

#include <algorithm>
#include <climits>

namespace loom::server {

StepDispatcher::Queue& StepDispatcher::QueueOf(const std::string& workflow) {
  auto [it, added] = queues_.try_emplace(workflow);
  if (added) turns_.push_back(workflow);
  return it->second;
}

void StepDispatcher::Add(const std::string& workflow, int priority, executor::StepRequest request) {
  Queue& queue = QueueOf(workflow);
  queue.priority = priority;
  queue.steps.push_back(std::move(request));
  ++waiting_;
}

std::optional<executor::StepResult> StepDispatcher::Remove(const std::string& workflow,
                                                           const std::string& step_id) {
  auto it = queues_.find(workflow);
  if (it == queues_.end()) return std::nullopt;
  auto& steps = it->second.steps;
  auto step = std::find_if(steps.begin(), steps.end(),
                           [&](const executor::StepRequest& r) { return r.id == step_id; });
  if (step == steps.end()) return std::nullopt;
  steps.erase(step);
  --waiting_;
  executor::StepResult result;
  result.id = step_id;
  result.killed = true;
  result.message = "stopped before it started";
  result.started_at = result.finished_at = executor::Clock::now();
  return result;
}

void StepDispatcher::Hold(const std::string& workflow, bool held) { QueueOf(workflow).held = held; }

void StepDispatcher::Forget(const std::string& workflow) {
  auto it = queues_.find(workflow);
  if (it == queues_.end()) return;
  waiting_ -= it->second.steps.size();
  queues_.erase(it);
  turns_.remove(workflow);
}

std::map<std::string, StepDispatcher::Queue>::iterator StepDispatcher::Next() {
  int best = INT_MIN;
  auto chosen = queues_.end();
  for (const std::string& workflow : turns_) {
    auto it = queues_.find(workflow);
    if (it == queues_.end() || it->second.held || it->second.steps.empty()) continue;
    if (chosen == queues_.end() || it->second.priority > best) {
      best = it->second.priority;
      chosen = it;
    }
  }
  return chosen;
}

std::vector<executor::StepResult> StepDispatcher::Feed(scheduler::Scheduler& scheduler) {
  std::vector<executor::StepResult> refused;
  while (scheduler.queued() < scheduler.capacity().slots) {
    auto it = Next();
    if (it == queues_.end()) break;
    executor::StepRequest request = std::move(it->second.steps.front());
    it->second.steps.pop_front();
    --waiting_;
    // Served: its next turn comes after every other workflow's.
    turns_.remove(it->first);
    turns_.push_back(it->first);
    if (auto now = scheduler.Submit(std::move(request))) refused.push_back(std::move(*now));
  }
  return refused;
}

}  // namespace loom::server
