// (Cluster)WorkflowTemplate objects: check, then read or write the store's objects table.
#include "server/template_store.h"

#include <chrono>
#include <optional>
#include <random>

#include "engine/names.h"
#include "server/template_library.h"
#include "server/workflow_template.h"
#include "store/label_selector.h"

namespace loom::server {

namespace {

// An update without a resourceVersion that loses a race with another
// writer reads again; a few tries suffice.
constexpr int kTries = 8;

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A random (version 4) UUID, as Kubernetes gives every object.
std::string NewUid(std::mt19937_64& random) {
  std::uniform_int_distribution<int> hex(0, 15);
  std::string uid;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) uid += '-';
    int digit = i == 12 ? 4 : i == 16 ? 8 + (hex(random) & 3) : hex(random);
    uid += "0123456789abcdef"[digit];
  }
  return uid;
}

// What the store, not the client, owns.
void DropServerFields(Json& tmpl) {
  tmpl.erase("status");
  Json& metadata = tmpl["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  for (const char* key : {"uid", "creationTimestamp", "resourceVersion", "generation"}) {
    metadata.erase(key);
  }
}

std::map<std::string, std::string> Labels(const Json& tmpl) {
  std::map<std::string, std::string> labels;
  const Json given = tmpl["metadata"].value("labels", Json::object());
  if (!given.is_object()) return labels;
  for (const auto& [key, value] : given.items()) {
    if (value.is_string()) labels[key] = value.get<std::string>();
  }
  return labels;
}

std::optional<int64_t> ResourceVersion(const Json& metadata, bool* bad) {
  if (!metadata.contains("resourceVersion")) return std::nullopt;
  const Json& version = metadata["resourceVersion"];
  try {
    return version.is_string() ? std::stoll(version.get<std::string>()) : version.get<int64_t>();
  } catch (const std::exception&) {
    *bad = true;
    return std::nullopt;
  }
}

}  // namespace

TemplateStore::TemplateStore(store::Store& store, bool cluster_scope)
    : store_(store), cluster_scope_(cluster_scope), kind_(TemplateKind(cluster_scope)) {}

std::string TemplateStore::Missing(const std::string& namespace_, const std::string& name) const {
  if (cluster_scope_) return "cluster workflow template \"" + name + "\" not found";
  return "workflow template \"" + name + "\" not found in namespace \"" + namespace_ + "\"";
}

std::string TemplateStore::StoredNamespace(const std::string& namespace_) const {
  return cluster_scope_ ? "" : namespace_;
}

ApiResult<Json> TemplateStore::Check(const std::string& namespace_, Json tmpl) {
  spec::Kind kind =
      cluster_scope_ ? spec::Kind::kClusterWorkflowTemplate : spec::Kind::kWorkflowTemplate;
  return CheckStoredDocument(std::move(tmpl), kind, "template",
                             StoredTemplates(store_, StoredNamespace(namespace_)));
}

ApiResult<Json> TemplateStore::Create(const std::string& namespace_, Json tmpl) {
  auto checked = Check(namespace_, std::move(tmpl));
  if (!checked.ok()) return checked.error();
  Json document = std::move(checked).value();
  DropServerFields(document);
  Json& metadata = document["metadata"];
  std::string name = metadata.value("name", "");
  const std::string prefix = metadata.value("generateName", "");
  if (name.empty() && prefix.empty()) {
    return BadRequest("template: metadata.name or metadata.generateName is required");
  }
  std::mt19937_64 random(std::random_device{}());
  store::StoredObject object;
  object.kind = kind_;
  object.namespace_ = StoredNamespace(namespace_);
  object.uid = NewUid(random);
  object.created_at = NowMillis();
  for (int tries = 0; tries < kTries; ++tries) {
    object.name = name.empty() ? engine::GenerateName(prefix, random) : name;
    metadata["name"] = object.name;
    object.document = document;
    auto written = store_.CreateObject(object);
    if (!written.ok()) return Internal("store: " + written.error());
    if (*written == store::ObjectWrite::kDone) {
      object.version = 1;
      return TemplateObject(object);
    }
    if (!name.empty()) break;  // a chosen name that is taken
  }
  if (cluster_scope_) {
    return Conflict("cluster workflow template \"" + object.name + "\" already exists");
  }
  return Conflict("workflow template \"" + object.name + "\" already exists in namespace \"" +
                  namespace_ + "\"");
}

