// Reading workflows back from the store as the API serves them: Argo's
// Workflow object, with its nodes (get) or without (list, watch of many).
#pragma once

#include <string>

#include "base/json.h"
#include "server/api_result.h"
#include "store/step_logs.h"
#include "store/store.h"

namespace loom::server {

// The Workflow with status.nodes; 404 if there is none of that name.
ApiResult<Json> LoadWorkflow(store::Store& store, const std::string& namespace_,
                             const std::string& name);

// The Workflow without status.nodes.
Json HeaderToWorkflow(const store::WorkflowHeader& header);

using store::Completed;

std::string NotFoundMessage(const std::string& namespace_, const std::string& name);

}  // namespace loom::server
