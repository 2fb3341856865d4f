// Route matching, in the order routes were added.
#include "server/router.h"

namespace loom::server {

void Router::Add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{method, pattern, std::regex(pattern), std::move(handler)});
}

HttpResponse Router::Dispatch(const HttpRequest& request) const {
  bool path_known = false;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    std::smatch match;
    if (!std::regex_match(request.path, match, route.regex)) continue;
    path_known = true;
    // HEAD is answered as GET would be; the listener drops the body.
    bool method_matches =
        route.method == request.method || (request.method == "HEAD" && route.method == "GET");
    if (!method_matches) {
      allowed.push_back(route.method);
      continue;
    }
    HttpRequest routed = request;
    for (size_t i = 1; i < match.size(); ++i) routed.captures.push_back(match[i].str());
    return route.handler(routed);
  }
  if (!path_known) return HttpResponse::Error(404, "no such endpoint: " + request.path);
  std::string methods;
  for (const std::string& m : allowed) methods += (methods.empty() ? "" : ", ") + m;
  return HttpResponse::Error(405, "method " + request.method + " is not allowed on " +
                                      request.path + " (allowed: " + methods + ")");
}

}  // namespace loom::server
