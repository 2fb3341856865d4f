// Drawing the live view: each frame is built from the status (O(nodes), at
// most every kRedrawInterval) and written at once over the previous one:
// cursor up to the frame's first line, each line then erase-to-end-of-line,
// and erase-below when the new frame is shorter.
#include "cli/live_view.h"

#include <fmt/format.h>
#include <sys/ioctl.h>

#include <algorithm>
#include <cctype>

#include "cli/display.h"
#include "cli/node_tree.h"

namespace loom::cli {

namespace {

using engine::Node;
using engine::NodePhase;
using engine::NodeType;
using Clock = std::chrono::system_clock;

constexpr size_t kFanOutAbove = 8;     // more children than this: one line of counts
constexpr size_t kRecentFailures = 3;  // failed steps kept in view
// Children listed under a fan-out, tried in turn until the tree fits.
constexpr size_t kListedPerFanOut[] = {4, 2, 1, 0};
constexpr size_t kMaxBarWidth = 50;
constexpr bool kColor = true;  // the live view is only drawn on terminals

bool IsStep(const Node& node) {
  return node.type == NodeType::kPod || node.type == NodeType::kSuspend;
}

NodePhase AsNodePhase(engine::WorkflowPhase phase) {
  switch (phase) {
    case engine::WorkflowPhase::kPending:
      return NodePhase::kPending;
    case engine::WorkflowPhase::kRunning:
      return NodePhase::kRunning;
    case engine::WorkflowPhase::kSucceeded:
      return NodePhase::kSucceeded;
    case engine::WorkflowPhase::kFailed:
      return NodePhase::kFailed;
    case engine::WorkflowPhase::kError:
      return NodePhase::kError;
  }
  return NodePhase::kPending;
}

std::string Lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The part of the node tree worth a line now: running steps, the most
// recent failures and the nodes above them. Step groups and single-attempt
// retries are not drawn (their children take their place), and a node with
// many children is one line of counts with a few of them listed below it.
class ActiveTree {
 public:
  ActiveTree(const engine::WorkflowStatus& status, Clock::time_point now)
      : tree_(status), now_(now), shown_(tree_.size(), false) {
    std::vector<int> failures;
    for (int i = 0; i < tree_.size(); ++i) {
      const Node& node = tree_.node(i);
      if (!IsStep(node)) continue;
      if (node.phase == NodePhase::kRunning) Show(i);
      if (IsFailure(node.phase)) failures.push_back(i);
    }
    size_t kept = std::min(kRecentFailures, failures.size());
    std::partial_sort(failures.begin(), failures.begin() + kept, failures.end(), [&](int a, int b) {
      return tree_.node(a).finished_at > tree_.node(b).finished_at;
    });
    for (size_t k = 0; k < kept; ++k) Show(failures[k]);
  }

  // The tree's lines, listing at most `listed` children of each fan-out.
  std::vector<std::string> Lines(size_t listed) const {
    std::vector<std::string> lines;
    for (int root : tree_.roots()) {
      if (shown_[root]) Render(root, "", "", listed, lines);
    }
    return lines;
  }

 private:
  void Show(int i) {
    for (; i != NodeTree::kNoParent && !shown_[i]; i = tree_.parent(i)) shown_[i] = true;
  }

  bool IsFanOut(int i) const { return tree_.children(i).size() > kFanOutAbove; }

  bool IsHidden(int i) const {
    const Node& node = tree_.node(i);
    if (IsFanOut(i)) return false;
    return node.type == NodeType::kStepGroup ||
           (node.type == NodeType::kRetry && node.children.size() == 1);
  }

  void AppendVisibleChildren(int i, std::vector<int>& out) const {
    for (int child : tree_.children(i)) {
      if (!shown_[child]) continue;
      if (IsHidden(child)) {
        AppendVisibleChildren(child, out);
      } else {
        out.push_back(child);
      }
    }
  }

