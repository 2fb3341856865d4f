// The executor interface: runs StepRequests somewhere (local processes,
// Slurm jobs, ...) and reports each step's end. Start() and Kill() never block
// on a step; Wait() hands back finished steps.
//
// Thread safety: one thread drives an executor (the run loop); Wait() may be
// interrupted from another thread with Wake().
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "executor/step.h"

namespace loom::executor {

class Executor {
 public:
  virtual ~Executor() = default;

  // Begins running `request`. Failures to start are reported through Wait()
  // as a StepResult with started == false, never thrown.
  virtual void Start(StepRequest request) = 0;

  // Kills the step's whole process tree; its result (killed == true) still
  // comes through Wait(). Unknown or finished ids are ignored.
  virtual void Kill(const std::string& id) = 0;

  // Takes over a step that an earlier executor, in a process since gone,
  // started with this request's id: its result comes through Wait() like a
  // started step's. Returns when it was started, or nullopt if this executor
  // finds no sign of it (the caller starts it anew). By default an executor
  // keeps nothing that outlives it, so it finds none.
  virtual std::optional<TimePoint> Adopt(const StepRequest& request) {
    (void)request;
    return std::nullopt;
  }

  // Returns the steps that ended, waiting up to `timeout` for at least one.
  virtual std::vector<StepResult> Wait(std::chrono::milliseconds timeout) = 0;

  // The notes on started steps since the last call, oldest first. An
  // executor whose steps run as soon as they start has none.
  virtual std::vector<StepNote> TakeNotes() { return {}; }

  // Makes a blocked Wait() return early (safe from any thread or a signal handler's thread).
  virtual void Wake() = 0;

  // Number of steps started and not yet returned by Wait().
  virtual size_t running() const = 0;
};

}  // namespace loom::executor
