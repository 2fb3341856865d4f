// LocalExecutor: prepares each step's view (scratch folders, overlay, input
// artifacts), spawns it, and runs the poll loop over every running step's
// pidfd and output pipes plus a wake eventfd; a step that exits is reaped,
// its outputs collected and its scratch folders emptied for reuse (the log
// stays).
#include "executor/local_executor.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "executor/artifacts.h"
#include "executor/sandbox.h"
#include "executor/step_env.h"
#include "executor/step_output.h"
#include "executor/step_view.h"

namespace loom::executor {

namespace fs = std::filesystem;

namespace {

constexpr char kDeadlineMessage[] = "Pod was active on the node longer than the specified deadline";
constexpr char kScriptPath[] = "/argo/staging/script";  // where Argo puts a script's source

Status MakeDirs(const std::string& path) {
  std::error_code error;
  fs::create_directories(path, error);
  return error ? Status::Error("mkdir " + path + ": " + error.message()) : Status::Ok();
}

std::string Normalize(const std::string& path) { return StepView::Host("/").Absolute(path); }

bool AtOrBelow(const std::string& path, const std::string& dir) {
  return path == dir || path.rfind(dir + "/", 0) == 0;
}

int CeilMillis(std::chrono::nanoseconds d) {
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(d).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 0, 1 << 30));
}

}  // namespace

struct LocalExecutor::Step {
  StepRequest request;
  StepResult result;
  std::unique_ptr<StepOutput> output;
  std::optional<Scratch> scratch;
  std::optional<Overlay> overlay;
  StepView view = StepView::Host("/");
  std::optional<Process> process;
};

LocalExecutor::LocalExecutor(LocalExecutorOptions options)
    : options_(std::move(options)),
      view_root_(options_.work_dir + "/.view"),
      scratch_(options_.work_dir + "/.scratch"),
      wake_fd_(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) {}

LocalExecutor::~LocalExecutor() {
  steps_.clear();  // each Process kills and reaps its tree
  if (wake_fd_ >= 0) close(wake_fd_);
}

std::string LocalExecutor::LogPath(const std::string& id) const {
  return options_.work_dir + "/" + id + "/log";
}

void LocalExecutor::Start(StepRequest request) {
  auto step = std::make_unique<Step>();
  step->result.id = request.id;
  step->result.started_at = Clock::now();
  step->request = std::move(request);
  Status launched = Launch(step.get());
  if (!launched.ok()) {
    step->result.message = launched.message();
    step->result.finished_at = Clock::now();
    if (step->output) step->output->Finish();
    Clean(step.get());
    finished_.push_back(std::move(step->result));
    return;
  }
  std::string id = step->request.id;
  steps_[id] = std::move(step);
}

Status LocalExecutor::Launch(Step* step) {
  const StepRequest& request = step->request;
  if (request.command.empty()) return Status::Error("the step has no command");
  StepOutput::LineCallback on_line;
  if (options_.on_log_line) {
    on_line = [this, name = request.name](const std::string& line, bool is_stderr) {
      options_.on_log_line(name, line, is_stderr);
    };
  }
  std::string log = request.log_path.empty() ? LogPath(request.id) : request.log_path;
  auto output = StepOutput::Open(log, std::move(on_line));
  if (!output.ok()) return output.status();
  step->output = std::move(*output);

  SpawnSpec spec;
  spec.argv = request.command;
  spec.env = StepEnvironment(request);
  Status s;
  if (Isolated()) {
    s = PrepareIsolated(step, &spec);
  } else if (options_.isolation == Isolation::kOverlay) {
    s = Status::Error("step isolation unavailable (" + isolation_->message() + ")");
  } else {
    s = PrepareHost(step, &spec);
  }
  if (s.ok()) s = PlaceInputs(step->view, request.input_artifacts);
  if (s.ok() && request.script) {
    std::string path = step->view.isolated() ? kScriptPath : step->scratch->dir + "/script";
    std::string host = step->view.HostPath(path);
    s = MakeDirs(fs::path(host).parent_path().string());
    std::ofstream(host, std::ios::binary | std::ios::trunc) << *request.script;
    if (s.ok() && chmod(host.c_str(), 0755) != 0) s = Status::Error("cannot write the script file");
    spec.argv.push_back(path);
  }
  if (!s.ok()) return s;
  spec.programs = ProgramCandidates(spec.argv[0], spec.env);
  spec.stdout_fd = step->output->child_fd(false);
  spec.stderr_fd = step->output->child_fd(true);
  auto spawned = spawner_.Spawn(spec);
  step->output->CloseChildEnds();
  if (auto* error = std::get_if<SpawnError>(&spawned)) {
    return Status::Error(error->isolation ? "step isolation: " + error->message : error->message);
  }
  step->process.emplace(std::move(std::get<Process>(spawned)));
  step->result.started_at = Clock::now();
  return Status::Ok();
}

