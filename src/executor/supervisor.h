// The supervisor of one step: the process `loom __supervise STEP_DIR` that a
// SupervisedExecutor starts for each step. It runs the step recorded in
// STEP_DIR/step.json exactly as `loom run` runs one (a LocalExecutor: same
// isolation, log file and output collection), waits for it, records its
// StepResult in STEP_DIR/result.json (see step_record.h) and exits. It is in a
// session of its own and nothing ties its life to the server's, so a step
// goes on, and its end is recorded, when the server dies. SIGTERM makes it
// kill its step's tree; the result then says killed. The Slurm executor
// runs it as a batch job on a Slurm node; there the step also gets the job's
// SLURM_* variables and CUDA_VISIBLE_DEVICES.
#pragma once

#include <string>

namespace loom::executor {

// The supervisor's main: 0 once the result is recorded, 1 if it could not be.
int Supervise(const std::string& step_dir);

}  // namespace loom::executor
