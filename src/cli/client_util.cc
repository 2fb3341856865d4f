// Label matching and log selection for the embedded-store client.
#include "cli/client_util.h"

#include <algorithm>

#include "engine/status_json.h"

namespace loom::cli {

bool Completed(const Json& workflow) {
  const Json& metadata = workflow.value("metadata", Json::object());
  const Json& labels = metadata.value("labels", Json::object());
  if (labels.value("workflows.argoproj.io/completed", "") == "true") return true;
  return workflow.value("status", Json::object()).contains("finishedAt");
}

Result<engine::WorkflowStatus> StatusOf(const Json& workflow) {
  Json header = workflow.value("status", Json::object());
  std::map<std::string, Json> nodes;
  if (auto it = header.find("nodes"); it != header.end() && it->is_object()) {
    for (auto& [id, node] : it->items()) nodes[id] = std::move(node);
    header.erase("nodes");
  }
  return engine::StatusFromJson(workflow, header, nodes);
}

Result<WorkflowMatcher> WorkflowMatcher::Make(const ListQuery& query) {
  WorkflowMatcher matcher;
  for (const std::string& text : query.label_selectors) {
    auto selector = store::LabelSelector::Parse(text);
    if (!selector.ok()) return selector.status();
    matcher.selectors_.push_back(std::move(*selector));
  }
  return matcher;
}

bool WorkflowMatcher::Matches(const Json& workflow) const {
  if (selectors_.empty()) return true;
  std::map<std::string, std::string> labels;
  const Json& metadata = workflow.value("metadata", Json::object());
  const Json labels_json = metadata.value("labels", Json::object());
  for (const auto& [key, value] : labels_json.items()) {
    if (value.is_string()) labels[key] = value.get<std::string>();
  }
  return std::all_of(selectors_.begin(), selectors_.end(),
                     [&](const store::LabelSelector& s) { return s.Matches(labels); });
}

Result<LogFilter> LogFilter::Make(const LogQuery& query) {
  LogFilter filter;
  filter.query_ = query;
  if (!query.grep.empty()) {
    auto compiled = expr::Regex::Compile(query.grep);
    if (!compiled.ok()) return Status::Error("--grep: " + compiled.error());
    filter.grep_ = *compiled;
  }
  return filter;
}

Result<std::vector<LogStep>> LogFilter::Steps(const Json& workflow) const {
  struct Started {
    std::string at;
    LogStep step;
  };
  std::vector<Started> steps;
  bool named = query_.node.empty();
  const Json& nodes = workflow.value("status", Json::object()).value("nodes", Json::object());
  for (const auto& [id, node] : nodes.items()) {
    bool wanted = query_.node.empty() || query_.node == id ||
                  query_.node == node.value("name", "") ||
                  query_.node == node.value("displayName", "");
    if (!wanted) continue;
    named = true;
    if (node.value("type", "") != "Pod" || !node.contains("startedAt")) continue;
    steps.push_back({node.value("startedAt", ""), {id, node.value("displayName", id)}});
  }
  if (!named) {
    return Status::Error("workflow " + workflow["metadata"].value("name", "") +
                         " has no node named " + query_.node);
  }
  std::stable_sort(steps.begin(), steps.end(),
                   [](const Started& a, const Started& b) { return a.at < b.at; });
  std::vector<LogStep> ordered;
  for (Started& s : steps) ordered.push_back(std::move(s.step));
  return ordered;
}

void LogFilter::Emit(const LogStep& step, std::vector<std::string> lines,
                     const std::function<void(const LogLine&)>& emit) {
  if (grep_) {
    std::erase_if(lines, [&](const std::string& line) { return !grep_->Search(line); });
  }
  bool first = started_.insert(step.id).second;
  size_t skip = 0;
  if (first && query_.tail >= 0 && lines.size() > static_cast<size_t>(query_.tail)) {
    skip = lines.size() - static_cast<size_t>(query_.tail);
  }
  for (size_t i = skip; i < lines.size(); ++i) emit({step.display_name, lines[i]});
}

}  // namespace loom::cli
