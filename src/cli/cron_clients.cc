// The two CronClients: the embedded store (through server::CronStore, the
// code the server's API uses) and a Loom server's /api/v1/cron-workflows.
#include "base/loom_home.h"
#include "cli/api_http.h"
#include "cli/clients.h"
#include "cli/cron_client.h"
#include "server/cron_store.h"
#include "server/cron_workflow.h"
#include "store/store.h"

namespace loom::cli {

namespace {

Status FromApi(const server::ApiError& error) { return Status::Error(error.message); }

class LocalCronClient : public CronClient {
 public:
  LocalCronClient(std::unique_ptr<store::Store> store, ClientOptions options, std::string url)
      : store_(std::move(store)),
        crons_(*store_),
        options_(std::move(options)),
        url_(std::move(url)),
        namespace_(options_.namespace_.empty() ? "default" : options_.namespace_) {}

  Result<Json> Create(const Json& cron) override {
    auto created = crons_.Create(namespace_, cron);
    if (!created.ok()) return FromApi(created.error());
    return *created;
  }

  Result<std::vector<Json>> List(const std::string& label_selector, bool all_namespaces) override {
    auto listed = crons_.List(all_namespaces ? "" : namespace_, label_selector);
    if (!listed.ok()) return FromApi(listed.error());
    return *listed;
  }

  Result<Json> Get(const std::string& name) override {
    auto found = crons_.Get(namespace_, name);
    if (!found.ok()) return FromApi(found.error());
    return *found;
  }

  Result<Json> SetSuspend(const std::string& name, bool suspend) override {
    auto changed = crons_.SetSuspend(namespace_, name, suspend);
    if (!changed.ok()) return FromApi(changed.error());
    return *changed;
  }

  // Its finished workflows go with it; unfinished ones need the server that
  // will run them, so they stay (with their cron-workflow label).
  Status Delete(const std::string& name) override {
    auto deleted = crons_.Delete(namespace_, name);
    if (!deleted.ok()) return FromApi(deleted.error());
    auto runs =
        server::ListCronRuns(*store_, namespace_, name, (*deleted)["metadata"].value("uid", ""));
    if (!runs.ok()) return runs.status();
    auto workflows = ConnectLocal(options_);
    if (!workflows.ok()) return workflows.status();
    for (const store::WorkflowHeader& run : *runs) {
      if (!run.finished_at) continue;
      if (Status gone = (*workflows)->Delete(run.name); !gone.ok()) return gone;
    }
    return Status::Ok();
  }

  std::string Where() const override { return "the store " + url_; }

 private:
  std::unique_ptr<store::Store> store_;
  server::CronStore crons_;
  ClientOptions options_;
  std::string url_;
  std::string namespace_;
};

class ServerCronClient : public CronClient {
 public:
  explicit ServerCronClient(const ClientOptions& options)
      : namespace_(options.namespace_.empty() ? "default" : options.namespace_), api_(options) {}

  Result<Json> Create(const Json& cron) override {
    return api_.Post(Base(namespace_), {{"namespace", namespace_}, {"cronWorkflow", cron}});
  }

  Result<std::vector<Json>> List(const std::string& label_selector, bool all_namespaces) override {
    ApiHttp::Params params;
    if (!label_selector.empty()) params.emplace("listOptions.labelSelector", label_selector);
    auto body = api_.Get(Base(all_namespaces ? "" : namespace_), params);
    if (!body.ok()) return body.status();
    std::vector<Json> items;
    if (auto it = body->find("items"); it != body->end() && it->is_array()) {
      for (Json& item : *it) items.push_back(std::move(item));
    }
    return items;
  }

  Result<Json> Get(const std::string& name) override { return api_.Get(Path(name)); }

  Result<Json> SetSuspend(const std::string& name, bool suspend) override {
    return api_.Put(Path(name) + (suspend ? "/suspend" : "/resume"),
                    {{"namespace", namespace_}, {"name", name}});
  }

  Status Delete(const std::string& name) override { return api_.Delete(Path(name)).status(); }

  std::string Where() const override { return "the server " + api_.url(); }

 private:
  static std::string Base(const std::string& namespace_) {
    return "/api/v1/cron-workflows/" + namespace_;
  }
  std::string Path(const std::string& name) const {
    return Base(namespace_) + "/" + ApiHttp::Encode(name);
  }

  std::string namespace_;
  ApiHttp api_;
};

}  // namespace

Result<std::unique_ptr<CronClient>> ConnectCron(const ClientOptions& options) {
  if (!options.server.empty()) {
    if (options.server.rfind("http://", 0) != 0) {
      return Status::Error("--server " + options.server + ": expected http://HOST:PORT");
    }
    return std::unique_ptr<CronClient>(new ServerCronClient(options));
  }
  std::string url = options.db.empty() ? DefaultStoreUrl() : options.db;
  auto opened = store::Open(url);
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<CronClient>(new LocalCronClient(std::move(*opened), options, url));
}

}  // namespace loom::cli
