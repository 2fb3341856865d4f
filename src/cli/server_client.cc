// A Loom server as a WorkflowClient: Argo Server's REST API over HTTP with a
// bearer token. Warns once when the server's version differs from ours.
#include <httplib.h>

#include <fstream>
#include <iostream>

#include "base/loom_home.h"
#include "base/version.h"
#include "cli/client_util.h"
#include "cli/clients.h"
#include "engine/status_json.h"

namespace loom::cli {

namespace {

std::string TokenFromFile() {
  std::ifstream in(LoomHome() + "/server.token");
  std::string token;
  std::getline(in, token);
  return token;
}

class ServerClient : public WorkflowClient {
 public:
  explicit ServerClient(const ClientOptions& options)
      : options_(options),
        url_(options.server),
        namespace_(options.namespace_.empty() ? "default" : options.namespace_),
        http_(options.server) {
    std::string token = options.token.empty() ? TokenFromFile() : options.token;
    if (!token.empty()) http_.set_bearer_token_auth(token);
    http_.set_connection_timeout(5);
    http_.set_read_timeout(24 * 3600);  // logs -f and watch stream for as long as the workflow runs
  }

  Result<std::vector<Json>> List(const ListQuery& query) override {
    httplib::Params params;
    std::string selectors;
    for (const std::string& s : query.label_selectors)
      selectors += (selectors.empty() ? "" : ",") + s;
    if (query.completed) {
      selectors += std::string(selectors.empty() ? "" : ",") +
                   "workflows.argoproj.io/completed=" + (*query.completed ? "true" : "false");
    }
    if (!selectors.empty()) params.emplace("listOptions.labelSelector", selectors);
    if (query.limit) params.emplace("listOptions.limit", std::to_string(query.limit));
    if (!query.name_prefix.empty()) params.emplace("namePrefix", query.name_prefix);
    for (const std::string& phase : query.phases) params.emplace("phase", phase);
    if (query.created_after_ms) {
      engine::TimePoint after{std::chrono::milliseconds(*query.created_after_ms)};
      params.emplace("createdAfter", engine::Timestamp(after));
    }
    std::string path = "/api/v1/workflows/" + (query.all_namespaces ? "" : namespace_);
    auto body = Call(http_.Get(path, params, {}));
    if (!body.ok()) return body.status();
    std::vector<Json> items;
    if (auto it = body->find("items"); it != body->end() && it->is_array()) {
      for (Json& item : *it) items.push_back(std::move(item));
    }
    return items;
  }

  Result<Json> Get(const std::string& name) override {
    auto resolved = Resolve(name);
    if (!resolved.ok()) return resolved.status();
    return Call(http_.Get(WorkflowPath(*resolved)));
  }

  Status Delete(const std::string& name) override {
    auto resolved = Resolve(name);
    if (!resolved.ok()) return resolved.status();
    return Call(http_.Delete(WorkflowPath(*resolved))).status();
  }

  Status Logs(const std::string& name, const LogQuery& query,
              const std::function<void(const LogLine&)>& emit) override {
    auto workflow = Get(name);
    if (!workflow.ok()) return workflow.status();
    std::map<std::string, std::string> display;  // node id -> display name
    const Json& nodes = (*workflow)["status"].value("nodes", Json::object());
    for (const auto& [id, node] : nodes.items()) display[id] = node.value("displayName", id);
    httplib::Params params{{"logOptions.container", "main"}};
    if (!query.node.empty()) params.emplace("podName", query.node);
    if (!query.grep.empty()) params.emplace("grep", query.grep);
    if (query.tail >= 0) params.emplace("logOptions.tailLines", std::to_string(query.tail));
    if (query.follow) params.emplace("logOptions.follow", "true");
    return Stream(WorkflowPath((*workflow)["metadata"].value("name", "")) + "/log", params,
                  [&](const std::string& line) {
                    Json entry = Json::parse(line, nullptr, false);
                    if (!entry.is_object() || !entry.contains("result")) return true;
                    const Json& result = entry["result"];
                    std::string pod = result.value("podName", "");
                    auto it = display.find(pod);
                    if (it == display.end()) {  // a step that started after we looked
                      // Another connection: this one is busy streaming.
                      ServerClient side(options_);
                      if (auto now = side.Get(name); now.ok()) {
                        const Json& all = (*now)["status"].value("nodes", Json::object());
                        for (const auto& [id, node] : all.items()) {
                          display[id] = node.value("displayName", id);
                        }
                      }
                      it = display.find(pod);
                    }
                    emit({it == display.end() ? pod : it->second, result.value("content", "")});
                    return true;
                  });
  }

