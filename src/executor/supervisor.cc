// Supervise(): one step through a LocalExecutor, then its result to disk.
#include "executor/supervisor.h"

#include <signal.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <set>
#include <string_view>

#include "executor/local_executor.h"
#include "executor/step_record.h"

extern char** environ;

namespace loom::executor {

namespace {

std::atomic<bool> terminated{false};

// Under Slurm, what the job was given (SLURM_JOB_ID, SLURMD_NODENAME, the
// GPUs of --gres as CUDA_VISIBLE_DEVICES, ...) is the step's to see, as a
// Pod sees its devices; the step's own variables win.
void AddJobEnvironment(StepRequest& request) {
  if (std::getenv("SLURM_JOB_ID") == nullptr) return;
  std::set<std::string> own;
  for (const auto& [name, value] : request.env) own.insert(name);
  for (char** entry = environ; *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    std::string name(text.substr(0, equals));
    bool job = name.rfind("SLURM_", 0) == 0 || name.rfind("SLURMD_", 0) == 0 ||
               name == "CUDA_VISIBLE_DEVICES" || name == "ROCR_VISIBLE_DEVICES" ||
               name == "GPU_DEVICE_ORDINAL";
    if (job && !own.count(name))
      request.env.emplace_back(name, std::string(text.substr(equals + 1)));
  }
}
LocalExecutor* running_executor = nullptr;  // for the signal handler's Wake()

void OnTerminate(int) {
  terminated = true;
  if (running_executor) running_executor->Wake();  // a write to an eventfd: signal-safe
}

}  // namespace

int Supervise(const std::string& step_dir) {
  auto record = ReadStepRecord(step_dir);
  if (!record.ok()) {
    std::cerr << "loom __supervise: " << record.error() << "\n";
    return 1;
  }
  AddJobEnvironment(record->request);
  std::string id = record->request.id;
  std::string run_dir = step_dir + "/.run";  // the step's scratch folders, gone when it ends
  int code = 0;
  {
    LocalExecutor executor(LocalExecutorOptions{run_dir, record->isolation, nullptr});
    running_executor = &executor;
    // The starter blocked SIGTERM so that none is lost before this handler exists.
    struct sigaction action {};
    action.sa_handler = OnTerminate;
    sigaction(SIGTERM, &action, nullptr);
    signal(SIGPIPE, SIG_IGN);
    sigset_t term;
    sigemptyset(&term);
    sigaddset(&term, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &term, nullptr);

    executor.Start(std::move(record->request));
    std::vector<StepResult> results;
    bool killed = false;
    while (results.empty()) {
      if (terminated && !killed) {
        executor.Kill(id);
        killed = true;
      }
      results = executor.Wait(std::chrono::seconds(1));
    }
    Status written = WriteStepResult(step_dir, results.front());
    if (!written.ok()) {
      std::cerr << "loom __supervise: " << written.message() << "\n";
      code = 1;
    }
    running_executor = nullptr;
  }
  std::error_code ignored;
  std::filesystem::remove_all(run_dir, ignored);
  return code;
}

}  // namespace loom::executor
