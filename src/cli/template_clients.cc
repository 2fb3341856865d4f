// The two TemplateClients: the embedded store (through server::TemplateStore)
// and a Loom server's /api/v1/workflow-templates and
// /api/v1/cluster-workflow-templates; and the lookup workflows use.
#include <filesystem>

#include "base/loom_home.h"
#include "cli/api_http.h"
#include "cli/template_client.h"
#include "server/template_store.h"
#include "server/workflow_template.h"
#include "store/store.h"
#include "store/url.h"

namespace loom::cli {

namespace {

Status FromApi(const server::ApiError& error) { return Status::Error(error.message); }

std::string NamespaceOf(const ClientOptions& options) {
  return options.namespace_.empty() ? "default" : options.namespace_;
}

std::string StoreUrlOf(const ClientOptions& options) {
  return options.db.empty() ? DefaultStoreUrl() : options.db;
}

class LocalTemplateClient : public TemplateClient {
 public:
  LocalTemplateClient(std::unique_ptr<store::Store> store, std::string url, std::string namespace_,
                      bool cluster_scope)
      : store_(std::move(store)),
        templates_(*store_, cluster_scope),
        url_(std::move(url)),
        namespace_(std::move(namespace_)),
        cluster_scope_(cluster_scope) {}

  Result<Json> Create(const Json& tmpl) override {
    auto created = templates_.Create(namespace_, tmpl);
    if (!created.ok()) return FromApi(created.error());
    return *created;
  }

  Result<std::vector<Json>> List(const std::string& label_selector, bool all_namespaces) override {
    auto listed = templates_.List(all_namespaces ? "" : namespace_, label_selector);
    if (!listed.ok()) return FromApi(listed.error());
    return *listed;
  }

  Result<std::optional<Json>> Find(const std::string& name) override {
    auto found = store_->GetObject(server::TemplateKind(cluster_scope_),
                                   cluster_scope_ ? "" : namespace_, name);
    if (!found.ok()) return found.status();
    if (!found->has_value()) return std::optional<Json>();
    return std::optional<Json>(server::TemplateObject(**found));
  }

  Status Delete(const std::string& name) override {
    auto deleted = templates_.Delete(namespace_, name);
    if (!deleted.ok()) return FromApi(deleted.error());
    return Status::Ok();
  }

  std::string Where() const override { return "the store " + store::RedactUrl(url_); }

 private:
  std::unique_ptr<store::Store> store_;
  server::TemplateStore templates_;
  std::string url_;
  std::string namespace_;
  bool cluster_scope_;
};

class ServerTemplateClient : public TemplateClient {
 public:
  ServerTemplateClient(const ClientOptions& options, bool cluster_scope)
      : http_(options), namespace_(NamespaceOf(options)), cluster_scope_(cluster_scope) {}

  Result<Json> Create(const Json& tmpl) override {
    Json body = {{"template", tmpl}};
    if (!cluster_scope_) body["namespace"] = namespace_;
    return http_.Post(Base(namespace_), body);
  }

  Result<std::vector<Json>> List(const std::string& label_selector, bool all_namespaces) override {
    ApiHttp::Params params;
    if (!label_selector.empty()) params.emplace("listOptions.labelSelector", label_selector);
    auto body = http_.Get(Base(all_namespaces ? "" : namespace_), params);
    if (!body.ok()) return body.status();
    std::vector<Json> items;
    if (auto it = body->find("items"); it != body->end() && it->is_array()) {
      for (Json& item : *it) items.push_back(std::move(item));
    }
    return items;
  }

  Result<std::optional<Json>> Find(const std::string& name) override {
    int status = 0;
    auto found = http_.Get(Path(name), {}, &status);
    if (status == 404) return std::optional<Json>();
    if (!found.ok()) return found.status();
    return std::optional<Json>(std::move(*found));
  }

  Status Delete(const std::string& name) override { return http_.Delete(Path(name)).status(); }

  std::string Where() const override { return "the server " + http_.url(); }

 private:
  std::string Base(const std::string& namespace_) const {
    if (cluster_scope_) return "/api/v1/cluster-workflow-templates";
    return "/api/v1/workflow-templates/" + namespace_;
  }
  std::string Path(const std::string& name) const {
    return Base(namespace_) + "/" + ApiHttp::Encode(name);
  }

  ApiHttp http_;
  std::string namespace_;
  bool cluster_scope_;
};

}  // namespace

Result<std::unique_ptr<TemplateClient>> ConnectTemplates(const ClientOptions& options,
                                                         bool cluster_scope) {
  if (!options.server.empty()) {
    if (options.server.rfind("http://", 0) != 0) {
      return Status::Error("--server " + options.server + ": expected http://HOST:PORT");
    }
    return std::unique_ptr<TemplateClient>(new ServerTemplateClient(options, cluster_scope));
  }
  std::string url = StoreUrlOf(options);
  auto opened = store::Open(url);
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<TemplateClient>(
      new LocalTemplateClient(std::move(*opened), url, NamespaceOf(options), cluster_scope));
}

server::TemplateLookup TemplateLookupFor(const ClientOptions& options, bool only_existing_store) {
  const std::string namespace_ = NamespaceOf(options);
  server::TemplateLookup lookup;
  if (!options.server.empty()) {
    lookup.where = "namespace \"" + namespace_ + "\" of the server " + options.server;
    struct Clients {
      std::unique_ptr<TemplateClient> namespaced, cluster;
    };
    auto clients = std::make_shared<Clients>();
    lookup.find = [options,
                   clients](const spec::TemplateDocumentRef& ref) -> Result<std::optional<Json>> {
      std::unique_ptr<TemplateClient>& client =
          ref.cluster_scope ? clients->cluster : clients->namespaced;
      if (!client) {
        auto connected = ConnectTemplates(options, ref.cluster_scope);
        if (!connected.ok()) return connected.status();
        client = std::move(*connected);
      }
      return client->Find(ref.name);
    };
    return lookup;
  }
  const std::string url = StoreUrlOf(options);
  if (only_existing_store) {
    auto parsed = store::ParseStoreUrl(url);
    if (parsed.ok() && parsed->kind == store::StoreUrl::Kind::kSqlite &&
        !std::filesystem::exists(parsed->target)) {
      return lookup;
    }
  }
  lookup.where = "namespace \"" + namespace_ + "\" of the store " + store::RedactUrl(url);
  auto opened = std::make_shared<std::unique_ptr<store::Store>>();
  lookup.find = [url, namespace_,
                 opened](const spec::TemplateDocumentRef& ref) -> Result<std::optional<Json>> {
    if (!*opened) {
      auto store = store::Open(url);
      if (!store.ok()) return store.status();
      *opened = std::move(*store);
    }
    return server::StoredTemplates(**opened, namespace_).find(ref);
  };
  return lookup;
}

}  // namespace loom::cli
