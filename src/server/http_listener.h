// The HTTP side of the server: listens on a host and port, checks the bearer
// token, turns each cpp-httplib request into an HttpRequest for the router,
// and writes the router's response back (streamed ones chunk by chunk).
// Every response carries X-Loom-Version. cpp-httplib stays behind this
// header: only http_listener.cc includes it.
//
// Thread safety: requests are served on a pool of threads; Start and Stop
// are called from one thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "base/result.h"
#include "server/router.h"

namespace loom::server {

class HttpListener {
 public:
  // `token` "" turns authentication off (--no-auth).
  HttpListener(const Router& router, std::string token);
  ~HttpListener();  // Stop()
  HttpListener(const HttpListener&) = delete;
  HttpListener& operator=(const HttpListener&) = delete;

  // Binds (port 0: any free port) and starts serving; returns the bound port.
  Result<int> Start(const std::string& host, int port);
  // Ends streams, stops listening and waits for the serving threads.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace loom::server
