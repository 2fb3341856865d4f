// The controller: runs every submitted workflow at once on this machine, in
// one loop thread that drives each workflow's engine, one scheduler shared
// by all of them (server-wide capacity and --parallelism) and one local
// executor, and writes every change to the store. Reads (get, list, logs,
// watch) go to the store directly; changes go through the controller.
//
// With ControllerOptions::supervisor set (`loom server`), each step runs
// under a supervisor process that outlives the server (SupervisedExecutor),
// and Start() continues the workflows a previous server left unfinished:
// their Succeeded steps are reused, steps still running (or ended while no
// server watched) are adopted, the rest run. Without it (in-process tests)
// steps are children of the server and die with it.
//
// Step ids given to the executor are "<workflow uid>.<node id>", unique
// across workflows; results are mapped back to the workflow and node before
// they reach its engine. Each step's log is <run dir>/steps/<node id>/log.
//
// Thread safety: the public methods may be called from any thread; they hand
// their work to the loop thread and wait for its answer.
#pragma once

#include <atomic>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "base/json.h"
#include "base/result.h"
#include "executor/executor.h"
#include "executor/local_executor.h"
#include "scheduler/locks.h"
#include "scheduler/scheduler.h"
#include "server/active_workflow.h"
#include "server/api_result.h"
#include "server/metrics.h"
#include "server/step_dispatcher.h"
#include "store/store.h"

namespace loom::server {

struct ControllerOptions {
  scheduler::Capacity capacity;
  executor::Isolation isolation = executor::Isolation::kAuto;
  std::string work_dir;  // the executor's scratch folders
  // The supervisor command (`loom __supervise`), to which a step's folder is
  // appended; empty: steps are children of this process (LocalExecutor).
  std::vector<std::string> supervisor;
  // Semaphore limits; mutexes need none. The lock table is server-wide: a
  // lock keeps apart the workflows (and templates) of every workflow here.
  spec::SyncConfig sync_config;
};

enum class Action { kStop, kTerminate, kSuspend, kResume };

// Argo's RetryWorkflowRequest.
struct RetryRequest {
  bool restart_successful = false;      // also rerun Succeeded steps node_field_selector selects
  std::string node_field_selector;      // engine::NodeFieldSelector syntax
  std::vector<std::string> parameters;  // NAME=VALUE: new values of spec.arguments.parameters
};

// Argo's ResubmitWorkflowRequest.
struct ResubmitRequest {
  bool memoized = false;                // reuse the Succeeded steps whose inputs did not change
  std::vector<std::string> parameters;  // NAME=VALUE: new values of spec.arguments.parameters
};

class Controller {
 public:
  Controller(store::Store& store, Metrics& metrics, ControllerOptions options);
  ~Controller();  // Stop()
  Controller(const Controller&) = delete;
  Controller& operator=(const Controller&) = delete;

  // Counts the stored workflows, takes up those a previous server left
  // unfinished (continues them; marks those it cannot read any more Error),
  // and starts the loop thread.
  Status Start();
  // Ends the loop. Running workflows stay Running in the store; supervised
  // steps go on and the next Start adopts them, other steps are killed.
  void Stop();

  // Validates, names and stores a workflow, then runs it. Returns the
  // created Workflow object. `dry_run`: only validates and names it.
  ApiResult<Json> Submit(const std::string& namespace_, Json workflow, bool dry_run);
  // stop, terminate, suspend, resume; returns the Workflow after it.
  ApiResult<Json> Act(const std::string& namespace_, const std::string& name, Action action);
  // A new workflow from the stored document of `name`; returns the new one.
  // Memoized (only of a Failed or Error workflow, as in Argo): the new run
  // reuses the old one's Succeeded steps whose inputs did not change.
  ApiResult<Json> Resubmit(const std::string& namespace_, const std::string& name,
                           const ResubmitRequest& request = {});
  // Reruns a Failed or Error workflow under its name: Succeeded steps whose
  // inputs did not change are reused, the rest run again. Its record is
  // replaced by the new run's (a new uid). 409 if it has not finished.
  ApiResult<Json> Retry(const std::string& namespace_, const std::string& name,
                        RetryRequest request);
  // Terminates the workflow if it runs, then removes it and its run folder.
  ApiResult<Json> Delete(const std::string& namespace_, const std::string& name);

  // Called on the loop thread with the header of each workflow that ends
  // (the cron loop counts its runs); set before Start().
  void SetOnFinished(std::function<void(const store::WorkflowHeader&)> callback) {
    on_finished_ = std::move(callback);
  }

 private:
  using Reply = std::shared_ptr<std::promise<ApiResult<Json>>>;

  // Runs `task` on the loop thread and waits for the reply it sets.
  ApiResult<Json> Ask(std::function<void(const Reply&)> task);
  void Post(std::function<void()> task);

  // Submit; `memoized_from`: an earlier run whose steps this one may reuse.
  ApiResult<Json> Submit(const std::string& namespace_, Json workflow, bool dry_run,
                         const store::StoredWorkflow* memoized_from);

  void Loop();
  void RunTasks();
  // Carries engine commands to the dispatcher and scheduler, and step starts
  // and immediate results back; true if results were delivered.
  bool Pump();
  // Hands the lock table's admissions to their workflows' engines; true if any.
  bool RouteGrants();
  // Crash safety: before a step starts, the store shows every lock its
  // holder took, so a restarted server takes them again before any waiter.
  void PersistLocks();
  // `ran`: it ran in this run (not a reused result of an earlier one).
  void Deliver(executor::StepResult result, bool ran = true);
  void PersistAll();
  void Finish(const std::string& uid);
  std::chrono::milliseconds WaitTimeout() const;

  // Loop-thread halves of the public methods.
  void Adopt(std::unique_ptr<ActiveWorkflow> workflow);
  void DoAct(const std::string& namespace_, const std::string& name, Action action,
             const Reply& reply);
  void DoRetry(const std::string& namespace_, const std::string& name, const RetryRequest& request,
               const Reply& reply);
  void DoDelete(const std::string& namespace_, const std::string& name, const Reply& reply);
  ActiveWorkflow* FindActive(const std::string& namespace_, const std::string& name);
  std::string NewName(const std::string& prefix);

  store::Store& store_;
  Metrics& metrics_;
  ControllerOptions options_;
  std::unique_ptr<executor::Executor> executor_;
  scheduler::Scheduler scheduler_;
  StepDispatcher dispatcher_;
  scheduler::LockTable locks_;  // before active_: their engines use it
  uint64_t persisted_acquisitions_ = 0;

  // Loop thread only.
  std::map<std::string, std::unique_ptr<ActiveWorkflow>> active_;  // by uid
  std::map<std::string, std::string> by_name_;                     // "<ns>/<name>" -> uid
  std::map<std::string, std::string> step_owner_;                  // executor step id -> uid
  std::vector<executor::StepResult> immediate_;
  std::function<void(const store::WorkflowHeader&)> on_finished_;

  std::mutex mutex_;  // guards tasks_, stopped_ and random_
  std::vector<std::function<void()>> tasks_;
  bool stopped_ = true;
  std::mt19937_64 random_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace loom::server