ApiResult<store::StoredObject> TemplateStore::Find(const std::string& namespace_,
                                                   const std::string& name) {
  auto found = store_.GetObject(kind_, StoredNamespace(namespace_), name);
  if (!found.ok()) return Internal("store: " + found.error());
  if (!found->has_value()) return NotFound(Missing(namespace_, name));
  return std::move(**found);
}

ApiResult<Json> TemplateStore::Get(const std::string& namespace_, const std::string& name) {
  auto found = Find(namespace_, name);
  if (!found.ok()) return found.error();
  return TemplateObject(*found);
}

ApiResult<std::vector<Json>> TemplateStore::List(const std::string& namespace_,
                                                 const std::string& label_selector) {
  auto selector = store::LabelSelector::Parse(label_selector);
  if (!selector.ok()) return BadRequest(selector.error());
  auto objects = store_.ListObjects(kind_, StoredNamespace(namespace_));
  if (!objects.ok()) return Internal("store: " + objects.error());
  std::vector<Json> out;
  for (const store::StoredObject& object : *objects) {
    Json tmpl = TemplateObject(object);
    if (selector->Matches(Labels(tmpl))) out.push_back(std::move(tmpl));
  }
  return out;
}

ApiResult<Json> TemplateStore::Update(const std::string& namespace_, const std::string& name,
                                      Json tmpl) {
  auto checked = Check(namespace_, std::move(tmpl));
  if (!checked.ok()) return checked.error();
  Json document = std::move(checked).value();
  const Json& given = document["metadata"];
  if (given.value("name", name) != name) {
    return BadRequest("template: metadata.name '" + given.value("name", "") +
                      "' does not match the name in the path, '" + name + "'");
  }
  bool bad = false;
  std::optional<int64_t> expected = ResourceVersion(given, &bad);
  if (bad) return BadRequest("template: metadata.resourceVersion must be a number");
  DropServerFields(document);
  document["metadata"]["name"] = name;
  for (int tries = 0; tries < kTries; ++tries) {
    auto found = Find(namespace_, name);
    if (!found.ok()) return found.error();
    store::StoredObject object = std::move(found).value();
    if (expected && *expected != object.version) break;
    object.document = document;
    auto written = store_.UpdateObject(object, object.version);
    if (!written.ok()) return Internal("store: " + written.error());
    if (*written == store::ObjectWrite::kMissing) {
      return NotFound(Missing(namespace_, name));
    }
    if (*written == store::ObjectWrite::kDone) {
      ++object.version;
      return TemplateObject(object);
    }
  }
  return Conflict("template \"" + name +
                  "\" was changed meanwhile (its resourceVersion differs); read it again");
}

ApiResult<Json> TemplateStore::Delete(const std::string& namespace_, const std::string& name) {
  auto found = Find(namespace_, name);
  if (!found.ok()) return found.error();
  auto deleted = store_.DeleteObject(kind_, StoredNamespace(namespace_), name);
  if (!deleted.ok()) return Internal("store: " + deleted.error());
  if (*deleted == store::ObjectWrite::kMissing) {
    return NotFound(Missing(namespace_, name));
  }
  return TemplateObject(*found);
}

ApiResult<Json> TemplateStore::Lint(const std::string& namespace_, Json tmpl) {
  auto checked = Check(namespace_, std::move(tmpl));
  if (!checked.ok()) return checked.error();
  Json object = std::move(checked).value();
  if (!cluster_scope_) object["metadata"]["namespace"] = namespace_;
  return object;
}

}  // namespace loom::server
