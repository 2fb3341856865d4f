// Parsing listOptions and Loom's list extras.
#include "server/list_query.h"

#include <charconv>

#include "engine/status_json.h"

namespace loom::server {

namespace {

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) parts.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return parts;
}

}  // namespace

ApiResult<ListQuery> ListQuery::Parse(const HttpRequest& request, const std::string& namespace_) {
  ListQuery query;
  query.filter_.namespace_ = namespace_;
  query.filter_.name_prefix = request.Query("namePrefix");
  query.filter_.phases = request.QueryAll("phase");

  std::string labels = request.Query("listOptions.labelSelector");
  if (!labels.empty()) {
    auto selector = store::LabelSelector::Parse(labels);
    if (!selector.ok()) return BadRequest("listOptions.labelSelector: " + selector.error());
    query.filter_.labels = selector->Equalities();
    query.labels_ = std::move(*selector);
  }

  for (const std::string& field : SplitCommas(request.Query("listOptions.fieldSelector"))) {
    size_t eq = field.find('=');
    std::string key = field.substr(0, eq);
    std::string value = eq == std::string::npos ? "" : field.substr(eq + 1);
    if (!value.empty() && value[0] == '=') value.erase(0, 1);  // k==v
    if (eq == std::string::npos || (eq > 0 && field[eq - 1] == '!')) {
      return BadRequest("listOptions.fieldSelector: '" + field +
                        "' is not supported; use metadata.name=X, metadata.namespace=Y or "
                        "status.phase=Z");
    }
    if (key == "metadata.name") {
      query.name_ = value;
    } else if (key == "metadata.namespace") {
      if (!namespace_.empty() && value != namespace_) query.contradictory_ = true;
      query.filter_.namespace_ = value;
    } else if (key == "status.phase") {
      query.filter_.phases.push_back(value);
    } else {
      return BadRequest("listOptions.fieldSelector: unknown field '" + key +
                        "' (known: metadata.name, metadata.namespace, status.phase)");
    }
  }

  std::string limit = request.Query("listOptions.limit");
  if (!limit.empty()) {
    auto [end, error] = std::from_chars(limit.data(), limit.data() + limit.size(), query.limit_);
    if (error != std::errc() || end != limit.data() + limit.size()) {
      return BadRequest("listOptions.limit: '" + limit + "' is not a non-negative integer");
    }
  }
  bool checked_here = query.name_ || query.labels_ || query.contradictory_;
  if (!checked_here) query.filter_.limit = query.limit_;

  std::string after = request.Query("createdAfter");
  if (!after.empty()) {
    auto time = engine::ParseTimestamp(after);
    if (!time) return BadRequest("createdAfter: '" + after + "' is not an RFC 3339 time");
    query.filter_.created_after =
        std::chrono::duration_cast<std::chrono::milliseconds>(time->time_since_epoch()).count();
  }
  return query;
}

bool ListQuery::Matches(const store::WorkflowHeader& header) const {
  if (contradictory_) return false;
  if (name_ && header.name != *name_) return false;
  if (labels_ && !labels_->Matches(header.labels)) return false;
  return true;
}

}  // namespace loom::server
