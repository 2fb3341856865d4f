// Counting and rendering the server's metrics.
#include "server/metrics.h"

#include <fmt/format.h>

#include <algorithm>

namespace loom::server {

Metrics::Metrics()
    : bounds_{0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600, 14400}, buckets_(bounds_.size() + 1, 0) {
  for (const char* phase : {"Pending", "Running", "Succeeded", "Failed", "Error"}) {
    workflows_[phase] = 0;
  }
}

void Metrics::WorkflowMoved(const std::string& from, const std::string& phase) {
  std::lock_guard lock(mutex_);
  if (!from.empty()) --workflows_[from];
  ++workflows_[phase];
}

void Metrics::WorkflowRemoved(const std::string& phase) {
  std::lock_guard lock(mutex_);
  --workflows_[phase];
}

void Metrics::StepStarted() {
  std::lock_guard lock(mutex_);
  ++steps_started_;
}

void Metrics::StepFinished(const std::string& phase, double seconds) {
  std::lock_guard lock(mutex_);
  ++steps_finished_[phase];
  size_t bucket = std::lower_bound(bounds_.begin(), bounds_.end(), seconds) - bounds_.begin();
  ++buckets_[bucket];
  duration_sum_ += seconds;
  ++duration_count_;
}

void Metrics::SetQueueDepth(size_t depth) {
  std::lock_guard lock(mutex_);
  queue_depth_ = depth;
}

std::string Metrics::Render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP loom_workflows Workflows in the store, by phase.\n";
  out += "# TYPE loom_workflows gauge\n";
  for (const auto& [phase, count] : workflows_) {
    out += fmt::format("loom_workflows{{phase=\"{}\"}} {}\n", phase, count);
  }
  out += "# HELP loom_steps_started_total Steps handed to the executor.\n";
  out += "# TYPE loom_steps_started_total counter\n";
  out += fmt::format("loom_steps_started_total {}\n", steps_started_);
  out += "# HELP loom_steps_finished_total Steps that ended, by the phase of their node.\n";
  out += "# TYPE loom_steps_finished_total counter\n";
  for (const auto& [phase, count] : steps_finished_) {
    out += fmt::format("loom_steps_finished_total{{phase=\"{}\"}} {}\n", phase, count);
  }
  out += "# HELP loom_queue_depth Ready steps waiting for capacity.\n";
  out += "# TYPE loom_queue_depth gauge\n";
  out += fmt::format("loom_queue_depth {}\n", queue_depth_);
  out += "# HELP loom_step_duration_seconds How long steps ran.\n";
  out += "# TYPE loom_step_duration_seconds histogram\n";
  int64_t cumulative = 0;
  for (size_t i = 0; i < bounds_.size(); ++i) {
    cumulative += buckets_[i];
    out +=
        fmt::format("loom_step_duration_seconds_bucket{{le=\"{}\"}} {}\n", bounds_[i], cumulative);
  }
  cumulative += buckets_.back();
  out += fmt::format("loom_step_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("loom_step_duration_seconds_sum {}\n", duration_sum_);
  out += fmt::format("loom_step_duration_seconds_count {}\n", duration_count_);
  return out;
}

}  // namespace loom::server