  // What the children of a fan-out are called: "train" for items
  // "train(0:a)", "train(1:b)"..., else the node's own name.
  std::string FanOutName(int i) const {
    const std::vector<int>& children = tree_.children(i);
    const std::string& first = tree_.node(children.front()).display_name;
    size_t paren = first.find('(');
    if (paren == std::string::npos || paren == 0) return tree_.node(i).display_name;
    std::string_view base(first.data(), paren + 1);
    for (int child : children) {
      if (!tree_.node(child).display_name.starts_with(base)) return tree_.node(i).display_name;
    }
    return std::string(base.substr(0, paren));
  }

  std::string FanOutLabel(int i) const {
    const char* noun = "items";
    switch (tree_.node(i).type) {
      case NodeType::kDag:
        noun = "tasks";
        break;
      case NodeType::kSteps:
        noun = "steps";
        break;
      case NodeType::kRetry:
        noun = "attempts";
        break;
      default:
        break;
    }
    PhaseCounts counts{};
    for (int child : tree_.children(i)) Count(counts, tree_.node(child).phase);
    return fmt::format("{} ({} {}: {})", FanOutName(i), WithThousands(tree_.children(i).size()),
                       noun, FormatCounts(counts, kColor));
  }

  std::string NodeLine(int i, const std::string& prefix) const {
    const Node& node = tree_.node(i);
    std::string line = prefix + PhaseMark(node.phase, kColor) + " " +
                       (IsFanOut(i) ? FanOutLabel(i) : node.display_name);
    if (!IsStep(node) || !node.started_at) return line;
    line += "  " + ShortDuration(node.finished_at.value_or(now_) - *node.started_at);
    if (IsFailure(node.phase) && !node.message.empty()) line += "  " + Red(node.message, kColor);
    // What a running step waits for ("Slurm job 12 is queued: Resources").
    if (node.phase == NodePhase::kRunning && !node.message.empty()) line += "  " + node.message;
    return line;
  }

  // A fan-out's children to list, at most `listed`, in their own order:
  // failed ones first, then the others.
  std::vector<int> Listed(const std::vector<int>& children, size_t listed) const {
    auto failed = [&](int child) { return IsFailure(tree_.node(child).phase); };
    size_t failed_quota =
        std::min<size_t>(listed, std::count_if(children.begin(), children.end(), failed));
    size_t other_quota = listed - failed_quota;
    std::vector<int> picked;
    for (int child : children) {
      size_t& quota = failed(child) ? failed_quota : other_quota;
      if (quota == 0) continue;
      --quota;
      picked.push_back(child);
    }
    return picked;
  }

  void Render(int i, const std::string& prefix, const std::string& child_prefix, size_t listed,
              std::vector<std::string>& lines) const {
    lines.push_back(NodeLine(i, prefix));
    std::vector<int> visible;
    AppendVisibleChildren(i, visible);
    std::vector<int> children = IsFanOut(i) ? Listed(visible, listed) : visible;
    size_t omitted = visible.size() - children.size();
    for (size_t k = 0; k < children.size(); ++k) {
      bool last = k + 1 == children.size() && omitted == 0;
      Render(children[k], child_prefix + (last ? "└─" : "├─"), child_prefix + (last ? "  " : "│ "),
             listed, lines);
    }
    if (omitted > 0) {
      PhaseCounts counts{};
      for (int child : visible) {
        if (std::find(children.begin(), children.end(), child) == children.end()) {
          Count(counts, tree_.node(child).phase);
        }
      }
      lines.push_back(fmt::format("{}└─… {} more: {}", child_prefix, WithThousands(omitted),
                                  FormatCounts(counts, kColor)));
    }
  }

