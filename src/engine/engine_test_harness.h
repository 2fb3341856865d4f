// The test harness shared by the engine's tests: it drives an Engine without
// processes. A scripted executor decides each step's exit code and outputs from
// its command line, and a fake clock makes timers (retry backoff, suspend,
// deadlines) instant and deterministic. A step whose command mentions "hang"
// runs until the engine kills it, so deadlines and stops can be observed.
// Given a lock table, the harness hands the table's admissions to the engines
// sharing it, as the run loop does.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <memory>

#include "engine/engine.h"
#include "spec/parser.h"

namespace loom::engine {

using executor::StepRequest;
using executor::StepResult;
using std::chrono::seconds;

class Harness {
 public:
  explicit Harness(const std::string& yaml, std::map<std::string, std::string> parameters = {})
      : Harness(yaml, nullptr, "wf", std::move(parameters)) {}

  // A run named `name` whose locks are in `locks` (shared with other harnesses).
  Harness(const std::string& yaml, scheduler::LockTable* locks, const std::string& name,
          std::map<std::string, std::string> parameters = {})
      : locks_(locks) {
    auto parsed = spec::ParseText(yaml, "test.yaml");
    EXPECT_TRUE(parsed.ok()) << (parsed.diagnostics.empty() ? ""
                                                            : parsed.diagnostics[0].ToString());
    documents_ = std::move(parsed.documents);
    EngineOptions options;
    options.name = name;
    options.parameters = std::move(parameters);
    options.artifact_dir = "/artifacts";
    options.clock = [this] { return now_; };
    options.locks = locks;
    engine_ = std::make_unique<Engine>(documents_.at(0), options);
  }

  // Hands the lock table's admissions to the engines they belong to (and
  // those their admissions cause, in turn).
  static void Grant(scheduler::LockTable& table, const std::vector<Harness*>& runs) {
    for (auto granted = table.TakeGranted(); !granted.empty(); granted = table.TakeGranted()) {
      for (const scheduler::Holder& holder : granted) {
        for (Harness* run : runs) {
          if (holder.workflow == "default/" + run->status().name) {
            run->engine().LockGranted(holder.node);
          }
        }
      }
    }
  }

  // Decides a step's result. Default: exit code from "exit N" in the command,
  // stdout = the last argument.
  std::function<void(const StepRequest&, StepResult&)> behave = [](const StepRequest& r,
                                                                   StepResult& result) {
    std::string joined;
    for (const std::string& c : r.command) joined += c + " ";
    auto pos = joined.find("exit ");
    result.exit_code = pos == std::string::npos ? 0 : std::atoi(joined.c_str() + pos + 5);
    result.stdout_text = r.command.back() + "\n";
  };

  // Runs to completion. Steps finish one at a time in FIFO order, each taking
  // one second; a step whose command mentions "hang" runs until killed.
  void Run() {
    engine_->Start();
    Continue();
  }

  // Run() after Start(): until the run is done or nothing is left to do.
  void Continue() {
    for (int guard = 0; guard < 100000 && !engine_->Done(); ++guard) {
      if (locks_) Grant(*locks_, {this});
      TakeCommands();
      if (!running_.empty()) {
        StepRequest r = std::move(running_.front());
        running_.pop_front();
        now_ += seconds(1);
        StepResult result;
        result.id = r.id;
        result.started = true;
        result.started_at = now_;
        result.finished_at = now_;
        for (const auto& p : r.output_parameters) result.parameters[p.name] = outputs[p.path];
        for (const auto& a : r.output_artifacts) result.artifacts[a.name] = true;
        behave(r, result);
        engine_->StepFinished(result);
        continue;
      }
      auto wake = engine_->NextWakeup();
      if (!wake) break;
      now_ = std::max(now_, *wake);
      engine_->Tick();
    }
  }

