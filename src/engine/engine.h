// The engine: the state machine of one workflow run, with Argo's semantics.
//
// It is pure logic: no processes, files or real time. Events go in (a step
// started or ended, time passed, the user asked to stop); commands come out
// (start this fully resolved step, kill that one). The caller (the run loop)
// carries commands to the scheduler and executor and feeds their events back.
// Work per event is proportional to what the event touches: finishing one step
// of a 100,000-node workflow costs what it costs in a 10-node one.
//
// Thread safety: none; one thread drives an Engine.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/node.h"
#include "executor/step.h"
#include "scheduler/locks.h"
#include "spec/workflow.h"

namespace loom::engine {

class WorkflowRun;

struct EngineOptions {
  std::string name;  // the workflow's name (metadata.name, or generated)
  std::string namespace_ = "default";
  std::map<std::string, std::string> parameters;  // -p NAME=VALUE, override spec.arguments
  std::string entrypoint;                         // overrides spec.entrypoint when set
  std::string artifact_dir;                       // host folder where output artifacts are stored
  // The source of a stand-in for the entrypoint of Argo's test image
  // argoproj/argosay: placed at /argosay in that image's steps, and run by
  // those that have no command. Empty: such steps have no entrypoint.
  std::string argosay_script;
  // Other documents whose templates templateRef may name (WorkflowTemplates).
  const std::vector<spec::Workflow>* library = nullptr;
  int max_depth = 100;               // nested template invocations, as Argo's maxStackDepth
  std::function<TimePoint()> clock;  // defaults to the system clock
  // The lock table (synchronization) shared by the workflows of this
  // process; the caller hands its admissions to LockGranted(). nullptr: a
  // table of this run's own, in which mutexes work and semaphores have no limit.
  scheduler::LockTable* locks = nullptr;
  // When the workflow was created: orders it among lock waiters of equal
  // priority. Default: when Start() is called.
  std::optional<TimePoint> created;
};

// Something the engine asks the outside world to do.
struct Command {
  enum class Type { kStart, kKill };
  Type type = Type::kStart;
  executor::StepRequest request;  // kStart: a fully resolved step
  std::string id;                 // kKill: the step's node id
};

class Engine {
 public:
  // `workflow` must outlive the engine and should have passed validation.
  Engine(const spec::Workflow& workflow, EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Begins the run: resolves arguments and invokes the entrypoint.
  void Start();

  // The commands produced since the last call, in order.
  std::vector<Command> TakeCommands();

  // A step's process began (it was admitted and spawned); its output goes to `log_path`.
  void StepStarted(const std::string& id, TimePoint at, const std::string& log_path = "");
  // What a started step waits for (executor::StepNote): its node's message
  // until it ends. Ignored once the node has a final phase.
  void StepNoted(const std::string& id, const std::string& message);
  // A step ended; outputs and exit status are in `result`.
  void StepFinished(const executor::StepResult& result);

  // Fires timers that are due (retry backoff, suspend, deadlines).
  void Tick();
  // When Tick() next has something to do, if ever.
  std::optional<TimePoint> NextWakeup() const;

  // Like `argo stop`: running steps are killed, nothing new starts, exit handlers run.
  void Stop();
  // Like `argo terminate`: as Stop, but exit handlers do not run.
  void Terminate();
  // Like `argo resume`: suspended nodes continue.
  void Resume();

  // The lock table admitted this workflow's holder `node_id` ("" = the
  // workflow itself): the node (or workflow) waiting for its locks goes on.
  void LockGranted(const std::string& node_id);

  // True once the workflow has a final phase and nothing is left running.
  bool Done() const;

  const WorkflowStatus& status() const;

  // Ids of nodes created or changed since the last call (for views and stores).
  std::vector<std::string> TakeChangedNodes();

 private:
  std::unique_ptr<WorkflowRun> run_;
};

}  // namespace loom::engine
