// Route matching, in the order routes were added.
#include "server/router.h"

namespace loom::server {

namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash - start));
    if (slash == std::string::npos) return segments;
    start = slash + 1;
  }
}

// Whether `segment` is one of the words of a "{a|b|c}" pattern segment.
bool OneOf(const std::string& pattern, const std::string& segment) {
  std::string words = pattern.substr(1, pattern.size() - 2);
  size_t start = 0;
  while (start <= words.size()) {
    size_t bar = words.find('|', start);
    if (bar == std::string::npos) bar = words.size();
    if (words.compare(start, bar - start, segment) == 0 && bar - start == segment.size()) {
      return true;
    }
    start = bar + 1;
  }
  return false;
}

}  // namespace

void Router::Add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back(Route{method, Split(pattern), std::move(handler)});
}

std::optional<std::vector<std::string>> Router::Match(const Route& route, const std::string& path) {
  std::vector<std::string> segments = Split(path);
  const std::vector<std::string>& pattern = route.segments;
  bool optional_last = !pattern.empty() && pattern.back() == "{?}";
  if (optional_last && segments.size() == pattern.size() - 1) segments.push_back("");
  if (segments.size() != pattern.size()) return std::nullopt;
  std::vector<std::string> captures;
  for (size_t i = 0; i < pattern.size(); ++i) {
    const std::string& p = pattern[i];
    const std::string& s = segments[i];
    if (p == "{?}" && i + 1 == pattern.size()) {
      captures.push_back(s);
    } else if (p == "{}") {
      if (s.empty()) return std::nullopt;
      captures.push_back(s);
    } else if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (!OneOf(p, s)) return std::nullopt;
      captures.push_back(s);
    } else if (p != s) {
      return std::nullopt;
    }
  }
  return captures;
}

HttpResponse Router::Dispatch(const HttpRequest& request) const {
  bool path_known = false;
  std::vector<std::string> allowed;
  for (const Route& route : routes_) {
    auto captures = Match(route, request.path);
    if (!captures) continue;
    path_known = true;
    // HEAD is answered as GET would be; the listener drops the body.
    bool method_matches =
        route.method == request.method || (request.method == "HEAD" && route.method == "GET");
    if (!method_matches) {
      allowed.push_back(route.method);
      continue;
    }
    HttpRequest routed = request;
    routed.captures = std::move(*captures);
    return route.handler(routed);
  }
  if (!path_known) return HttpResponse::Error(404, "no such endpoint: " + request.path);
  std::string methods;
  for (const std::string& m : allowed) methods += (methods.empty() ? "" : ", ") + m;
  return HttpResponse::Error(405, "method " + request.method + " is not allowed on " +
                                      request.path + " (allowed: " + methods + ")");
}

}  // namespace loom::server
