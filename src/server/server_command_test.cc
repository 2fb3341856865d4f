// `loom server`'s option checks, which refuse to start before anything listens.
#include "server/server_command.h"

#include <gtest/gtest.h>

namespace loom::server {
namespace {

TEST(ServerCommandTest, RefusesNoAuthOffLoopback) {
  ServerOptions options;
  options.listen = "0.0.0.0:0";
  options.no_auth = true;
  EXPECT_EQ(ServerCommand(options), 2);
}

TEST(ServerCommandTest, RefusesABadListenAddressOrIsolation) {
  ServerOptions options;
  options.listen = "127.0.0.1";
  EXPECT_EQ(ServerCommand(options), 2);
  options.listen = "127.0.0.1:http";
  EXPECT_EQ(ServerCommand(options), 2);
  options.listen = "127.0.0.1:0";
  options.isolation = "docker";
  EXPECT_EQ(ServerCommand(options), 2);
}

}  // namespace
}  // namespace loom::server
