// Label matching and log selection for the embedded-store client.
#include "cli/client_util.h"

#include <algorithm>

#include "engine/status_json.h"
#include "expr/regex.h"

namespace loom::cli {

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

Result<store::StepLogOptions> LogOptions(const LogQuery& query) {
  store::StepLogOptions options;
  options.pod = query.node;
  options.follow = query.follow;
  if (query.tail >= 0) options.tail = static_cast<size_t>(query.tail);
  if (!query.grep.empty()) {
    auto compiled = expr::Regex::Compile(query.grep);
    if (!compiled.ok()) return Status::Error("--grep: " + compiled.error());
    options.keep = [regex = *compiled](const std::string& line) { return regex->Search(line); };
  }
  return options;
}

}  // namespace loom::cli
