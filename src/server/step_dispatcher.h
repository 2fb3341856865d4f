// Fair hand-off of ready steps from many workflows to the one scheduler the
// server shares. Each workflow's ready steps wait in its own queue here; the
// scheduler is fed from them round robin, higher spec.priority first, and
// only while its own queue is short (at most one step per slot waits there),
// so a workflow that fans out 10,000 steps does not stand in front of every
// workflow submitted after it. A held (suspended) workflow's steps stay here.
//
// Thread safety: none; the controller's loop thread owns it.
#pragma once

#include <deque>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "executor/step.h"
#include "scheduler/scheduler.h"

namespace loom::server {

class StepDispatcher {
 public:
  void Add(const std::string& workflow, int priority, executor::StepRequest request);
  // Drops a step still waiting here; returns its (killed) result, or nullopt
  // if it was not here (it may be in the scheduler already).
  std::optional<executor::StepResult> Remove(const std::string& workflow,
                                             const std::string& step_id);
  void Hold(const std::string& workflow, bool held);
  // Forgets a finished workflow.
  void Forget(const std::string& workflow);

  // Submits waiting steps to `scheduler` while it has room; returns the
  // results of steps the scheduler refused at once (they can never fit).
  std::vector<executor::StepResult> Feed(scheduler::Scheduler& scheduler);

  size_t waiting() const { return waiting_; }

 private:
  struct Queue {
    int priority = 0;
    bool held = false;
    std::deque<executor::StepRequest> steps;
  };
  Queue& QueueOf(const std::string& workflow);  // made (and given a turn) if new
  // The workflow to serve next, or queues_.end().
  std::map<std::string, Queue>::iterator Next();

  std::map<std::string, Queue> queues_;
  std::list<std::string> turns_;  // workflows in round-robin order: front is served first
  size_t waiting_ = 0;
};

}  // namespace loom::server