  NodeTree tree_;
  Clock::time_point now_;
  std::vector<bool> shown_;
};

std::string ProgressBar(size_t done, size_t total, int width) {
  std::string numbers = fmt::format("  {}/{}", WithThousands(done), WithThousands(total));
  if (total > 0) numbers += fmt::format("  {}%", done * 100 / total);
  int room = width - 3 - static_cast<int>(DisplayWidth(numbers));
  size_t bar = std::clamp<size_t>(room > 0 ? room : 0, 10, kMaxBarWidth);
  size_t filled = total == 0 ? 0 : bar * done / total;
  std::string text = "[";
  for (size_t k = 0; k < bar; ++k) text += k < filled ? "█" : "░";
  return text + "]" + numbers;
}

std::vector<std::string> Frame(const engine::WorkflowStatus& status, Clock::time_point now,
                               size_t height, int width) {
  PhaseCounts steps{};
  for (const auto& [id, node] : status.nodes) {
    if (node.type == NodeType::kPod) Count(steps, node.phase);
  }
  size_t total = 0;
  for (size_t n : steps) total += n;
  size_t done = total - steps[static_cast<size_t>(NodePhase::kPending)] -
                steps[static_cast<size_t>(NodePhase::kRunning)];

  std::string elapsed =
      status.started_at ? ShortDuration(status.finished_at.value_or(now) - *status.started_at) : "";
  std::string counts;
  for (NodePhase phase :
       {NodePhase::kRunning, NodePhase::kSucceeded, NodePhase::kFailed, NodePhase::kError,
        NodePhase::kSkipped, NodePhase::kOmitted, NodePhase::kPending}) {
    size_t n = steps[static_cast<size_t>(phase)];
    if (n == 0) continue;
    if (!counts.empty()) counts += "  ";
    counts += fmt::format("{} {} {}", PhaseMark(phase, kColor), WithThousands(n),
                          Lowercase(engine::NodePhaseName(phase)));
  }
  std::vector<std::string> lines = {
      fmt::format("{} {}  {}  {}", PhaseMark(AsNodePhase(status.phase), kColor), status.name,
                  engine::WorkflowPhaseName(status.phase), elapsed),
      ProgressBar(done, total, width), counts};
  if (lines.size() > height) lines.resize(height);
  size_t room = height - lines.size();
  if (room == 0) return lines;

  ActiveTree tree(status, now);
  std::vector<std::string> tree_lines;
  for (size_t listed : kListedPerFanOut) {
    tree_lines = tree.Lines(listed);
    if (tree_lines.size() <= room) break;
  }
  if (tree_lines.size() > room) {
    size_t cut = tree_lines.size() - room + 1;
    tree_lines.resize(room - 1);
    tree_lines.push_back(fmt::format("… {} more lines", WithThousands(cut)));
  }
  lines.insert(lines.end(), tree_lines.begin(), tree_lines.end());
  return lines;
}

}  // namespace

TerminalSize DetectTerminalSize(int fd) {
  winsize size{};
  if (ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 && size.ws_row > 0) {
    return {size.ws_col, size.ws_row};
  }
  return {80, 24};
}

LiveView::LiveView(std::ostream& out, int width, int height)
    : out_(out), width_(std::max(width, 2)), height_(std::max(height, 2)) {}

void LiveView::Update(const engine::WorkflowStatus& status, Clock::time_point now) {
  if (last_draw_ && now >= *last_draw_ && now - *last_draw_ < kRedrawInterval) return;
  Draw(status, now);
}

void LiveView::Finish(const engine::WorkflowStatus& status) { Draw(status, Clock::now()); }

void LiveView::PrintAbove(const std::string& text) {
  if (lines_on_screen_ > 0) out_ << fmt::format("\r\x1b[{}A\x1b[J", lines_on_screen_);
  out_ << text << std::flush;
  lines_on_screen_ = 0;
  last_draw_.reset();
}

// The frame keeps one line free below it (the cursor's), so that it never
// reaches the terminal's last line and redrawing never scrolls; lines keep
// the last column free, so none wraps.
void LiveView::Draw(const engine::WorkflowStatus& status, Clock::time_point now) {
  last_draw_ = now;
  std::vector<std::string> lines = Frame(status, now, height_ - 1, width_);
  std::string text;
  if (lines_on_screen_ > 0) text += fmt::format("\r\x1b[{}A", lines_on_screen_);
  for (const std::string& line : lines) {
    text += TruncateToWidth(line, width_ - 1);
    text += "\x1b[K\n";
  }
  if (lines.size() < lines_on_screen_) text += "\x1b[J";
  out_ << text << std::flush;
  lines_on_screen_ = lines.size();
}

}  // namespace loom::cli
