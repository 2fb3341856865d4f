// Assembling and tearing down the server's parts, in dependency order.
#include "server/server.h"

#include "base/loom_home.h"
#include "server/api.h"
#include "server/controller.h"
#include "server/cron_controller.h"
#include "server/cron_workflow.h"
#include "server/http_listener.h"
#include "server/metrics.h"
#include "server/router.h"
#include "store/server_lock.h"
#include "store/store.h"
#include "store/url.h"

namespace loom::server {

// Declared in the order they are built; destroyed in reverse.
struct Server::Parts {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::ServerLock> lock;
  Metrics metrics;
  std::unique_ptr<Controller> controller;
  SystemCronClock cron_clock;
  std::unique_ptr<CronController> cron;
  Router router;
  std::unique_ptr<HttpListener> listener;
};

Server::Server(ServerConfig config) : config_(std::move(config)) {}

Server::~Server() { Stop(); }

Status Server::Start() {
  auto parts = std::make_unique<Parts>();
  std::string url = config_.store_url.empty() ? DefaultStoreUrl() : config_.store_url;
  auto store = store::Open(url);
  if (!store.ok())
    return Status::Error("cannot open the store " + store::RedactUrl(url) + ": " + store.error());
  // Before the controller takes up the store's unfinished workflows.
  auto lock = store::LockForServer(url);
  if (!lock.ok()) return lock.status();
  parts->lock = std::move(*lock);
  parts->store = std::move(*store);

  ControllerOptions options;
  options.capacity = config_.capacity;
  options.isolation = config_.isolation;
  options.work_dir = LoomHome() + "/server";
  options.supervisor = config_.supervisor;
  options.sync_config = config_.sync_config;
  parts->controller = std::make_unique<Controller>(*parts->store, parts->metrics, options);
  parts->cron =
      std::make_unique<CronController>(*parts->store, *parts->controller, parts->cron_clock);
  parts->controller->SetOnFinished([cron = parts->cron.get()](const store::WorkflowHeader& header) {
    if (header.labels.count(kCronWorkflowLabel)) cron->Notify();
  });
  Status started = parts->controller->Start();
  if (!started.ok()) return started;
  parts->cron->Start();

  AddApiRoutes(parts->router,
               ApiContext{*parts->store, *parts->controller, parts->metrics, parts->cron.get()});
  parts->listener = std::make_unique<HttpListener>(parts->router, config_.token);
  auto port = parts->listener->Start(config_.host, config_.port);
  if (!port.ok()) return port.status();
  port_ = *port;
  parts_ = std::move(parts);
  return Status::Ok();
}

void Server::Stop() {
  if (!parts_) return;
  parts_->listener->Stop();
  parts_->cron->Stop();
  parts_->controller->Stop();
  parts_.reset();
}

}  // namespace loom::server
