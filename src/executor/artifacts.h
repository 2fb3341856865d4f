// Moving files between the host and a step's view: input artifacts placed
// at their paths before the step starts, and output parameters and
// artifacts collected after it ends (Argo's semantics: archives hold one
// entry named after the path's basename).
#pragma once

#include <vector>

#include "base/result.h"
#include "executor/step.h"
#include "executor/step_view.h"

namespace loom::executor {

// Places every input artifact; the first failure is returned.
Status PlaceInputs(const StepView& view, const std::vector<InputArtifact>& inputs);

// Fills result->parameters and result->artifacts from the step's view.
void CollectOutputs(const StepView& view, const StepRequest& request, StepResult* result);

}  // namespace loom::executor
