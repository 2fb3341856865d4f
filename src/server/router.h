// Maps (method, path) to a handler. Patterns are regular expressions over the
// whole path; their groups become HttpRequest::captures. A path that matches
// some route but not with this method is 405, one that matches none is 404.
#pragma once

#include <functional>
#include <regex>
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
    std::string pattern;
    std::regex regex;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace loom::server
