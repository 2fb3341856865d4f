// CronWorkflow objects: read-check-write against the store's objects table.
#include "server/cron_store.h"

#include <chrono>

#include "server/cron_workflow.h"
#include "store/label_selector.h"

namespace loom::server {

namespace {

// Writes that lose a race with the CronController's status write retry; it
// writes once per run, so a few tries always suffice.
constexpr int kTries = 8;

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The parts of an object's metadata that the store, not the client, owns.
void DropServerFields(Json& cron) {
  cron.erase("status");
  Json& metadata = cron["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  metadata.erase("resourceVersion");
  metadata.erase("generation");
}

}  // namespace

std::string CronNotFound(const std::string& namespace_, const std::string& name) {
  return "cron workflow \"" + name + "\" not found in namespace \"" + namespace_ + "\"";
}

CronStore::CronStore(store::Store& store) : store_(store), random_(std::random_device()()) {}

std::string CronStore::RandomSuffix(size_t length, bool hex) {
  static const char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::lock_guard lock(mutex_);
  std::uniform_int_distribution<int> pick(0, hex ? 15 : 35);
  std::string out;
  for (size_t i = 0; i < length; ++i) out += kAlphabet[pick(random_)];
  return out;
}

ApiResult<Json> CronStore::Create(const std::string& namespace_, Json cron) {
  auto checked = CheckCronWorkflow(std::move(cron), StoredTemplates(store_, namespace_));
  if (!checked.ok()) return checked.error();
  Json document = std::move(checked).value();
  DropServerFields(document);
  Json& metadata = document["metadata"];
  std::string name = metadata.value("name", "");
  const std::string prefix = metadata.value("generateName", "");
  if (name.empty() && prefix.empty()) {
    return BadRequest("cronWorkflow: metadata.name or metadata.generateName is required");
  }
  std::string hex = RandomSuffix(32, true);
  store::StoredObject object;
  object.kind = kCronWorkflowKind;
  object.namespace_ = namespace_;
  object.uid = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-4" + hex.substr(13, 3) + "-a" +
               hex.substr(17, 3) + "-" + hex.substr(20, 12);
  object.created_at = NowMillis();
  for (int tries = 0; tries < kTries; ++tries) {
    object.name = name.empty() ? prefix + RandomSuffix(5, false) : name;
    metadata["name"] = object.name;
    metadata["namespace"] = namespace_;
    metadata["uid"] = object.uid;
    object.document = document;
    auto written = store_.CreateObject(object);
    if (!written.ok()) return Internal("store: " + written.error());
    if (*written == store::ObjectWrite::kDone) {
      object.version = 1;
      return CronObject(object);
    }
    if (!name.empty()) break;  // a chosen name that is taken
  }
  return Conflict("cron workflow \"" + object.name + "\" already exists in namespace \"" +
                  namespace_ + "\"");
}

ApiResult<store::StoredObject> CronStore::Find(const std::string& namespace_,
                                               const std::string& name) {
  auto found = store_.GetObject(kCronWorkflowKind, namespace_, name);
  if (!found.ok()) return Internal("store: " + found.error());
  if (!found->has_value()) return NotFound(CronNotFound(namespace_, name));
  return std::move(**found);
}

ApiResult<Json> CronStore::Get(const std::string& namespace_, const std::string& name) {
  auto found = Find(namespace_, name);
  if (!found.ok()) return found.error();
  return CronObject(*found);
}

ApiResult<std::vector<Json>> CronStore::List(const std::string& namespace_,
                                             const std::string& label_selector) {
  auto selector = store::LabelSelector::Parse(label_selector);
  if (!selector.ok()) return BadRequest(selector.error());
  auto objects = store_.ListObjects(kCronWorkflowKind, namespace_);
  if (!objects.ok()) return Internal("store: " + objects.error());
  std::vector<Json> out;
  for (const store::StoredObject& object : *objects) {
    Json cron = CronObject(object);
    const Json given = cron["metadata"].value("labels", Json::object());
    std::map<std::string, std::string> labels;
    if (given.is_object()) {
      for (const auto& [key, value] : given.items()) {
        if (value.is_string()) labels[key] = value.get<std::string>();
      }
    }
    if (selector->Matches(labels)) out.push_back(std::move(cron));
  }
  return out;
}

ApiResult<Json> CronStore::Update(const std::string& namespace_, const std::string& name,
                                  Json cron) {
  auto checked = CheckCronWorkflow(std::move(cron), StoredTemplates(store_, namespace_));
  if (!checked.ok()) return checked.error();
  Json document = std::move(checked).value();
  const Json& given = document["metadata"];
  if (given.value("name", name) != name) {
    return BadRequest("cronWorkflow: metadata.name '" + given.value("name", "") +
                      "' does not match the name in the path, '" + name + "'");
  }
  std::optional<int64_t> expected;
  if (given.contains("resourceVersion")) {
    const Json& version = given["resourceVersion"];
    try {
      expected =
          version.is_string() ? std::stoll(version.get<std::string>()) : version.get<int64_t>();
    } catch (const std::exception&) {
      return BadRequest("cronWorkflow: metadata.resourceVersion must be a number");
    }
  }
  DropServerFields(document);
  for (int tries = 0; tries < kTries; ++tries) {
    auto found = Find(namespace_, name);
    if (!found.ok()) return found.error();
    store::StoredObject object = std::move(found).value();
    if (expected && *expected != object.version) break;
    document["metadata"]["name"] = name;
    document["metadata"]["namespace"] = namespace_;
    document["metadata"]["uid"] = object.uid;
    object.document = document;
    auto written = store_.UpdateObject(object, object.version);
    if (!written.ok()) return Internal("store: " + written.error());
    if (*written == store::ObjectWrite::kMissing) return NotFound(CronNotFound(namespace_, name));
    if (*written == store::ObjectWrite::kDone) {
      ++object.version;
      return CronObject(object);
    }
  }
  return Conflict("cron workflow \"" + name +
                  "\" was changed meanwhile (its resourceVersion differs); read it again");
}

ApiResult<Json> CronStore::SetSuspend(const std::string& namespace_, const std::string& name,
                                      bool suspend) {
  for (int tries = 0; tries < kTries; ++tries) {
    auto found = Find(namespace_, name);
    if (!found.ok()) return found.error();
    store::StoredObject object = std::move(found).value();
    Json& spec = object.document["spec"];
    if (suspend) {
      spec["suspend"] = true;
    } else {
      spec.erase("suspend");  // Argo writes false, which omitempty drops
    }
    auto written = store_.UpdateObject(object, object.version);
    if (!written.ok()) return Internal("store: " + written.error());
    if (*written == store::ObjectWrite::kMissing) return NotFound(CronNotFound(namespace_, name));
    if (*written == store::ObjectWrite::kDone) {
      ++object.version;
      return CronObject(object);
    }
  }
  return Conflict("cron workflow \"" + name + "\" keeps changing; try again");
}

ApiResult<Json> CronStore::Delete(const std::string& namespace_, const std::string& name) {
  auto found = Find(namespace_, name);
  if (!found.ok()) return found.error();
  auto deleted = store_.DeleteObject(kCronWorkflowKind, namespace_, name);
  if (!deleted.ok()) return Internal("store: " + deleted.error());
  if (*deleted == store::ObjectWrite::kMissing) return NotFound(CronNotFound(namespace_, name));
  return CronObject(*found);
}

}  // namespace loom::server