Status LocalExecutor::PrepareIsolated(Step* step, SpawnSpec* spec) {
  const StepRequest& request = step->request;
  auto scratch = scratch_.Take();
  if (!scratch.ok()) return scratch.status();
  step->scratch.emplace(std::move(*scratch));
  auto overlay = Overlay::Create(step->scratch->root, step->scratch->work);
  if (!overlay.ok()) return Status::Error("step isolation: " + overlay.error());
  step->overlay.emplace(std::move(*overlay));

  std::vector<ViewMount> mounts;
  for (const std::string& m : host_mounts_) {
    if (!AtOrBelow(m, "/tmp")) mounts.push_back({m, m});
  }
  size_t host_count = mounts.size();
  mounts.push_back({"/tmp", step->scratch->tmp});
  std::vector<ViewMount> empty_dirs;
  for (size_t i = 0; i < request.empty_dirs.size(); ++i) {
    empty_dirs.push_back(
        {Normalize(request.empty_dirs[i]), step->scratch->dir + "/empty/" + std::to_string(i)});
    Status s = MakeDirs(empty_dirs.back().host);
    if (!s.ok()) return s;
  }
  std::sort(empty_dirs.begin(), empty_dirs.end(),
            [](const ViewMount& a, const ViewMount& b) { return a.view.size() < b.view.size(); });
  mounts.insert(mounts.end(), empty_dirs.begin(), empty_dirs.end());
  std::string cwd = request.working_dir.empty() ? "/" : Normalize(request.working_dir);
  step->view = StepView::Isolated(step->overlay->root(), cwd, mounts);

  // Mount points must exist in the view beneath each mount (host mount points do).
  for (size_t i = host_count; i < mounts.size(); ++i) {
    Status s = MakeDirs(step->view.HostPath(mounts[i].view, mounts[i].view));
    if (!s.ok()) return s;
  }
  for (const ViewMount& m : mounts) spec->mounts.push_back({m.host, view_root_ + m.view});
  Status s = MakeDirs(step->view.HostPath(cwd));
  if (!s.ok()) return s;
  spec->cwd = cwd;
  spec->overlay_fd = step->overlay->fd();
  spec->view_root = view_root_;
  return Status::Ok();
}

Status LocalExecutor::PrepareHost(Step* step, SpawnSpec* spec) {
  const StepRequest& request = step->request;
  auto scratch = scratch_.Take();
  if (!scratch.ok()) return scratch.status();
  step->scratch.emplace(std::move(*scratch));
  std::string cwd = request.working_dir.empty() ? step->scratch->root : request.working_dir;
  Status s = MakeDirs(cwd);
  for (const std::string& dir : request.empty_dirs) {
    if (s.ok()) s = MakeDirs(dir);
  }
  step->view = StepView::Host(cwd);
  spec->cwd = cwd;
  return s;
}

bool LocalExecutor::Isolated() {
  if (options_.isolation == Isolation::kNone) return false;
  if (!isolation_) {
    isolation_ = ProbeIsolation();
    if (!isolation_->ok() && options_.isolation == Isolation::kAuto) {
      std::cerr << "loom: step isolation unavailable (" << isolation_->message()
                << "); steps share the host filesystem\n";
    }
  }
  return isolation_->ok();
}

// Runs /bin/true in a view, as a step would be run.
Status LocalExecutor::ProbeIsolation() {
  if (geteuid() != 0) return Status::Error("not running as root");
  auto mounts = TopLevelMounts();
  if (!mounts.ok()) return mounts.status();
  host_mounts_ = std::move(*mounts);
  Step probe;
  probe.request.command = {"/bin/true"};
  std::string log = options_.work_dir + "/.probe/log";  // only made if it prints
  Status s = MakeDirs(view_root_);
  if (s.ok()) {
    auto output = StepOutput::Open(log, nullptr);
    if (!output.ok()) return output.status();
    probe.output = std::move(*output);
  }
  SpawnSpec spec;
  spec.argv = spec.programs = probe.request.command;
  if (s.ok()) s = PrepareIsolated(&probe, &spec);
  if (s.ok()) {
    spec.stdout_fd = probe.output->child_fd(false);
    spec.stderr_fd = probe.output->child_fd(true);
    auto spawned = spawner_.Spawn(spec);
    if (auto* error = std::get_if<SpawnError>(&spawned)) {
      s = Status::Error(error->message);
    } else {
      Process& process = std::get<Process>(spawned);
      pollfd exited{process.pidfd(), POLLIN, 0};
      while (poll(&exited, 1, -1) < 0 && errno == EINTR) {
      }
      std::optional<int> code = process.Reap();
      if (code != 0) s = Status::Error("a test step in isolation failed");
    }
  }
  probe.output.reset();
  Clean(&probe);
  std::error_code ignored;
  fs::remove_all(fs::path(log).parent_path(), ignored);
  return s;
}

