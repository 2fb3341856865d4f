// Where the workflow verbs (list, get, logs, delete, submit, stop, ...) find
// workflows: a Loom server (--server or LOOM_SERVER, with a bearer token) or,
// when none is named, the embedded store that `loom run` records into.
// Both hand back Argo's Workflow objects, so each verb prints the same way
// whichever it talks to.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace loom::cli {

struct ClientOptions {
  std::string server;      // --server / LOOM_SERVER: http://HOST:PORT ("" = embedded store)
  std::string token;       // LOOM_TOKEN, else the server's token file under $LOOM_HOME
  std::string db;          // --db for the embedded store ("" = $LOOM_HOME/loom.db)
  std::string namespace_;  // -n ("" = default; list: every namespace with --all-namespaces)
};

// Which workflows `list` (and bulk `delete`) selects.
struct ListQuery {
  std::vector<std::string> label_selectors;  // -l: "k=v", "k!=v", "k", "!k", comma-separated
  std::vector<std::string> phases;           // --status
  std::string name_prefix;                   // --prefix
  std::optional<bool> completed;             // --completed / --running
  std::optional<int64_t> created_after_ms;   // --since
  bool all_namespaces = false;
  size_t limit = 0;
};

struct LogQuery {
  std::string node;  // a node id, name or display name ("" = every step)
  std::string grep;  // only lines matching this regex
  int tail = -1;     // only the last N lines of each step (-1 = all)
  bool follow = false;
};

struct LogLine {
  std::string node;  // the step's display name
  std::string content;
};

class WorkflowClient {
 public:
  virtual ~WorkflowClient() = default;

  // Workflow objects without status.nodes, newest first.
  virtual Result<std::vector<Json>> List(const ListQuery& query) = 0;
  // The whole Workflow object; `name` may be "@latest".
  virtual Result<Json> Get(const std::string& name) = 0;
  virtual Status Delete(const std::string& name) = 0;
  // Calls `line` for each log line; with follow, until the workflow is done.
  virtual Status Logs(const std::string& name, const LogQuery& query,
                      const std::function<void(const LogLine&)>& line) = 0;
  // Calls `update` with the Workflow each time it changes until it completes
  // (or `update` returns false).
  virtual Status Watch(const std::string& name, const std::function<bool(const Json&)>& update) = 0;

  // Server only: submit a Workflow object; returns it as created.
  virtual Result<Json> Submit(const Json& workflow, bool dry_run) = 0;
  // Server only: submit a Workflow made from the stored resource `kind`
  // `name` (Argo's WorkflowSubmitRequest; `submit_options` its
  // submitOptions); returns it as created.
  virtual Result<Json> SubmitFrom(const std::string& kind, const std::string& name,
                                  const Json& submit_options) = 0;
  // Server only: stop, terminate, suspend, resume, resubmit or retry; returns
  // the Workflow. `request` adds fields to the request body (retry's
  // parameters, restartSuccessful, nodeFieldSelector).
  virtual Result<Json> Act(const std::string& name, const std::string& action,
                           const Json& request) = 0;

  // Where this client looks, for messages: "server http://..." or "store ~/.loom/loom.db".
  virtual std::string Where() const = 0;
};

// The server if options.server is set, else the embedded store.
Result<std::unique_ptr<WorkflowClient>> Connect(const ClientOptions& options);

}  // namespace loom::cli
