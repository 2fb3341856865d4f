// `loom run`: load and validate, then drive engine -> scheduler -> executor
// until the workflow is done, feeding step events back to the engine.
#include "cli/run_command.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <iostream>
#include <random>

#include "base/loom_home.h"
#include "cli/progress.h"
#include "cli/run_recorder.h"
#include "cli/summary.h"
#include "cli/template_client.h"
#include "cli/yaml_output.h"
#include "engine/engine.h"
#include "engine/names.h"
#include "engine/status_json.h"
#include "executor/local_executor.h"
#include "executor/slurm_executor.h"
#include "scheduler/locks.h"
#include "scheduler/scheduler.h"
#include "server/workflow_template.h"

namespace loom::cli {

namespace {

std::atomic<int> interrupts{0};

void OnInterrupt(int) { interrupts.fetch_add(1); }

void InstallSignalHandlers() {
  struct sigaction action {};
  action.sa_handler = OnInterrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

int ExitCode(engine::WorkflowPhase phase) {
  return phase == engine::WorkflowPhase::kSucceeded ? 0 : 1;
}

std::string WorkflowName(const RunOptions& options, const spec::Workflow& workflow) {
  if (!options.name.empty()) return options.name;
  if (!workflow.metadata.name.empty()) return workflow.metadata.name;
  std::random_device device;
  std::mt19937_64 random(device());
  std::string prefix =
      workflow.metadata.generate_name.empty() ? "workflow-" : workflow.metadata.generate_name;
  return engine::GenerateName(prefix, random);
}

}  // namespace

int RunCommand(const RunOptions& options) {
  const std::string namespace_ = options.namespace_.empty() ? "default" : options.namespace_;
  const std::string store_url = options.db.empty() ? DefaultStoreUrl() : options.db;
  LoadRequest load = options.load;
  if (!load.templates.find) {
    load.templates = TemplateLookupFor(ClientOptions{.db = store_url, .namespace_ = namespace_});
  }
  spec::Diagnostics diagnostics;
  auto loaded = LoadWorkflow(load, &diagnostics);
  if (!loaded.ok()) {
    for (const auto& d : diagnostics) std::cerr << d.ToString() << "\n";
    if (diagnostics.empty()) std::cerr << "loom: " << loaded.error() << "\n";
    return 2;
  }
  if (options.executor == "slurm" && (!options.max_cpu.empty() || !options.max_memory.empty())) {
    std::cerr << "loom: --max-cpu and --max-memory limit this machine; with --executor slurm, "
                 "Slurm decides what runs where (use --parallelism to bound the jobs queued)\n";
    return 2;
  }
  auto capacity =
      options.executor == "slurm"
          ? scheduler::HandedOnCapacity(options.parallelism)
          : scheduler::CapacityFromFlags(options.max_cpu, options.max_memory, options.parallelism);
  if (!capacity.ok()) {
    std::cerr << "loom: " << capacity.error() << "\n";
    return 2;
  }
  auto sync_config = spec::LoadSyncConfig(options.sync_config, DefaultSyncConfigPath());
  if (!sync_config.ok()) {
    std::cerr << sync_config.error() << "\n";
    return 2;
  }
  const spec::Workflow& workflow = loaded->workflow();
  std::string name = WorkflowName(options, workflow);
  RunPaths paths = PrepareRunPaths(name);
  std::shared_ptr<engine::Replay> replay = options.replay;
  std::optional<RunPaths> earlier_files;  // memoized: the other run's folders
  if (options.memoized_from) {
    const RunOptions::EarlierWorkflow& from = *options.memoized_from;
    earlier_files = RunPathsAt(from.run_dir);
    std::map<std::string, std::string> old_ids;
    auto nodes = engine::RenameRun(from.nodes, from.name, earlier_files->artifacts_dir, name,
                                   paths.artifacts_dir, &old_ids);
    replay = std::make_shared<engine::Replay>(std::move(nodes), std::nullopt, std::move(old_ids));
  }

  executor::Isolation isolation = options.isolation == "none"      ? executor::Isolation::kNone
                                  : options.isolation == "overlay" ? executor::Isolation::kOverlay
                                                                   : executor::Isolation::kAuto;
  ProgressReporter progress(std::cerr, options.output.empty() || options.output == "wide");
  std::unique_ptr<executor::Executor> executor;
  std::function<std::string(const std::string&)> log_path;
  if (options.executor == "slurm") {
    executor::SlurmExecutorOptions slurm;
    slurm.supervisor = {SelfPath(), "__supervise"};
    slurm.isolation = isolation;
    slurm.work_dir = paths.steps_dir;
    slurm.sbatch_options = options.slurm_options;
    auto on_slurm = std::make_unique<executor::SlurmExecutor>(std::move(slurm));
    log_path = [e = on_slurm.get()](const std::string& id) { return e->LogPath(id); };
    executor = std::move(on_slurm);
  } else {
    executor::LocalExecutorOptions local;
    local.work_dir = paths.steps_dir;
    local.isolation = isolation;
    if (options.log) {
      local.on_log_line = [&](const std::string& node, const std::string& line, bool) {
        progress.LogLine(node, line);
      };
    }
    auto on_host = std::make_unique<executor::LocalExecutor>(std::move(local));
    log_path = [e = on_host.get()](const std::string& id) { return e->LogPath(id); };
    executor = std::move(on_host);
  }
  scheduler::Scheduler scheduler(*capacity, *executor);
  // One workflow: its workflow-level locks are free, its template-level ones
  // limit its own steps.
  scheduler::LockTable locks(scheduler::LimitsFrom(std::move(*sync_config)));

  engine::EngineOptions engine_options;
  engine_options.name = name;
  engine_options.namespace_ = namespace_;
  engine_options.parameters = loaded->parameters;
  engine_options.entrypoint = options.load.entrypoint;
  engine_options.artifact_dir = paths.artifacts_dir;
  engine_options.argosay_script = ReadBesideExecutable("argosay");
  engine_options.library = &loaded->documents;
  engine_options.locks = &locks;
  engine::Engine engine(workflow, engine_options);

  InstallSignalHandlers();
  int handled_interrupts = 0;
  engine.Start();
  RunRecorder recorder(store_url, loaded->document_json, loaded->stored_template_spec,
                       engine.status(), paths.run_dir, std::cerr);
  std::vector<executor::StepResult> immediate;
  while (true) {
    for (auto granted = locks.TakeGranted(); !granted.empty(); granted = locks.TakeGranted()) {
      for (const scheduler::Holder& holder : granted) engine.LockGranted(holder.node);
    }
    for (engine::Command& command : engine.TakeCommands()) {
      std::optional<executor::StepResult> now;
      if (command.type == engine::Command::Type::kStart && replay) {
        auto node = engine.status().nodes.find(command.request.id);
        std::optional<executor::StepResult> reused;
        if (node != engine.status().nodes.end()) {
          reused = replay->Reuse(command.request, node->second);
        }
        if (reused && earlier_files) {
          LinkStepFiles(*earlier_files, replay->EarlierId(reused->id), paths, reused->id);
        }
        if (reused) {
          engine.StepStarted(reused->id, reused->started_at, log_path(reused->id));
          immediate.push_back(std::move(*reused));
          continue;
        }
      }
      if (command.type == engine::Command::Type::kStart) {
        now = scheduler.Submit(std::move(command.request));
      } else {
        now = scheduler.Kill(command.id);
      }
      if (now) immediate.push_back(std::move(*now));
    }
    for (const auto& [id, at] : scheduler.TakeStarted()) {
      engine.StepStarted(id, at, log_path(id));
    }
    for (const executor::StepNote& note : scheduler.TakeNotes()) {
      engine.StepNoted(note.id, note.message);
    }
    if (!immediate.empty()) {
      std::vector<executor::StepResult> results;
      results.swap(immediate);
      for (const auto& r : results) engine.StepFinished(r);
      continue;
    }
    std::vector<std::string> changed = engine.TakeChangedNodes();
    recorder.Update(engine.status(), changed);
    progress.Update(engine.status(), changed);
    if (engine.Done()) break;
    int seen = interrupts.load();
    if (seen > handled_interrupts) {
      handled_interrupts = seen;
      if (seen == 1) {
        progress.Print(
            "\nloom: stopping (running steps are killed, exit handlers run; "
            "Ctrl-C again to terminate)\n");
        engine.Stop();
      } else {
        engine.Terminate();
      }
      continue;
    }
    auto timeout = std::chrono::milliseconds(200);
    if (auto wake = engine.NextWakeup()) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(
          *wake - std::chrono::system_clock::now());
      timeout = std::clamp(until, std::chrono::milliseconds(0), timeout);
    }
    for (const auto& r : scheduler.Wait(timeout)) {
      engine.StepFinished(r);
      auto node = engine.status().nodes.find(r.id);
      if (replay && node != engine.status().nodes.end()) {
        replay->RanAgain(node->second);
      }
    }
    engine.Tick();
  }
  recorder.Update(engine.status(), engine.TakeChangedNodes());
  recorder.Finish(engine.status());
  progress.Finish(engine.status());
  if (replay) {
    std::cerr << "loom: reused " << replay->reused() << " successful step(s) of the earlier run\n";
  }

  const engine::WorkflowStatus& status = engine.status();
  if (options.output == "json" || options.output == "yaml") {
    // Built only when printed: a fleet's whole document as Json is about
    // 5 KiB a node, more than the engine's own state of it.
    Json final_workflow = engine::WorkflowToJson(loaded->document_json, status);
    if (!loaded->stored_template_spec.is_null()) {
      final_workflow["status"][server::kStoredTemplateSpecField] = loaded->stored_template_spec;
    }
    std::cout << (options.output == "json" ? final_workflow.dump(2) + "\n"
                                           : JsonToYaml(final_workflow));
  } else if (options.output == "name") {
    std::cout << status.name << "\n";
  } else {
    PrintSummary(std::cout, status, isatty(STDOUT_FILENO));
  }
  return ExitCode(status.phase);
}

}  // namespace loom::cli
