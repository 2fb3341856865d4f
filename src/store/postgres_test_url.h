// For tests of the PostgreSQL backend: the URL of the throwaway server that
// ctest starts (the `postgres` fixture) from the file it names in
// LOOM_TEST_POSTGRES_URL_FILE. A missing server fails the test: these tests
// must not pass by not running.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

namespace loom::store {

inline std::string PostgresTestUrl() {
  const char* file = std::getenv("LOOM_TEST_POSTGRES_URL_FILE");
  if (file == nullptr) {
    ADD_FAILURE() << "LOOM_TEST_POSTGRES_URL_FILE is not set: run the PostgreSQL tests with ctest, "
                     "which starts a server (scripts/postgres-test-server.sh), or set it to a file "
                     "holding a postgres:// URL";
    return "";
  }
  std::ifstream in(file);
  std::string url;
  std::getline(in, url);
  if (url.empty()) {
    ADD_FAILURE() << "no PostgreSQL URL in " << file
                  << ": the test server did not start (see store_postgres_start's output)";
  }
  return url;
}

}  // namespace loom::store
