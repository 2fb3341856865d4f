// The embedded store as a WorkflowClient: what `loom run` recorded, read
// straight from $LOOM_HOME/loom.db (or --db), with each step's log read from
// the run's folder. Verbs that act on a running workflow need the process
// that runs it: a server.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include "base/loom_home.h"
#include "cli/client_util.h"
#include "cli/clients.h"
#include "engine/status_json.h"
#include "store/step_logs.h"
#include "store/store.h"

namespace loom::cli {

namespace fs = std::filesystem;

namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(500);

// Whether the `loom run` that recorded this unfinished workflow is gone
// (killed, or the machine restarted): its record will never be finished.
bool RunnerGone(const store::WorkflowHeader& header) {
  if (header.finished_at) return false;
  const Json annotations =
      header.document.value("metadata", Json::object()).value("annotations", Json::object());
  if (annotations.value(kControllerAnnotation, "") != kRunByLoomRun) return false;
  std::string pid = annotations.value(kPidAnnotation, "");
  if (pid.empty() || pid == std::to_string(getpid())) return !pid.empty();
  std::error_code error;
  fs::path theirs = fs::read_symlink("/proc/" + pid + "/exe", error);
  if (error) return true;
  return theirs != fs::read_symlink("/proc/self/exe", error);
}

// The header as the user should see it: a run whose `loom run` is gone is an Error.
store::WorkflowHeader Presented(store::WorkflowHeader header) {
  if (!RunnerGone(header)) return header;
  header.phase = "Error";
  header.status["phase"] = "Error";
  header.status["message"] = "the loom run that ran this workflow (pid " +
                             header.document["metadata"]["annotations"].value(kPidAnnotation, "") +
                             ") ended before the workflow did";
  return header;
}

class LocalClient : public WorkflowClient {
 public:
  LocalClient(std::unique_ptr<store::Store> store, std::string url, std::string namespace_)
      : store_(std::move(store)), url_(std::move(url)), namespace_(std::move(namespace_)) {}

  Result<std::vector<Json>> List(const ListQuery& query) override {
    auto matcher = WorkflowMatcher::Make(query);
    if (!matcher.ok()) return matcher.status();
    store::ListFilter filter;
    if (!query.all_namespaces) filter.namespace_ = namespace_;
    filter.name_prefix = query.name_prefix;
    // Phases are matched below, on the phase as presented (see Presented()).
    filter.completed = query.completed;
    filter.created_after = query.created_after_ms;
    auto headers = store_->List(filter);
    if (!headers.ok()) return headers.status();
    std::vector<Json> workflows;
    for (const store::WorkflowHeader& stored : *headers) {
      store::WorkflowHeader header = Presented(stored);
      if (!query.phases.empty() &&
          std::find(query.phases.begin(), query.phases.end(), header.phase) == query.phases.end()) {
        continue;
      }
      Json workflow = engine::AssembleWorkflow(header.document, header.status, nullptr);
      if (!matcher->Matches(workflow)) continue;
      workflows.push_back(std::move(workflow));
      if (query.limit && workflows.size() >= query.limit) break;
    }
    return workflows;
  }

  Result<Json> Get(const std::string& name) override {
    auto found = Find(name);
    if (!found.ok()) return found.status();
    Json nodes = Json::object();
    for (auto& [id, node] : found->nodes) nodes[id] = std::move(node);
    store::WorkflowHeader header = Presented(std::move(found->header));
    return engine::AssembleWorkflow(header.document, header.status, std::move(nodes));
  }

  Status Delete(const std::string& name) override {
    auto found = Find(name);
    if (!found.ok()) return found.status();
    if (!found->header.finished_at && !RunnerGone(found->header)) {
      return Status::Error("workflow " + found->header.name +
                           " is still running; stop it first (Ctrl-C where it runs), or delete it "
                           "once it has finished");
    }
    if (Status deleted = store_->Delete(found->header.uid); !deleted.ok()) return deleted;
    RemoveRunDir(RunDir(found->header.document));
    return Status::Ok();
  }

