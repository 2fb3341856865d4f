// Calls to a Loom server's REST API; see api_http.h.
#include "cli/api_http.h"

#include <httplib.h>

#include <fstream>

#include "base/loom_home.h"

namespace loom::cli {

namespace {

Result<Json> Reply(const httplib::Result& result, const std::string& url, int* status) {
  if (status) *status = result ? result->status : 0;
  if (!result) {
    return Status::Error("cannot reach the Loom server at " + url + ": " +
                         httplib::to_string(result.error()));
  }
  Json body = Json::parse(result->body, nullptr, false);
  if (result->status < 200 || result->status >= 300) {
    std::string message = body.is_object() ? body.value("message", result->body) : result->body;
    if (result->status == 401) {
      message += " (set LOOM_TOKEN, or run where the server's token file is)";
    }
    return Status::Error("server " + url + " answered " + std::to_string(result->status) + ": " +
                         message);
  }
  if (body.is_discarded()) return Status::Error("server " + url + " sent a body that is not JSON");
  return body;
}

}  // namespace

ApiHttp::ApiHttp(const ClientOptions& options)
    : url_(options.server), http_(std::make_unique<httplib::Client>(options.server)) {
  std::string token = options.token;
  if (token.empty()) {
    std::ifstream in(LoomHome() + "/server.token");
    std::getline(in, token);
  }
  if (!token.empty()) http_->set_bearer_token_auth(token);
  http_->set_connection_timeout(5);
  http_->set_read_timeout(300);
}

ApiHttp::~ApiHttp() = default;

Result<Json> ApiHttp::Get(const std::string& path, const Params& params, int* status) {
  return Reply(http_->Get(path, params, {}), url_, status);
}

Result<Json> ApiHttp::Post(const std::string& path, const Json& body) {
  return Reply(http_->Post(path, body.dump(), "application/json"), url_, nullptr);
}

Result<Json> ApiHttp::Put(const std::string& path, const Json& body) {
  return Reply(http_->Put(path, body.dump(), "application/json"), url_, nullptr);
}

Result<Json> ApiHttp::Delete(const std::string& path) {
  return Reply(http_->Delete(path), url_, nullptr);
}

std::string ApiHttp::Encode(const std::string& segment) {
  return httplib::detail::encode_query_param(segment);
}

}  // namespace loom::cli
