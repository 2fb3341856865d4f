// One Loom server's REST API over HTTP as the CLI's clients call it: the
// bearer token (LOOM_TOKEN, else the server's token file under $LOOM_HOME),
// JSON bodies both ways, and errors in the words the CLI prints
// ("server URL answered 404: ..."). cpp-httplib stays in the .cc file.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "base/json.h"
#include "base/result.h"
#include "cli/workflow_client.h"

namespace httplib {
class Client;
}

namespace loom::cli {

class ApiHttp {
 public:
  using Params = std::multimap<std::string, std::string>;

  explicit ApiHttp(const ClientOptions& options);
  ~ApiHttp();
  ApiHttp(const ApiHttp&) = delete;
  ApiHttp& operator=(const ApiHttp&) = delete;

  // Each returns the reply's JSON, or an error. `status`, when given, gets
  // the HTTP status (0 when the server could not be reached), so that a
  // caller can tell a 404 from a failure.
  Result<Json> Get(const std::string& path, const Params& params = {}, int* status = nullptr);
  Result<Json> Post(const std::string& path, const Json& body);
  Result<Json> Put(const std::string& path, const Json& body);
  Result<Json> Delete(const std::string& path);

  // A path segment, percent-encoded.
  static std::string Encode(const std::string& segment);
  const std::string& url() const { return url_; }

 private:
  std::string url_;
  std::unique_ptr<httplib::Client> http_;
};

}  // namespace loom::cli
