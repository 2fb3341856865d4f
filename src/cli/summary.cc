// `argo get`'s layout: a header of "Label:   value" lines, then a table with
// STEP (the tree), TEMPLATE, DURATION and MESSAGE columns. Tree prefixes
// follow argo's renderer: step groups are not drawn but join their steps
// with ┬, and a Retry node with a single attempt shows only the attempt.
#include "cli/summary.h"

#include <fmt/format.h>

#include <ctime>
#include <string>
#include <vector>

#include "cli/display.h"
#include "cli/node_tree.h"

namespace loom::cli {

namespace {

using engine::Node;
using engine::NodeType;
using Clock = std::chrono::system_clock;

// A run of more than kCollapseAbove alike siblings is collapsed to its first
// kShownOfRun, its first kFailuresOfRun failures and one "… more" line.
constexpr size_t kCollapseAbove = 8;
constexpr size_t kShownOfRun = 3;
constexpr size_t kFailuresOfRun = 5;

// Local time as argo prints it: "Wed Dec 02 05:46:00 +0000".
std::string ArgoTime(engine::TimePoint time) { return LocalTime(time, "%a %b %d %H:%M:%S %z"); }

// "45 seconds", "3 minutes 5 seconds", "2 hours 7 minutes", "1 day 4 hours".
std::string LongDuration(Clock::duration duration) {
  long long s =
      std::max<long long>(0, std::chrono::duration_cast<std::chrono::seconds>(duration).count());
  auto unit = [](long long n, const char* name) {
    return fmt::format("{} {}{}", n, name, n == 1 ? "" : "s");
  };
  if (s < 60) return unit(s, "second");
  if (s < 3600) return unit(s / 60, "minute") + " " + unit(s % 60, "second");
  if (s < 86400) return unit(s / 3600, "hour") + " " + unit(s % 3600 / 60, "minute");
  return unit(s / 86400, "day") + " " + unit(s % 86400 / 3600, "hour");
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// One line of the table. A `more` row is only its prefix and text.
struct Row {
  std::string step;       // tree prefix, mark and name
  std::string tree_text;  // `step` without colors, for widths
  std::string template_name;
  std::string duration;
  std::string message;
  bool failed = false;
  bool more = false;
};

// Builds the table rows of a NodeTree.
class TreeTable {
 public:
  TreeTable(const engine::WorkflowStatus& status, bool color)
      : tree_(status), color_(color), has_failure_(tree_.size(), false) {
    for (int root : tree_.roots()) MarkFailures(root);
  }

  std::vector<Row> Rows() {
    for (int root : tree_.roots()) {
      if (!rows_.empty()) rows_.push_back(Row{});
      Render(root, " ", " ");
    }
    return std::move(rows_);
  }

 private:
  // A child to draw: a node, or the line standing for `hidden` collapsed siblings.
  struct Item {
    int node = NodeTree::kNoParent;
    PhaseCounts hidden{};
    size_t hidden_count = 0;
  };

  bool MarkFailures(int i) {
    bool failed = IsFailure(tree_.node(i).phase);
    for (int child : tree_.children(i)) failed = MarkFailures(child) || failed;
    has_failure_[i] = failed;
    return failed;
  }

  static bool Alike(const Node& a, const Node& b) {
    return a.type == b.type && a.template_name == b.template_name;
  }

  std::vector<Item> Collapse(const std::vector<int>& children) const {
    std::vector<Item> items;
    for (size_t start = 0; start < children.size();) {
      size_t end = start + 1;
      while (end < children.size() &&
             Alike(tree_.node(children[start]), tree_.node(children[end]))) {
        ++end;
      }
      Item more;
      size_t failures = 0;
      for (size_t k = start; k < end; ++k) {
        int child = children[k];
        bool shown = end - start <= kCollapseAbove || k - start < kShownOfRun ||
                     (has_failure_[child] && failures++ < kFailuresOfRun);
        if (shown) {
          items.push_back(Item{child});
        } else {
          Count(more.hidden, tree_.node(child).phase);
          ++more.hidden_count;
        }
      }
      if (more.hidden_count > 0) items.push_back(more);
      start = end;
    }
    return items;
  }

  void Render(int i, const std::string& node_prefix, const std::string& child_prefix) {
    const Node& node = tree_.node(i);
    bool hidden = node.type == NodeType::kStepGroup ||
                  (node.type == NodeType::kRetry && node.children.size() == 1);
    bool join_children = node.type == NodeType::kStepGroup;
    if (!hidden) AddNodeRow(node, node_prefix);
    std::vector<Item> items = Collapse(tree_.children(i));
    for (size_t k = 0; k < items.size(); ++k) {
      bool last = k + 1 == items.size();
      std::string part, sub;
      if (!hidden) {
        part = last ? "└─" : "├─";
        sub = last ? "  " : "│ ";
      } else if (join_children) {
        part = items.size() == 1 ? "──" : k == 0 ? "┬─" : last ? "└─" : "├─";
        sub = last ? "  " : "│ ";
      }
      std::string item_prefix = (hidden && k == 0 ? node_prefix : child_prefix) + part;
      if (items[k].node == NodeTree::kNoParent) {
        AddMoreRow(items[k], item_prefix);
      } else {
        Render(items[k].node, item_prefix, child_prefix + sub);
      }
    }
  }

  void AddNodeRow(const Node& node, const std::string& prefix) {
    Row row;
    row.tree_text = prefix + PhaseMark(node.phase) + " " + node.display_name;
    row.step = prefix + PhaseMark(node.phase, color_) + " " + node.display_name;
    row.template_name = node.template_name;
    if (node.type == NodeType::kPod && node.started_at) {
      row.duration = ShortDuration(node.finished_at.value_or(Clock::now()) - *node.started_at);
    }
    row.message = OneLine(node.message);
    row.failed = IsFailure(node.phase);
    rows_.push_back(std::move(row));
  }

  void AddMoreRow(const Item& item, const std::string& prefix) {
    Row row;
    row.more = true;
    row.step = fmt::format("{}… {} more: {}", prefix, WithThousands(item.hidden_count),
                           FormatCounts(item.hidden, color_));
    rows_.push_back(std::move(row));
  }

  NodeTree tree_;
  bool color_;
  std::vector<bool> has_failure_;
  std::vector<Row> rows_;
};

void PrintTable(std::ostream& out, const std::vector<Row>& rows, bool color) {
  size_t step_width = 4, template_width = 8, duration_width = 8;
  for (const Row& row : rows) {
    if (row.more) continue;
    step_width = std::max(step_width, DisplayWidth(row.tree_text));
    template_width = std::max(template_width, DisplayWidth(row.template_name));
    duration_width = std::max(duration_width, DisplayWidth(row.duration));
  }
  auto pad = [](const std::string& text, size_t width) {
    return text + std::string(width - DisplayWidth(text) + 2, ' ');
  };
  auto print = [&](const std::string& step, const std::string& step_plain,
                   const std::string& template_name, const std::string& duration,
                   const std::string& message) {
    std::string line = step + std::string(step_width - DisplayWidth(step_plain) + 2, ' ') +
                       pad(template_name, template_width) + pad(duration, duration_width) + message;
    line.erase(line.find_last_not_of(' ') + 1);
    out << line << "\n";
  };
  print("STEP", "STEP", "TEMPLATE", "DURATION", "MESSAGE");
  for (const Row& row : rows) {
    if (row.more) {
      out << row.step << "\n";
    } else {
      print(row.step, row.tree_text, row.template_name, row.duration,
            row.failed ? Red(row.message, color) : row.message);
    }
  }
}

}  // namespace

void PrintSummary(std::ostream& out, const engine::WorkflowStatus& status, bool color) {
  auto field = [&](const std::string& label, const std::string& value) {
    out << fmt::format("{:<21}{}\n", label, value);
  };
  field("Name:", status.name);
  field("Namespace:", status.namespace_);
  std::string phase = engine::WorkflowPhaseName(status.phase);
  bool failed = status.phase == engine::WorkflowPhase::kFailed ||
                status.phase == engine::WorkflowPhase::kError;
  field("Status:", failed ? Red(phase, color) : phase);
  if (!status.message.empty()) field("Message:", OneLine(status.message));
  if (status.started_at) {  // Loom creates a workflow when it starts it
    field("Created:", ArgoTime(*status.started_at));
    field("Started:", ArgoTime(*status.started_at));
  }
  if (status.finished_at) field("Finished:", ArgoTime(*status.finished_at));
  if (status.started_at) {
    field("Duration:",
          LongDuration(status.finished_at.value_or(Clock::now()) - *status.started_at));
  }
  field("Progress:", status.Progress());
  if (!status.parameters.empty()) {
    out << "Parameters:\n";
    for (const auto& p : status.parameters) field("  " + p.name + ":", p.value.value_or(""));
  }
  if (status.nodes.empty()) return;
  out << "\n";
  PrintTable(out, TreeTable(status, color).Rows(), color);
}

}  // namespace loom::cli
