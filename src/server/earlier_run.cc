// EarlierRun: stored nodes to a Replay, and the amendments of a continued run.
#include "server/earlier_run.h"

#include "engine/status_json.h"

namespace loom::server {

namespace {

bool Final(const Json& node) {
  auto phase = engine::ParseNodePhase(node.value("phase", ""));
  return phase && engine::IsFulfilled(*phase);
}

Result<std::map<std::string, engine::Node>> Parsed(const std::map<std::string, Json>& nodes) {
  std::map<std::string, engine::Node> parsed;
  for (const auto& [id, json] : nodes) {
    auto node = engine::NodeFromJson(json);
    if (!node.ok()) return Status::Error("node " + id + ": " + node.error());
    parsed.emplace(id, std::move(*node));
  }
  return parsed;
}

}  // namespace

Result<EarlierRun> EarlierRun::From(Kind kind, const std::map<std::string, Json>& nodes,
                                    const Json& status,
                                    std::optional<engine::NodeFieldSelector> restart) {
  auto parsed = Parsed(nodes);
  if (!parsed.ok()) return parsed.status();
  EarlierRun run(kind, engine::Replay(std::move(*parsed), std::move(restart)));
  if (kind == Kind::kContinued) {
    run.nodes_ = nodes;
    if (status.is_object() && status.contains("startedAt")) run.started_at_ = status["startedAt"];
  }
  return run;
}

Result<EarlierRun> EarlierRun::FromOtherRun(const std::map<std::string, Json>& nodes,
                                            const std::string& from_name,
                                            const std::string& from_run_dir,
                                            const std::string& to_name, const RunPaths& to) {
  auto parsed = Parsed(nodes);
  if (!parsed.ok()) return parsed.status();
  RunPaths from = RunPathsAt(from_run_dir);
  std::map<std::string, std::string> old_ids;
  auto renamed = engine::RenameRun(*parsed, from_name, from.artifacts_dir, to_name,
                                   to.artifacts_dir, &old_ids);
  EarlierRun run(Kind::kRetry,
                 engine::Replay(std::move(renamed), std::nullopt, std::move(old_ids)));
  run.files_.emplace(std::move(from), to);
  return run;
}

std::optional<executor::StepResult> EarlierRun::Reuse(const executor::StepRequest& request,
                                                      const engine::Node& node) {
  auto result = replay_.Reuse(request, node);
  if (result && files_) {
    LinkStepFiles(files_->first, replay_.EarlierId(request.id), files_->second, request.id);
  }
  return result;
}

void EarlierRun::Amend(const std::string& node_id, Json* node) const {
  if (!continued()) return;
  auto it = nodes_.find(node_id);
  if (it == nodes_.end()) return;
  const Json& before = it->second;
  if (before.contains("startedAt")) (*node)["startedAt"] = before["startedAt"];
  if (Final(before) && Final(*node) && before.value("phase", "") == node->value("phase", "") &&
      before.contains("finishedAt")) {
    (*node)["finishedAt"] = before["finishedAt"];
  }
}

void EarlierRun::AmendStatus(Json* status) const {
  if (continued() && !started_at_.is_null()) (*status)["startedAt"] = started_at_;
}

std::vector<store::NodeChange> EarlierRun::Leftovers(const engine::WorkflowStatus& status) const {
  std::vector<store::NodeChange> changes;
  if (!continued()) return changes;
  std::string now = engine::Timestamp(std::chrono::system_clock::now());
  for (const auto& [id, node] : nodes_) {
    if (Final(node) || status.nodes.count(id)) continue;
    Json ended = node;
    ended["phase"] = "Error";
    ended["message"] = kLeftoverMessage;
    ended["finishedAt"] = now;
    changes.push_back({id, std::move(ended)});
  }
  return changes;
}

}  // namespace loom::server
