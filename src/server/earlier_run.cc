// EarlierRun: stored nodes to a Replay, and the amendments of a continued run.
#include "server/earlier_run.h"

#include "engine/status_json.h"

namespace loom::server {

namespace {

bool Final(const Json& node) {
  auto phase = engine::ParseNodePhase(node.value("phase", ""));
  return phase && engine::IsFulfilled(*phase);
}

}  // namespace

Result<EarlierRun> EarlierRun::From(Kind kind, const std::map<std::string, Json>& nodes,
                                    const Json& status,
                                    std::optional<engine::NodeFieldSelector> restart) {
  std::map<std::string, engine::Node> parsed;
  for (const auto& [id, json] : nodes) {
    auto node = engine::NodeFromJson(json);
    if (!node.ok()) return Status::Error("node " + id + ": " + node.error());
    parsed.emplace(id, std::move(*node));
  }
  EarlierRun run(kind, engine::Replay(std::move(parsed), std::move(restart)));
  if (kind == Kind::kContinued) {
    run.nodes_ = nodes;
    if (status.is_object() && status.contains("startedAt")) run.started_at_ = status["startedAt"];
  }
  return run;
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
