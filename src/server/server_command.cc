// `loom server`: options to a ServerConfig, the token, then serve until a signal.
#include "server/server_command.h"

#include <signal.h>

#include <atomic>
#include <charconv>
#include <filesystem>
#include <iostream>
#include <thread>

#include "base/loom_home.h"
#include "server/auth.h"
#include "server/server.h"
#include "spec/sync_config.h"

namespace loom::server {

namespace {

std::atomic<bool> signalled{false};

void OnSignal(int) { signalled = true; }

struct Address {
  std::string host;
  int port = 0;
};

// "HOST:PORT", ":PORT" (loopback) or "[::1]:PORT".
Result<Address> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Result<Address>::Error("--listen '" + listen + "' must be HOST:PORT");
  }
  Address address;
  address.host = listen.substr(0, colon);
  if (address.host.empty()) address.host = "127.0.0.1";
  if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']') {
    address.host = address.host.substr(1, address.host.size() - 2);
  }
  std::string port = listen.substr(colon + 1);
  auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), address.port);
  if (error != std::errc() || end != port.data() + port.size() || address.port < 0 ||
      address.port > 65535) {
    return Result<Address>::Error("--listen '" + listen + "': '" + port + "' is not a port");
  }
  return address;
}

}  // namespace

int ServerCommand(const ServerOptions& options) {
  auto address = ParseListen(options.listen);
  if (!address.ok()) {
    std::cerr << "loom server: " << address.error() << "\n";
    return 2;
  }
  if (options.no_auth && !IsLoopback(address->host)) {
    std::cerr << "loom server: --no-auth is allowed only on a loopback address (127.0.0.1, ::1), "
                 "not on "
              << address->host << "\n";
    return 2;
  }
  auto capacity =
      scheduler::CapacityFromFlags(options.max_cpu, options.max_memory, options.parallelism);
  if (!capacity.ok()) {
    std::cerr << "loom server: " << capacity.error() << "\n";
    return 2;
  }
  if (options.isolation != "auto" && options.isolation != "overlay" &&
      options.isolation != "none") {
    std::cerr << "loom server: --isolation must be auto, overlay or none\n";
    return 2;
  }

  auto sync_config = spec::LoadSyncConfig(options.sync_config, DefaultSyncConfigPath());
  if (!sync_config.ok()) {
    std::cerr << "loom server: " << sync_config.error() << "\n";
    return 2;
  }

  ServerConfig config;
  config.sync_config = std::move(*sync_config);
  config.host = address->host;
  config.port = address->port;
  config.store_url = options.db;
  config.capacity = *capacity;
  config.isolation = options.isolation == "none"      ? executor::Isolation::kNone
                     : options.isolation == "overlay" ? executor::Isolation::kOverlay
                                                      : executor::Isolation::kAuto;
  // Steps outlive a crash of the server under `loom __supervise` supervisors.
  std::string self = SelfPath();
  if (self.empty()) {
    std::cerr << "loom server: cannot find the loom program (/proc/self/exe)\n";
    return 1;
  }
  config.supervisor = {self, "__supervise"};
  std::string token_file =
      options.token_file.empty() ? LoomHome() + "/server.token" : options.token_file;
  if (!options.no_auth) {
    auto token = LoadOrCreateToken(token_file);
    if (!token.ok()) {
      std::cerr << "loom server: " << token.error() << "\n";
      return 1;
    }
    config.token = *token;
  }

  struct sigaction action {};
  action.sa_handler = OnSignal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);

  Server server(config);
  Status started = server.Start();
  if (!started.ok()) {
    std::cerr << "loom server: " << started.message() << "\n";
    return 1;
  }
  // One write, so that a script reading stderr never sees half the address.
  std::cerr << "loom server: listening on http://" + address->host + ":" +
                   std::to_string(server.port()) +
                   (options.no_auth ? " (no authentication)"
                                    : " (bearer token in " + token_file + ")") +
                   "\n";
  while (!signalled) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  std::cerr << "loom server: stopping\n";
  server.Stop();
  return 0;
}

}  // namespace loom::server
