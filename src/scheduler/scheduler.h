// Admission of ready steps against capacity: a step is handed to the executor
// only when its cpu, memory and gpu requests fit in what is free and a slot
// is free; otherwise it waits in the queue. A step that could never fit is
// refused at once with a message saying why.
//
// Queue order is first come, first served, except that a smaller step behind
// one that does not fit yet may start first (backfill): the machine never
// idles while work that fits is waiting.
#pragma once

#include <chrono>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "executor/executor.h"
#include "scheduler/capacity.h"

namespace loom::scheduler {

class Scheduler {
 public:
  Scheduler(Capacity capacity, executor::Executor& executor);

  // Queues `request` and starts it when it fits. Returns a result to report
  // at once (started == false, with the reason) if it can never fit.
  std::optional<executor::StepResult> Submit(executor::StepRequest request);

  // Kills a step: a queued one is dropped and its result (killed) returned
  // at once; a running one is killed by the executor and reported by Wait().
  std::optional<executor::StepResult> Kill(const std::string& id);

  // Takes over a step an earlier executor started (Executor::Adopt): it is
  // running already, so its resources are taken at once, even beyond what is
  // free, and it is reported by TakeStarted() with the time it started.
  // False if the executor has no sign of it (Submit it instead).
  bool Adopt(const executor::StepRequest& request);

  // Steps handed to the executor since the last call, with the time they started.
  std::vector<std::pair<std::string, executor::TimePoint>> TakeStarted();

  // The executor's notes on steps it runs (Executor::TakeNotes).
  std::vector<executor::StepNote> TakeNotes() { return executor_.TakeNotes(); }

  // Waits up to `timeout` for steps to end, frees their resources and starts
  // queued steps that now fit.
  std::vector<executor::StepResult> Wait(std::chrono::milliseconds timeout);

  size_t queued() const { return queue_.size(); }
  size_t running() const { return running_.size(); }
  const Capacity& capacity() const { return total_; }

 private:
  void Admit();
  void Take(const executor::ResourceRequest& r);
  void Give(const executor::ResourceRequest& r);

  Capacity total_;
  Capacity free_;
  executor::Executor& executor_;
  size_t slots_owed_ = 0;  // slots taken by adopted steps beyond capacity
  std::list<executor::StepRequest> queue_;
  std::unordered_map<std::string, executor::ResourceRequest> running_;
  std::vector<std::pair<std::string, executor::TimePoint>> started_;
};

}  // namespace loom::scheduler
