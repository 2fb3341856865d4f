// The two WorkflowClient implementations; Connect() (connect.cc) picks one.
#pragma once

#include <memory>

#include "cli/workflow_client.h"

namespace loom::cli {

Result<std::unique_ptr<WorkflowClient>> ConnectLocal(
    const ClientOptions& options);  // local_client.cc
Result<std::unique_ptr<WorkflowClient>> ConnectServer(
    const ClientOptions& options);  // server_client.cc

}  // namespace loom::cli
