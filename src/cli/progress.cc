// Progress on stderr: live view on a terminal, plain lines otherwise.
#include "cli/progress.h"

#include <unistd.h>

#include <chrono>
#include <iomanip>

#include "cli/display.h"
#include "cli/live_view.h"

namespace loom::cli {

namespace {

std::string Seconds(const engine::Node& node) {
  if (!node.started_at || !node.finished_at) return "";
  double s = std::chrono::duration<double>(*node.finished_at - *node.started_at).count();
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, " (%.1fs)", s);
  return buffer;
}

}  // namespace

ProgressReporter::ProgressReporter(std::ostream& out, bool enabled) : out_(out), enabled_(enabled) {
  if (enabled_ && isatty(STDERR_FILENO)) {
    TerminalSize size = DetectTerminalSize(STDERR_FILENO);
    live_ = std::make_unique<LiveView>(out_, size.width, size.height);
  }
}

ProgressReporter::~ProgressReporter() = default;

void ProgressReporter::Update(const engine::WorkflowStatus& status,
                              const std::vector<std::string>& changed) {
  if (!enabled_) return;
  if (live_) {
    live_->Update(status, std::chrono::system_clock::now());
    return;
  }
  PrintPlain(status, changed);
}

void ProgressReporter::PrintPlain(const engine::WorkflowStatus& status,
                                  const std::vector<std::string>& changed) {
  for (const std::string& id : changed) {
    auto it = status.nodes.find(id);
    if (it == status.nodes.end()) continue;
    const engine::Node& node = it->second;
    if (node.type != engine::NodeType::kPod || node.phase == engine::NodePhase::kPending) continue;
    out_ << LocalTime(std::chrono::system_clock::now(), "%H:%M:%S") << "  " << std::left
         << std::setw(9) << engine::NodePhaseName(node.phase) << " " << node.name << Seconds(node);
    if (!node.message.empty() && engine::IsFulfilled(node.phase)) out_ << ": " << node.message;
    out_ << "\n";
  }
}

void ProgressReporter::LogLine(const std::string& node_name, const std::string& line) {
  Print(node_name + ": " + line + "\n");
}

void ProgressReporter::Print(const std::string& text) {
  if (live_) {
    live_->PrintAbove(text);
  } else {
    out_ << text;
  }
}

void ProgressReporter::Finish(const engine::WorkflowStatus& status) {
  if (live_) live_->Finish(status);
  out_.flush();
}

}  // namespace loom::cli
