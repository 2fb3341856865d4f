// First-fit admission with backfill.
#include "scheduler/scheduler.h"

namespace loom::scheduler {

Scheduler::Scheduler(Capacity capacity, executor::Executor& executor)
    : total_(capacity), free_(capacity), executor_(executor) {}

std::optional<executor::StepResult> Scheduler::Submit(executor::StepRequest request) {
  std::string why = Infeasible(request.resources, total_);
  if (!why.empty()) {
    executor::StepResult result;
    result.id = request.id;
    result.message = "step " + why;
    result.started_at = result.finished_at = executor::Clock::now();
    return result;
  }
  queue_.push_back(std::move(request));
  Admit();
  return std::nullopt;
}

std::optional<executor::StepResult> Scheduler::Kill(const std::string& id) {
  for (auto it = queue_.begin(); it != queue_.end(); ++it) {
    if (it->id != id) continue;
    queue_.erase(it);
    executor::StepResult result;
    result.id = id;
    result.killed = true;
    result.message = "stopped before it started";
    result.started_at = result.finished_at = executor::Clock::now();
    return result;
  }
  if (running_.count(id)) executor_.Kill(id);
  return std::nullopt;
}

bool Scheduler::Adopt(const executor::StepRequest& request) {
  std::optional<executor::TimePoint> started = executor_.Adopt(request);
  if (!started) return false;
  Take(request.resources);
  running_[request.id] = request.resources;
  started_.emplace_back(request.id, *started);
  return true;
}

std::vector<std::pair<std::string, executor::TimePoint>> Scheduler::TakeStarted() {
  std::vector<std::pair<std::string, executor::TimePoint>> out;
  out.swap(started_);
  return out;
}

std::vector<executor::StepResult> Scheduler::Wait(std::chrono::milliseconds timeout) {
  std::vector<executor::StepResult> results = executor_.Wait(timeout);
  for (const executor::StepResult& r : results) {
    auto it = running_.find(r.id);
    if (it == running_.end()) continue;
    Give(it->second);
    running_.erase(it);
  }
  if (!results.empty()) Admit();
  return results;
}

void Scheduler::Admit() {
  for (auto it = queue_.begin(); it != queue_.end() && free_.slots > 0;) {
    if (!Fits(it->resources, free_)) {
      ++it;
      continue;
    }
    executor::StepRequest request = std::move(*it);
    it = queue_.erase(it);
    Take(request.resources);
    running_[request.id] = request.resources;
    started_.emplace_back(request.id, executor::Clock::now());
    executor_.Start(std::move(request));
  }
}

void Scheduler::Take(const executor::ResourceRequest& r) {
  free_.cpu_millis -= r.cpu_millis;
  free_.memory_bytes -= r.memory_bytes;
  free_.gpus -= r.gpus;
  if (free_.slots > 0) {
    --free_.slots;
  } else {
    ++slots_owed_;
  }
}

void Scheduler::Give(const executor::ResourceRequest& r) {
  free_.cpu_millis += r.cpu_millis;
  free_.memory_bytes += r.memory_bytes;
  free_.gpus += r.gpus;
  if (slots_owed_ > 0) {
    --slots_owed_;
  } else {
    ++free_.slots;
  }
}

}  // namespace loom::scheduler
