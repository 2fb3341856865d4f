// Which earlier steps a new run reuses, and the StepResult that replays one.
#include "engine/replay.h"

#include "engine/names.h"

namespace loom::engine {

namespace {

bool SameParameters(const std::vector<ParameterValue>& a, const std::vector<ParameterValue>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].value != b[i].value) return false;
  }
  return true;
}

bool SameArtifacts(const std::vector<ArtifactValue>& a, const std::vector<ArtifactValue>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || a[i].location != b[i].location ||
        a[i].raw_data != b[i].raw_data) {
      return false;
    }
  }
  return true;
}

std::string Field(const Node& node, const std::string& field) {
  if (field == "id") return node.id;
  if (field == "name") return node.name;
  if (field == "displayName") return node.display_name;
  if (field == "templateName") return node.template_name;
  if (field == "phase") return NodePhaseName(node.phase);
  return "";
}

}  // namespace

Result<NodeFieldSelector> NodeFieldSelector::Parse(const std::string& text) {
  NodeFieldSelector selector;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string part = text.substr(start, comma - start);
    start = comma + 1;
    size_t eq = part.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::Error("node field selector \"" + part +
                           "\": expected FIELD=VALUE or FIELD!=VALUE");
    }
    Requirement r;
    r.negated = part[eq - 1] == '!';
    r.field = part.substr(0, r.negated ? eq - 1 : eq);
    r.value = part.substr(eq + 1);
    if (r.field != "id" && r.field != "name" && r.field != "displayName" &&
        r.field != "templateName" && r.field != "phase") {
      return Status::Error("node field selector \"" + part + "\": unknown field " + r.field +
                           " (id, name, displayName, templateName or phase)");
    }
    selector.requirements_.push_back(std::move(r));
  }
  return selector;
}

bool NodeFieldSelector::Matches(const Node& node) const {
  for (const Requirement& r : requirements_) {
    if ((Field(node, r.field) == r.value) == r.negated) return false;
  }
  return true;
}

Replay::Replay(std::map<std::string, Node> earlier, std::optional<NodeFieldSelector> restart,
               std::map<std::string, std::string> old_ids)
    : earlier_(std::move(earlier)), restart_(std::move(restart)), old_ids_(std::move(old_ids)) {}

std::string Replay::EarlierId(const std::string& id) const {
  auto it = old_ids_.find(id);
  return it == old_ids_.end() ? id : it->second;
}

std::optional<executor::StepResult> Replay::Reuse(const executor::StepRequest& request,
                                                  const Node& node) {
  auto it = earlier_.find(request.id);
  if (it == earlier_.end()) return std::nullopt;
  const Node& before = it->second;
  if (before.type != NodeType::kPod || before.phase != NodePhase::kSucceeded) return std::nullopt;
  if (before.name != node.name) return std::nullopt;
  if (restart_ && restart_->Matches(before)) return std::nullopt;
  if (!SameParameters(before.inputs.parameters, node.inputs.parameters) ||
      !SameArtifacts(before.inputs.artifacts, node.inputs.artifacts)) {
    return std::nullopt;
  }
  for (const executor::InputArtifact& in : request.input_artifacts) {
    if (fresh_artifacts_.count(in.source)) return std::nullopt;
  }
  executor::StepResult result;
  result.id = request.id;
  result.started = true;
  result.exit_code = before.outputs.exit_code ? std::atoi(before.outputs.exit_code->c_str()) : 0;
  // The engine drops one trailing newline of what a step printed and wrote; give one back.
  result.stdout_text = before.outputs.result.value_or("") + "\n";
  for (const ParameterValue& p : before.outputs.parameters) {
    result.parameters[p.name] =
        p.value ? std::optional<std::string>(*p.value + "\n") : std::nullopt;
  }
  for (const ArtifactValue& a : before.outputs.artifacts) result.artifacts[a.name] = true;
  auto now = std::chrono::system_clock::now();
  result.started_at = before.started_at.value_or(now);
  result.finished_at = before.finished_at.value_or(now);
  ++reused_;
  return result;
}

void Replay::RanAgain(const Node& node) {
  for (const ArtifactValue& a : node.outputs.artifacts) {
    if (!a.location.empty()) fresh_artifacts_.insert(a.location);
  }
}

std::map<std::string, Node> RenameRun(const std::map<std::string, Node>& earlier,
                                      const std::string& from_name,
                                      const std::string& from_artifacts, const std::string& to_name,
                                      const std::string& to_artifacts,
                                      std::map<std::string, std::string>* old_ids) {
  auto rename = [&](const std::string& name) {
    if (name == from_name) return to_name;
    if (name.compare(0, from_name.size() + 1, from_name + ".") == 0) {
      return to_name + name.substr(from_name.size());
    }
    return name;
  };
  std::map<std::string, std::string> new_ids;
  for (const auto& [id, node] : earlier) new_ids[id] = NodeId(to_name, rename(node.name));
  // <from_artifacts>/<old id>/<rest> -> <to_artifacts>/<new id>/<rest>
  auto relocate = [&](std::vector<ArtifactValue>& artifacts) {
    for (ArtifactValue& a : artifacts) {
      if (a.location.compare(0, from_artifacts.size() + 1, from_artifacts + "/") != 0) continue;
      std::string rest = a.location.substr(from_artifacts.size() + 1);
      size_t slash = rest.find('/');
      auto id = new_ids.find(rest.substr(0, slash));
      if (slash == std::string::npos || id == new_ids.end()) continue;
      a.location = to_artifacts + "/" + id->second + rest.substr(slash);
    }
  };
  old_ids->clear();
  std::map<std::string, Node> renamed;
  for (const auto& [id, node] : earlier) {
    Node copy = node;
    copy.id = new_ids.at(id);
    (*old_ids)[copy.id] = id;
    copy.name = rename(node.name);
    relocate(copy.inputs.artifacts);
    relocate(copy.outputs.artifacts);
    renamed.emplace(copy.id, std::move(copy));
  }
  return renamed;
}

}  // namespace loom::engine
