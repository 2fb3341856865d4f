// What a supervised step leaves in its folder, so that whoever comes later
// (the server that started it, or the next one after a crash) can tell what
// became of it:
//   step.json       the request and how to run it; written before the
//                   supervisor starts, so it means "handed to the executor"
//   supervisor.pid  the supervisor's pid, written once it is spawned
//   result.json     the StepResult, written by the supervisor when the step
//                   has ended: temp file, fsync, rename, so it is whole or absent
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "base/result.h"
#include "executor/local_executor.h"
#include "executor/step.h"

namespace loom::executor {

struct StepRecord {
  StepRequest request;
  Isolation isolation = Isolation::kAuto;
  TimePoint handed_at;  // when the executor started it
};

// Writes step.json and removes what an earlier start left (pid, result).
Status WriteStepRecord(const std::string& dir, const StepRecord& record);
// The record of `dir`; an error if there is none (the step was never handed over).
Result<StepRecord> ReadStepRecord(const std::string& dir);

Status WriteSupervisorPid(const std::string& dir, pid_t pid);
std::optional<pid_t> ReadSupervisorPid(const std::string& dir);

// Durable and atomic: the result survives a crash of the machine once this returns.
Status WriteStepResult(const std::string& dir, const StepResult& result);
std::optional<StepResult> ReadStepResult(const std::string& dir);

}  // namespace loom::executor