  // Hands out pending commands: starts go to the running queue (or the hanging
  // set), kills end the step at once with the executor's "killed" report.
  void TakeCommands() {
    for (Command& c : engine_->TakeCommands()) {
      if (c.type == Command::Type::kStart) {
        engine_->StepStarted(c.request.id, now_);
        started.push_back(c.request);
        start_times[c.request.name] = now_;
        bool hang = false;
        for (const std::string& s : c.request.command) hang = hang || s.find("hang") != s.npos;
        if (hang) {
          hanging_.push_back(c.request.id);
        } else {
          running_.push_back(std::move(c.request));
        }
        max_running = std::max(max_running, running_.size() + hanging_.size());
      } else {
        killed.push_back(c.id);
        auto it = std::find(hanging_.begin(), hanging_.end(), c.id);
        if (it != hanging_.end()) hanging_.erase(it);
        auto r = std::find_if(running_.begin(), running_.end(),
                              [&](const StepRequest& q) { return q.id == c.id; });
        if (r != running_.end()) running_.erase(r);
        StepResult result;
        result.id = c.id;
        result.started = true;
        result.killed = true;
        result.exit_code = 137;
        result.started_at = result.finished_at = now_;
        engine_->StepFinished(result);
      }
    }
  }

  const WorkflowStatus& status() const { return engine_->status(); }
  Engine& engine() { return *engine_; }
  TimePoint now() const { return now_; }
  void Advance(seconds s) { now_ += s; }

  std::vector<const Node*> Named(const std::string& display) const {
    std::vector<const Node*> out;
    for (const auto& [id, n] : status().nodes) {
      if (n.display_name == display) out.push_back(&n);
    }
    return out;
  }
  const Node& One(const std::string& display) const {
    auto nodes = Named(display);
    EXPECT_EQ(nodes.size(), 1u) << display;
    static Node missing;
    return nodes.empty() ? missing : *nodes.front();
  }
  const Node& ById(const std::string& id) const {
    static Node missing;
    auto it = status().nodes.find(id);
    EXPECT_NE(it, status().nodes.end()) << id;
    return it == status().nodes.end() ? missing : it->second;
  }
  int CountType(NodeType type) const {
    int n = 0;
    for (const auto& [id, node] : status().nodes) n += node.type == type;
    return n;
  }
  // Every node as "display phase: message", for failure messages.
  std::string Dump() const {
    std::string out;
    for (const auto& [id, n] : status().nodes) {
      out += n.display_name + " " + NodePhaseName(n.phase) + ": " + n.message + "\n";
    }
    return out;
  }
  // The display names of a node's children, in order.
  std::vector<std::string> ChildNames(const Node& node) const {
    std::vector<std::string> out;
    for (const std::string& id : node.children) out.push_back(ById(id).display_name);
    return out;
  }
  std::vector<std::string> OutboundNames(const Node& node) const {
    std::vector<std::string> out;
    for (const std::string& id : node.outbound_nodes) out.push_back(ById(id).display_name);
    return out;
  }
  // The last argument of the started step with this node name.
  std::string LastArgOf(const std::string& node_name) const {
    for (const StepRequest& r : started) {
      if (r.name == node_name) return r.command.back();
    }
    ADD_FAILURE() << "no step " << node_name;
    return "";
  }
  // Seconds from the start of the run to the start of step `node_name`.
  int64_t StartedAfter(const std::string& node_name) const {
    auto it = start_times.find(node_name);
    if (it == start_times.end()) return -1;
    return std::chrono::duration_cast<seconds>(it->second - origin_).count();
  }

  std::map<std::string, std::optional<std::string>> outputs;  // path -> file content
  std::vector<StepRequest> started;
  std::map<std::string, TimePoint> start_times;  // node name -> when the step started
  std::vector<std::string> killed;
  size_t max_running = 0;

 private:
  scheduler::LockTable* locks_ = nullptr;
  std::vector<spec::Workflow> documents_;
  std::unique_ptr<Engine> engine_;
  const TimePoint origin_ = std::chrono::system_clock::from_time_t(1700000000);
  TimePoint now_ = origin_;
  std::deque<StepRequest> running_;
  std::vector<std::string> hanging_;
};

}  // namespace loom::engine
