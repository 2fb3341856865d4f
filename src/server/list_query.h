// The query of GET /api/v1/workflows/{namespace}: Argo's listOptions
// (labelSelector, fieldSelector, limit) and Loom's extras (namePrefix,
// phase, createdAfter), turned into what the store can filter on plus what
// is checked here on each header (label selectors beyond k=v, field
// selectors on the name).
#pragma once

#include <optional>
#include <string>

#include "server/api_result.h"
#include "server/http.h"
#include "store/label_selector.h"
#include "store/store.h"

namespace loom::server {

class ListQuery {
 public:
  // Reads the query of `request` for namespace `namespace_` ("" = all).
  static ApiResult<ListQuery> Parse(const HttpRequest& request, const std::string& namespace_);

  // What to ask the store for. Its limit is set only when nothing is left
  // for Matches() to reject, so the limit counts matching workflows.
  const store::ListFilter& filter() const { return filter_; }
  bool Matches(const store::WorkflowHeader& header) const;
  size_t limit() const { return limit_; }  // 0 = all
  // The name fieldSelector metadata.name= asks for, if any.
  const std::optional<std::string>& name() const { return name_; }

 private:
  store::ListFilter filter_;
  std::optional<store::LabelSelector> labels_;
  std::optional<std::string> name_;  // fieldSelector metadata.name=
  size_t limit_ = 0;
  bool contradictory_ = false;  // the path's namespace and metadata.namespace= differ
};

}  // namespace loom::server