  Status Watch(const std::string& name, const std::function<bool(const Json&)>& update) override {
    auto resolved = Resolve(name);
    if (!resolved.ok()) return resolved.status();
    httplib::Params params{{"listOptions.fieldSelector", "metadata.name=" + *resolved}};
    bool done = false;
    Status streamed =
        Stream("/api/v1/workflow-events/" + namespace_, params, [&](const std::string& line) {
          if (line.rfind("data:", 0) != 0) return true;
          Json event = Json::parse(line.substr(5), nullptr, false);
          if (!event.is_object() || !event.contains("result")) return true;
          const Json& object = event["result"].value("object", Json());
          if (!object.is_object()) return true;
          done = Completed(object);
          return update(object) && !done;
        });
    return streamed;
  }

  Result<Json> Submit(const Json& workflow, bool dry_run) override {
    Json body = {{"namespace", namespace_}, {"workflow", workflow}, {"serverDryRun", dry_run}};
    return Call(http_.Post("/api/v1/workflows/" + namespace_, body.dump(), "application/json"));
  }

  Result<Json> SubmitFrom(const std::string& kind, const std::string& name,
                          const Json& submit_options) override {
    Json body = {{"namespace", namespace_},
                 {"resourceKind", kind},
                 {"resourceName", name},
                 {"submitOptions", submit_options}};
    return Call(
        http_.Post("/api/v1/workflows/" + namespace_ + "/submit", body.dump(), "application/json"));
  }

  Result<Json> Act(const std::string& name, const std::string& action,
                   const Json& request) override {
    auto resolved = Resolve(name);
    if (!resolved.ok()) return resolved.status();
    Json body = request.is_object() ? request : Json::object();
    body["namespace"] = namespace_;
    body["name"] = *resolved;
    return Call(http_.Put(WorkflowPath(*resolved) + "/" + action, body.dump(), "application/json"));
  }

  std::string Where() const override { return "the server " + url_; }

 private:
  std::string WorkflowPath(const std::string& name) const {
    return "/api/v1/workflows/" + namespace_ + "/" + httplib::detail::encode_query_param(name);
  }

  Result<std::string> Resolve(const std::string& name) {
    if (name != "@latest") return name;
    ListQuery newest;
    newest.limit = 1;
    auto latest = List(newest);
    if (!latest.ok()) return latest.status();
    if (latest->empty())
      return Status::Error("no workflows in namespace " + namespace_ + " of " + Where());
    return (*latest)[0]["metadata"].value("name", "");
  }

  void CheckVersion(const httplib::Response& response) {
    if (version_checked_) return;
    version_checked_ = true;
    std::string theirs = response.get_header_value("X-Loom-Version");
    if (!theirs.empty() && theirs != kLoomVersion) {
      std::cerr << "loom: warning: the server runs Loom " << theirs << ", this CLI is "
                << kLoomVersion << "\n";
    }
  }

  Status Unreachable(const httplib::Result& result) const {
    return Status::Error("cannot reach the Loom server at " + url_ + ": " +
                         httplib::to_string(result.error()));
  }

  Status HttpError(int status, const std::string& body) const {
    Json error = Json::parse(body, nullptr, false);
    std::string message = error.is_object() ? error.value("message", body) : body;
    if (status == 401) message += " (set LOOM_TOKEN, or run where the server's token file is)";
    return Status::Error("server " + url_ + " answered " + std::to_string(status) + ": " + message);
  }

  Result<Json> Call(const httplib::Result& result) {
    if (!result) return Unreachable(result);
    CheckVersion(*result);
    if (result->status < 200 || result->status >= 300)
      return HttpError(result->status, result->body);
    Json body = Json::parse(result->body, nullptr, false);
    if (body.is_discarded())
      return Status::Error("server " + url_ + " sent a body that is not JSON");
    return body;
  }

  // GETs `path` and calls `line` for each line of the streamed body, until it returns false.
  Status Stream(const std::string& path, const httplib::Params& params,
                const std::function<bool(const std::string&)>& line) {
    std::string pending;
    std::string error_body;
    int status = 0;
    auto result = http_.Get(
        path, params, {},
        [&](const httplib::Response& response) {
          CheckVersion(response);
          status = response.status;
          return true;
        },
        [&](const char* data, size_t length) {
          if (status < 200 || status >= 300) {
            error_body.append(data, length);
            return true;
          }
          pending.append(data, length);
          size_t newline;
          while ((newline = pending.find('\n')) != std::string::npos) {
            std::string one = pending.substr(0, newline);
            pending.erase(0, newline + 1);
            if (!one.empty() && !line(one)) return false;
          }
          return true;
        });
    if (status != 0 && (status < 200 || status >= 300)) return HttpError(status, error_body);
    if (!result && result.error() != httplib::Error::Canceled) return Unreachable(result);
    if (!pending.empty()) line(pending);
    return Status::Ok();
  }

  ClientOptions options_;
  std::string url_;
  std::string namespace_;
  httplib::Client http_;
  bool version_checked_ = false;
};

}  // namespace

Result<std::unique_ptr<WorkflowClient>> ConnectServer(const ClientOptions& options) {
  return std::unique_ptr<WorkflowClient>(new ServerClient(options));
}

}  // namespace loom::cli