  Status Logs(const std::string& name, const LogQuery& query,
              const std::function<void(const LogLine&)>& emit) override {
    auto options = LogOptions(query);
    if (!options.ok()) return options.status();
    std::map<std::string, std::string> display;  // node id -> display name
    bool first = true;
    store::StepLogFollower follower(
        [&]() -> Result<Json> {
          auto workflow = Get(name);
          if (!workflow.ok()) return workflow;
          const Json& nodes = (*workflow)["status"].value("nodes", Json::object());
          for (const auto& [id, node] : nodes.items()) display[id] = node.value("displayName", id);
          if (first && !query.node.empty() && store::SelectPods(*workflow, query.node).empty()) {
            return Status::Error("workflow " + (*workflow)["metadata"].value("name", name) +
                                 " has no step named " + query.node);
          }
          first = false;
          return workflow;
        },
        std::move(*options));
    return follower.Run([&](const std::string& node, const std::string& line) {
      emit({display.count(node) ? display[node] : node, line});
      return true;
    });
  }

  Status Watch(const std::string& name, const std::function<bool(const Json&)>& update) override {
    Json last;
    while (true) {
      auto workflow = Get(name);
      if (!workflow.ok()) return workflow.status();
      if (*workflow != last) {
        if (!update(*workflow)) return Status::Ok();
        last = *workflow;
      }
      if (Completed(*workflow)) return Status::Ok();
      std::this_thread::sleep_for(kPollInterval);
    }
  }

  Result<Json> Submit(const Json&, bool) override { return NeedsServer("submit"); }
  Result<Json> SubmitFrom(const std::string&, const std::string&, const Json&) override {
    return NeedsServer("submit --from");
  }
  Result<Json> Act(const std::string&, const std::string& action, const Json&) override {
    return NeedsServer(action);
  }

  std::string Where() const override { return "the store " + url_; }

 private:
  Result<store::StoredWorkflow> Find(const std::string& name) {
    std::string wanted = name;
    if (name == "@latest") {
      ListQuery newest;
      newest.limit = 1;
      auto latest = List(newest);
      if (!latest.ok()) return latest.status();
      if (latest->empty()) return Status::Error("no workflows in " + Where());
      wanted = (*latest)[0]["metadata"].value("name", "");
    }
    auto found = store_->Get(namespace_, wanted);
    if (!found.ok()) return found.status();
    if (!*found) {
      return Status::Error("workflow " + wanted + " not found in namespace " + namespace_ + " of " +
                           Where());
    }
    return std::move(**found);
  }

  // Only folders Loom made for runs are removed, whatever the record says.
  static void RemoveRunDir(const std::string& run_dir) {
    if (run_dir.empty()) return;
    fs::path runs = fs::weakly_canonical(fs::path(LoomHome()) / "runs");
    fs::path dir = fs::weakly_canonical(run_dir);
    auto [end, rest] = std::mismatch(runs.begin(), runs.end(), dir.begin(), dir.end());
    if (end != runs.end() || rest == dir.end()) return;
    std::error_code ignored;
    fs::remove_all(dir, ignored);
  }

  Result<Json> NeedsServer(const std::string& verb) const {
    return Status::Error("loom " + verb +
                         " needs a Loom server (--server URL or LOOM_SERVER); a `loom run` "
                         "is stopped with Ctrl-C in its terminal");
  }

  std::unique_ptr<store::Store> store_;
  std::string url_;
  std::string namespace_;
};

}  // namespace

Result<std::unique_ptr<WorkflowClient>> ConnectLocal(const ClientOptions& options) {
  std::string url = options.db.empty() ? DefaultStoreUrl() : options.db;
  auto opened = store::Open(url);
  if (!opened.ok()) return opened.status();
  std::string namespace_ = options.namespace_.empty() ? "default" : options.namespace_;
  return std::unique_ptr<WorkflowClient>(
      new LocalClient(std::move(*opened), url, std::move(namespace_)));
}

}  // namespace loom::cli
