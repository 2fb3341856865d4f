// Connect(): a server when one is named, else the embedded store.
#include "cli/clients.h"

namespace loom::cli {

Result<std::unique_ptr<WorkflowClient>> Connect(const ClientOptions& options) {
  if (options.server.empty()) return ConnectLocal(options);
  if (options.server.rfind("http://", 0) != 0) {
    return Status::Error("--server " + options.server + ": expected http://HOST:PORT");
  }
  return ConnectServer(options);
}

}  // namespace loom::cli