void LocalExecutor::Kill(const std::string& id) {
  auto it = steps_.find(id);
  if (it == steps_.end()) return;
  it->second->result.killed = true;
  it->second->process->KillTree();
}

void LocalExecutor::Wake() {
  uint64_t one = 1;
  [[maybe_unused]] ssize_t n = write(wake_fd_, &one, sizeof one);
}

void LocalExecutor::Finish(Step* step, int exit_code) {
  StepResult& result = step->result;
  result.started = true;
  result.exit_code = exit_code;
  result.finished_at = Clock::now();
  result.stdout_text = step->output->Finish();
  result.stderr_last_line = step->output->LastStderrLine();
  if (result.deadline_exceeded) result.message = kDeadlineMessage;
  CollectOutputs(step->view, step->request, &result);
  Clean(step);
  finished_.push_back(std::move(result));
}

void LocalExecutor::Clean(Step* step) {
  step->overlay.reset();  // first: the overlay must be gone before its folders are reused
  if (step->scratch) scratch_.Give(std::move(*step->scratch));
  step->scratch.reset();
}

void LocalExecutor::KillExpired() {
  TimePoint now = Clock::now();
  for (auto& [id, step] : steps_) {
    const auto& deadline = step->request.deadline;
    if (deadline && *deadline <= now && !step->result.deadline_exceeded && !step->result.killed) {
      step->result.deadline_exceeded = true;
      step->process->KillTree();
    }
  }
}

std::optional<std::chrono::milliseconds> LocalExecutor::UntilNextDeadline() const {
  std::optional<TimePoint> next;
  for (const auto& [id, step] : steps_) {
    const auto& deadline = step->request.deadline;
    if (deadline && !step->result.deadline_exceeded && (!next || *deadline < *next))
      next = deadline;
  }
  if (!next) return std::nullopt;
  return std::chrono::milliseconds(CeilMillis(*next - Clock::now()));
}

std::vector<StepResult> LocalExecutor::Wait(std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  std::vector<pollfd> fds;
  std::vector<std::pair<Step*, int>>
      owners;  // per fd after the wake fd: step, 0 exit / 1 out / 2 err
  std::vector<Step*> exited;
  while (finished_.empty()) {
    KillExpired();
    int wait_ms = CeilMillis(end - std::chrono::steady_clock::now());
    if (auto next = UntilNextDeadline())
      wait_ms = std::min<int>(wait_ms, static_cast<int>(next->count()));
    fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
    owners.clear();
    for (auto& [id, step] : steps_) {
      int step_fds[] = {step->process->pidfd(), step->output->read_fd(false),
                        step->output->read_fd(true)};
      for (int kind = 0; kind < 3; ++kind) {
        if (step_fds[kind] < 0) continue;
        fds.push_back(pollfd{step_fds[kind], POLLIN, 0});
        owners.emplace_back(step.get(), kind);
      }
    }
    int ready = poll(fds.data(), fds.size(), wait_ms);
    if (ready < 0 && errno != EINTR) break;
    bool woken = false;
    exited.clear();
    for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (!fds[i].revents) continue;
      if (i == 0) {
        uint64_t count;
        [[maybe_unused]] ssize_t n = read(wake_fd_, &count, sizeof count);
        woken = true;
        continue;
      }
      auto [step, kind] = owners[i - 1];
      if (kind == 0) {
        exited.push_back(step);
      } else {
        step->output->OnReadable(kind == 2);
      }
    }
    for (Step* step : exited) {
      std::optional<int> code = step->process->Reap();
      if (!code) continue;
      std::string id = step->request.id;
      Finish(step, *code);
      steps_.erase(id);
    }
    if (woken || std::chrono::steady_clock::now() >= end) break;
  }
  std::vector<StepResult> out;
  out.swap(finished_);
  return out;
}

}  // namespace loom::executor
