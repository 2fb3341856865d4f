// Engine: the public face of WorkflowRun.
#include "engine/engine.h"

#include "engine/workflow_run.h"

namespace loom::engine {

Engine::Engine(const spec::Workflow& workflow, EngineOptions options)
    : run_(std::make_unique<WorkflowRun>(workflow, std::move(options))) {}
Engine::~Engine() = default;

void Engine::Start() { run_->Start(); }
std::vector<Command> Engine::TakeCommands() { return run_->TakeCommands(); }
void Engine::StepStarted(const std::string& id, TimePoint at, const std::string& log_path) {
  run_->StepStarted(id, at, log_path);
}
void Engine::StepNoted(const std::string& id, const std::string& message) {
  run_->StepNoted(id, message);
}
void Engine::StepFinished(const executor::StepResult& result) { run_->StepFinished(result); }
void Engine::Tick() { run_->Tick(); }
std::optional<TimePoint> Engine::NextWakeup() const { return run_->NextWakeup(); }
void Engine::Stop() { run_->RequestShutdown(Shutdown::kStop); }
void Engine::Terminate() { run_->RequestShutdown(Shutdown::kTerminate); }
void Engine::Resume() { run_->Resume(); }
void Engine::LockGranted(const std::string& node_id) { run_->LockGranted(node_id); }
bool Engine::Done() const { return run_->Done(); }
const WorkflowStatus& Engine::status() const { return run_->status(); }
std::vector<std::string> Engine::TakeChangedNodes() { return run_->TakeChangedNodes(); }

}  // namespace loom::engine
