// Maps (method, path) to a handler. A pattern is a path whose segments are
// literal or captures, which become HttpRequest::captures in order:
//   {}        any one non-empty segment
//   {a|b|c}   one of the words listed
//   {?}       an optional last segment ("/api/v1/workflows", ".../" and
//             ".../ns" all match "/api/v1/workflows/{?}"; the capture is "" or "ns")
// A path that matches some route but not with this method is 405, one that
// matches none is 404. (Not std::regex: g++ 12 warns inside <regex> under the
// sanitizers, and path segments need no more.)
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "server/http.h"

namespace loom::server {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler handler);

  // Runs the matching handler; `request.captures` is filled in a copy.
  HttpResponse Dispatch(const HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // the pattern split at '/'
    Handler handler;
  };
  // The captures of `path` if it matches `route`.
  static std::optional<std::vector<std::string>> Match(const Route& route, const std::string& path);
  std::vector<Route> routes_;
};

}  // namespace loom::server
