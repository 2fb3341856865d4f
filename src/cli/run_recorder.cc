// The store's record of a `loom run`: the header once at the start, node
// changes as they happen (group-committed by the store), the header again on
// phase changes and at the end.
#include "cli/run_recorder.h"

#include <unistd.h>

#include <random>

#include "base/loom_home.h"
#include "engine/status_json.h"
#include "server/workflow_template.h"

namespace loom::cli {

namespace {

constexpr auto kHeaderInterval = std::chrono::seconds(1);

store::Millis ToMillis(engine::TimePoint time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

// A random RFC 4122 version-4 UUID, as Kubernetes gives metadata.uid.
std::string NewUid() {
  std::random_device device;
  std::mt19937_64 random(device());
  std::uniform_int_distribution<int> hex(0, 15);
  std::string uid;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) uid += '-';
    int digit = i == 12 ? 4 : i == 16 ? 8 + (hex(random) & 3) : hex(random);
    uid += "0123456789abcdef"[digit];
  }
  return uid;
}

// The document as submitted, as Argo keeps it: metadata with name,
// namespace, uid and creation time; the arguments with -p values applied.
Json SubmittedDocument(Json document, const engine::WorkflowStatus& status, const std::string& uid,
                       const std::string& run_dir) {
  if (!document.is_object()) document = Json::object();
  Json& metadata = document["metadata"];
  if (!metadata.is_object()) metadata = Json::object();
  metadata["name"] = status.name;
  metadata["namespace"] = status.namespace_.empty() ? "default" : status.namespace_;
  metadata["uid"] = uid;
  if (status.started_at) metadata["creationTimestamp"] = engine::Timestamp(*status.started_at);
  metadata["annotations"][kRunDirAnnotation] = run_dir;
  metadata["annotations"][kControllerAnnotation] = kRunByLoomRun;
  metadata["annotations"][kPidAnnotation] = std::to_string(getpid());
  if (!status.parameters.empty()) {
    Json parameters = Json::array();
    for (const auto& p : status.parameters) {
      Json parameter = {{"name", p.name}};
      if (p.value) parameter["value"] = *p.value;
      parameters.push_back(std::move(parameter));
    }
    document["spec"]["arguments"]["parameters"] = std::move(parameters);
  }
  return document;
}

std::map<std::string, std::string> Labels(const Json& document) {
  std::map<std::string, std::string> labels;
  const Json& metadata = document["metadata"];
  if (auto it = metadata.find("labels"); it != metadata.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      if (value.is_string()) labels[key] = value.get<std::string>();
    }
  }
  return labels;
}

}  // namespace

RunRecorder::RunRecorder(const std::string& url, const Json& document,
                         const Json& stored_template_spec, const engine::WorkflowStatus& status,
                         const std::string& run_dir, std::ostream& warnings)
    : warnings_(warnings), stored_template_spec_(stored_template_spec) {
  auto opened = store::Open(url);
  if (!opened.ok()) {
    Warn("cannot open the store", opened.error());
    return;
  }
  store_ = std::move(*opened);
  header_.uid = NewUid();
  header_.namespace_ = status.namespace_.empty() ? "default" : status.namespace_;
  header_.name = status.name;
  header_.document = SubmittedDocument(document, status, header_.uid, run_dir);
  header_.labels = Labels(header_.document);
  header_.created_at = ToMillis(status.started_at.value_or(std::chrono::system_clock::now()));
  header_.phase = engine::WorkflowPhaseName(status.phase);
  header_.status = StatusJson(status);
  written_phase_ = status.phase;
  header_written_at_ = std::chrono::steady_clock::now();

  auto earlier = store_->Get(header_.namespace_, header_.name);
  if (earlier.ok() && *earlier) {
    warnings_ << "loom: replacing the stored record of the earlier run named " << header_.name
              << "\n";
    if (Status deleted = store_->Delete((*earlier)->header.uid); !deleted.ok()) {
      Warn("cannot replace the earlier record", deleted.message());
      return;
    }
  }
  if (Status created = store_->Create(header_); !created.ok()) {
    Warn("cannot record the run", created.message());
  }
}

void RunRecorder::Warn(const std::string& what, const std::string& error) {
  warnings_ << "loom: warning: " << what << " (" << error
            << "); the run goes on, but `loom list` and `loom get` will not show it\n";
  store_.reset();
}

Json RunRecorder::StatusJson(const engine::WorkflowStatus& status) const {
  Json json = engine::StatusHeaderToJson(status);
  if (!stored_template_spec_.is_null())
    json[server::kStoredTemplateSpecField] = stored_template_spec_;
  return json;
}

void RunRecorder::WriteHeader(const engine::WorkflowStatus& status) {
  header_.phase = engine::WorkflowPhaseName(status.phase);
  header_.status = StatusJson(status);
  if (status.finished_at) header_.finished_at = ToMillis(*status.finished_at);
  written_phase_ = status.phase;
  header_written_at_ = std::chrono::steady_clock::now();
  if (Status updated = store_->UpdateHeader(header_); !updated.ok()) {
    Warn("cannot record the run's state", updated.message());
  }
}

void RunRecorder::Update(const engine::WorkflowStatus& status,
                         const std::vector<std::string>& changed) {
  if (!store_) return;
  if (!changed.empty()) {
    std::vector<store::NodeChange> changes;
    changes.reserve(changed.size());
    for (const std::string& id : changed) {
      auto node = status.nodes.find(id);
      if (node != status.nodes.end()) changes.push_back({id, engine::NodeToJson(node->second)});
    }
    if (Status appended = store_->Append(header_.uid, std::move(changes)); !appended.ok()) {
      Warn("cannot record the run's steps", appended.message());
      return;
    }
  }
  if (status.phase != written_phase_ ||
      std::chrono::steady_clock::now() - header_written_at_ >= kHeaderInterval) {
    WriteHeader(status);
  }
}

void RunRecorder::Finish(const engine::WorkflowStatus& status) {
  if (!store_) return;
  WriteHeader(status);
  if (!store_) return;
  if (Status synced = store_->Sync(); !synced.ok()) Warn("cannot save the run", synced.message());
}

}  // namespace loom::cli
