// The environment and program lookup of a step, container-like: a clean
// environment (Debian's default PATH, HOME=/root, thread counts from the cpu
// request) under the step's own variables, and argv[0] looked up in the
// step's PATH, never the caller's.
#pragma once

#include <string>
#include <vector>

#include "executor/step.h"

namespace loom::executor {

// NAME=value strings for execve.
std::vector<std::string> StepEnvironment(const StepRequest& request);

// The paths to try, in order, for `program` given the step's environment.
std::vector<std::string> ProgramCandidates(const std::string& program,
                                           const std::vector<std::string>& environment);

}  // namespace loom::executor
