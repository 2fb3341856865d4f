// The Loom server in one object: the store, the controller that runs the
// workflows, the REST API and its HTTP listener. `loom server` runs one until
// a signal; tests run one in-process on a free port.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.h"
#include "executor/local_executor.h"
#include "scheduler/capacity.h"
#include "spec/sync_config.h"

namespace loom::server {

struct ServerConfig {
  std::string host = "127.0.0.1";
  int port = 0;           // 0: any free port (see Server::port())
  std::string store_url;  // "" = DefaultStoreUrl()
  std::string token;      // the bearer token; "" = no authentication
  scheduler::Capacity capacity;
  executor::Isolation isolation = executor::Isolation::kAuto;
  // Each step under a supervisor that outlives the server (`loom __supervise`,
  // see ControllerOptions::supervisor); empty: steps are children of the server.
  std::vector<std::string> supervisor;
  spec::SyncConfig sync_config;  // semaphore limits (synchronization)
};

class Server {
 public:
  explicit Server(ServerConfig config);
  ~Server();  // Stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Opens the store, starts the controller (which continues the workflows a
  // previous server left running) and listens.
  Status Start();
  // The bound port, once started.
  int port() const { return port_; }
  // Stops listening, then the controller (see Controller::Stop).
  void Stop();

 private:
  struct Parts;
  ServerConfig config_;
  std::unique_ptr<Parts> parts_;
  int port_ = 0;
};

}  // namespace loom::server
