// `loom server`: the long-running controller with a REST API modelled on
// Argo Server's (see docs/API.md), serving until SIGINT or SIGTERM.
#pragma once

#include <string>

namespace loom::server {

struct ServerOptions {
  std::string listen = "127.0.0.1:2746";
  std::string db;          // store URL; "" = loom::DefaultStoreUrl()
  bool no_auth = false;    // --no-auth: allowed only on a loopback address
  std::string token_file;  // "" = $LOOM_HOME/server.token
  int parallelism = 0;     // steps running at once server-wide (0 = cores)
  std::string max_cpu, max_memory;
  std::string isolation = "auto";  // auto|overlay|none, as loom run
  std::string sync_config;         // semaphore limits; "" = $LOOM_HOME/synchronization.yaml if any
};

// Runs until SIGINT/SIGTERM; returns the exit code (0 after a signal, 2 for
// bad options, 1 if the server cannot start).
int ServerCommand(const ServerOptions& options);

}  // namespace loom::server
