// Running a short-lived helper program to its end and capturing what it
// printed: how the Slurm executor talks to Slurm (sbatch, squeue, scancel).
// Not for steps: those run through Spawner, with their own view and logs.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "base/result.h"

namespace loom::executor {

struct ProgramOutput {
  int exit_code = -1;  // 128+N for a signal N
  std::string stdout_text;
  std::string stderr_text;
};

// Runs argv (argv[0] looked up in PATH) with stdin from /dev/null, waits for
// it and returns what it printed. An error only when it could not be
// started, or ran past `timeout` (it is then killed); a non-zero exit is a
// value.
Result<ProgramOutput> RunProgram(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout);

}  // namespace loom::executor
