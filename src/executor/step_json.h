// StepRequest and StepResult as JSON, and back: how a step crosses a process
// boundary (the server hands a step to its supervisor in a file, and the
// supervisor records the step's end in another, see supervised_executor.h).
// Times are nanoseconds since the Unix epoch, so a round trip is exact.
#pragma once

#include "base/json.h"
#include "base/result.h"
#include "executor/step.h"

namespace loom::executor {

Json StepRequestToJson(const StepRequest& request);
Result<StepRequest> StepRequestFromJson(const Json& json);

Json StepResultToJson(const StepResult& result);
Result<StepResult> StepResultFromJson(const Json& json);

}  // namespace loom::executor
