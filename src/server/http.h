// The HTTP request and response as the API's handlers see them, without
// cpp-httplib (whose header is slow to compile; only http_listener.cc
// includes it). A response is either a whole body or a stream that the
// handler writes piece by piece (logs that follow, Server-Sent Events).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "base/json.h"

namespace loom::server {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // decoded, without the query
  std::multimap<std::string, std::string> query;
  std::string body;
  std::vector<std::string> captures;  // the route pattern's groups, in order

  // The first value of query parameter `name`, or `fallback`.
  std::string Query(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> QueryAll(const std::string& name) const;
};

// Where a streamed response goes. Write() returns false once the client has
// gone or the server is stopping: the stream should end then.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual bool Write(const std::string& data) = 0;
  virtual bool Open() const = 0;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::function<void(StreamSink&)> stream;  // set: the body is streamed instead

  static HttpResponse FromJson(const Json& value, int status = 200);
  // {"code": status, "message": message}
  static HttpResponse Error(int status, const std::string& message);
};

}  // namespace loom::server
