// Small helpers of the handler-side HTTP types.
#include "server/http.h"

namespace loom::server {

std::string HttpRequest::Query(const std::string& name, const std::string& fallback) const {
  auto it = query.find(name);
  return it == query.end() ? fallback : it->second;
}

std::vector<std::string> HttpRequest::QueryAll(const std::string& name) const {
  std::vector<std::string> values;
  auto [begin, end] = query.equal_range(name);
  for (auto it = begin; it != end; ++it) values.push_back(it->second);
  return values;
}

HttpResponse HttpResponse::FromJson(const Json& value, int status) {
  HttpResponse response;
  response.status = status;
  response.body = value.dump() + "\n";
  return response;
}

HttpResponse HttpResponse::Error(int status, const std::string& message) {
  return FromJson(Json{{"code", status}, {"message", message}}, status);
}

}  // namespace loom::server
