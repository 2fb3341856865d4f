// A `loom server` process for integration tests: started on a free loopback
// port with its own LOOM_HOME, stopped (SIGTERM, then SIGKILL) when the
// object goes away.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace loom {

// `loom server` arguments that give it a store of its own on `backend`:
// none for "sqlite" (the store in its LOOM_HOME); for "postgres", --db with
// a fresh database `database` on the throwaway server of ctest's `postgres`
// fixture. Sets `error` (and returns nothing) when that cannot be made.
std::vector<std::string> StoreArgs(const std::string& backend, const std::string& database,
                                   std::string* error);

class LoomServer {
 public:
  // Starts `loom server --listen 127.0.0.1:0 EXTRA_ARGS...` with LOOM_HOME=`home`
  // and waits until it says where it listens.
  LoomServer(const std::string& home, const std::vector<std::string>& extra_args);
  ~LoomServer();
  LoomServer(const LoomServer&) = delete;
  LoomServer& operator=(const LoomServer&) = delete;

  bool ok() const { return !url_.empty(); }
  const std::string& url() const { return url_; }  // http://127.0.0.1:PORT
  // What the server printed on stderr so far (for failure messages).
  std::string log() const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
  std::string url_;
};

}  // namespace loom
