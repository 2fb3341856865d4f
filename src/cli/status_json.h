// `loom run -o json|yaml`: the run as the Workflow object `argo get -o json`
// prints, so scripts written against Argo read Loom's output unchanged.
#pragma once

#include "base/json.h"
#include "engine/node.h"

namespace loom::cli {

// The Workflow object for a run of `document` (the YAML document as written):
// apiVersion, kind, metadata (with name, namespace, creationTimestamp and
// Argo's phase labels filled in), spec as written, and `status` in Argo's
// shape. Empty fields are left out, as Go's `omitempty` leaves them out.
Json WorkflowToJson(const Json& document, const engine::WorkflowStatus& status);

}  // namespace loom::cli
