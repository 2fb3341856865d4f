// Records a `loom run` in the store ($LOOM_HOME/loom.db), so `loom list`,
// `get` and `logs` find the run afterwards, with no server. The run matters
// more than its record: when the store cannot be used, the recorder says so
// once on stderr and the run goes on unrecorded.
#pragma once

#include <chrono>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "base/json.h"
#include "engine/node.h"
#include "store/store.h"

namespace loom::cli {

class RunRecorder {
 public:
  // Opens the store at `url` and creates the workflow's record from
  // `document` (the document as written) and `status` (just started). An
  // earlier record of the same name is replaced, as the run's folder is.
  // `stored_template_spec` (null for none) is kept in the recorded status
  // as storedWorkflowTemplateSpec.
  RunRecorder(const std::string& url, const Json& document, const Json& stored_template_spec,
              const engine::WorkflowStatus& status, const std::string& run_dir,
              std::ostream& warnings);

  // After every event: appends the changed nodes; rewrites the header when
  // the phase changed, or at most once a second (its progress counts every node).
  void Update(const engine::WorkflowStatus& status, const std::vector<std::string>& changed);
  // The final header, and waits until everything is durable.
  void Finish(const engine::WorkflowStatus& status);

 private:
  void WriteHeader(const engine::WorkflowStatus& status);
  Json StatusJson(const engine::WorkflowStatus& status) const;
  void Warn(const std::string& what, const std::string& error);

  std::ostream& warnings_;
  std::unique_ptr<store::Store> store_;  // null: not recording
  store::WorkflowHeader header_;
  Json stored_template_spec_;
  engine::WorkflowPhase written_phase_ = engine::WorkflowPhase::kPending;
  std::chrono::steady_clock::time_point header_written_at_;
};

}  // namespace loom::cli
