// A run's state as Argo's Workflow JSON, and back. `loom run -o json|yaml`,
// the store and the server all speak this shape, so scripts written against
// Argo read Loom's output unchanged, and what the store keeps is what the API
// serves.
#pragma once

#include <map>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "engine/node.h"

namespace loom::engine {

// The Workflow object for a run of `document` (the YAML document as written):
// apiVersion, kind, metadata (with name, namespace, creationTimestamp and
// Argo's phase labels filled in), spec as written, and `status` in Argo's
// shape. Empty fields are left out, as Go's `omitempty` leaves them out.
Json WorkflowToJson(const Json& document, const WorkflowStatus& status);

// The Workflow object from the parts the store keeps: the document as
// submitted (metadata with name and namespace), Argo's status without nodes,
// and the nodes by id (an object; null or {} for none). Adds the phase labels.
Json AssembleWorkflow(const Json& document, Json status_header, Json nodes);

// Argo's NodeStatus for one node.
Json NodeToJson(const Node& node);
// Argo's Workflow.status without `nodes`: phase, times, progress, message, outputs.
Json StatusHeaderToJson(const WorkflowStatus& status);

// Reads back what the functions above wrote (times to the second, as Argo
// keeps them). `document` supplies the name, namespace and the arguments'
// parameters (spec.arguments, as submitted with -p applied).
Result<Node> NodeFromJson(const Json& json);
Result<WorkflowStatus> StatusFromJson(const Json& document, const Json& status_header,
                                      const std::map<std::string, Json>& nodes);

// status.synchronization of a Workflow.status (empty when it has none).
SynchronizationStatus SynchronizationFromJson(const Json& status_header);

// RFC 3339 in UTC to the second, as Kubernetes prints metav1.Time, and back.
std::string Timestamp(TimePoint time);
std::optional<TimePoint> ParseTimestamp(const std::string& text);

}  // namespace loom::engine
