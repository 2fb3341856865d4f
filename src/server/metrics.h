// The server's Prometheus metrics: workflows by phase, steps started and
// finished, the queue of steps waiting for capacity, and how long steps ran.
// The controller's loop updates them; /metrics renders them.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace loom::server {

class Metrics {
 public:
  Metrics();

  // A workflow entered `phase` (and left `from`, unless it is "": a new one).
  void WorkflowMoved(const std::string& from, const std::string& phase);
  void WorkflowRemoved(const std::string& phase);
  void StepStarted();
  void StepFinished(const std::string& phase, double seconds);
  void SetQueueDepth(size_t depth);

  // The Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, int64_t> workflows_;  // phase -> count
  int64_t steps_started_ = 0;
  std::map<std::string, int64_t> steps_finished_;  // phase -> count
  size_t queue_depth_ = 0;
  std::vector<double> bounds_;    // histogram bucket upper bounds, seconds
  std::vector<int64_t> buckets_;  // per bound (not cumulative), then +Inf
  double duration_sum_ = 0;
  int64_t duration_count_ = 0;
};

}  // namespace loom::server
