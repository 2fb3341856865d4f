// Marks, counts, durations and widths for the terminal output of `loom run`.
#include "cli/display.h"

#include <fmt/format.h>

#include <algorithm>
#include <ctime>

namespace loom::cli {

namespace {

using engine::NodePhase;

constexpr const char* kReset = "\x1b[0m";

const char* PhaseColor(NodePhase phase) {
  switch (phase) {
    case NodePhase::kPending:
      return "\x1b[33m";
    case NodePhase::kRunning:
      return "\x1b[36m";
    case NodePhase::kSucceeded:
      return "\x1b[32m";
    case NodePhase::kFailed:
    case NodePhase::kError:
      return "\x1b[31m";
    case NodePhase::kSkipped:
    case NodePhase::kOmitted:
      return "";
  }
  return "";
}

// Length of the ANSI CSI sequence ("\x1b[...<letter>") at the start of `text`; 0 if none.
size_t EscapeLength(std::string_view text) {
  if (text.size() < 2 || text[0] != '\x1b' || text[1] != '[') return 0;
  size_t end = 2;
  while (end < text.size() && !(text[end] >= '@' && text[end] <= '~')) ++end;
  return std::min(end + 1, text.size());
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xc0) == 0x80; }

}  // namespace

const char* PhaseMark(NodePhase phase) {
  switch (phase) {
    case NodePhase::kPending:
      return "◷";
    case NodePhase::kRunning:
      return "●";
    case NodePhase::kSucceeded:
      return "✔";
    case NodePhase::kFailed:
      return "✖";
    case NodePhase::kError:
      return "⚠";
    case NodePhase::kSkipped:
      return "○";
    case NodePhase::kOmitted:
      return "⏹";
  }
  return "?";
}

std::string PhaseMark(NodePhase phase, bool color) {
  const char* code = PhaseColor(phase);
  if (!color || *code == '\0') return PhaseMark(phase);
  return fmt::format("{}{}{}", code, PhaseMark(phase), kReset);
}

std::string Red(const std::string& text, bool color) {
  return color && !text.empty() ? fmt::format("\x1b[31m{}{}", text, kReset) : text;
}

bool IsFailure(NodePhase phase) {
  return phase == NodePhase::kFailed || phase == NodePhase::kError;
}

void Count(PhaseCounts& counts, NodePhase phase) { ++counts[static_cast<size_t>(phase)]; }

std::string FormatCounts(const PhaseCounts& counts, bool color) {
  static constexpr NodePhase kOrder[] = {
      NodePhase::kSucceeded, NodePhase::kFailed,  NodePhase::kError,  NodePhase::kRunning,
      NodePhase::kSkipped,   NodePhase::kOmitted, NodePhase::kPending};
  std::string text;
  for (NodePhase phase : kOrder) {
    size_t n = counts[static_cast<size_t>(phase)];
    if (n == 0) continue;
    if (!text.empty()) text += " ";
    text += WithThousands(n) + " ";
    text += phase == NodePhase::kPending ? "pending" : PhaseMark(phase, color);
  }
  return text;
}

std::string WithThousands(size_t n) {
  std::string digits = std::to_string(n);
  std::string text;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
    text += digits[i];
  }
  return text;
}

std::string ShortDuration(std::chrono::system_clock::duration duration) {
  long long s =
      std::max<long long>(0, std::chrono::duration_cast<std::chrono::seconds>(duration).count());
  if (s < 60) return fmt::format("{}s", s);
  if (s < 3600) return fmt::format("{}m{:02}s", s / 60, s % 60);
  if (s < 86400) return fmt::format("{}h{:02}m", s / 3600, s % 3600 / 60);
  return fmt::format("{}d{:02}h", s / 86400, s % 86400 / 3600);
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    if (size_t escape = EscapeLength(text.substr(i))) {
      i += escape;
      continue;
    }
    if (!IsContinuationByte(text[i])) ++width;
    ++i;
  }
  return width;
}

std::string TruncateToWidth(std::string_view text, size_t width) {
  if (DisplayWidth(text) <= width) return std::string(text);
  if (width == 0) return "";
  std::string cut;
  bool escaped = false;
  size_t columns = 0;
  for (size_t i = 0; i < text.size();) {
    if (size_t escape = EscapeLength(text.substr(i))) {
      cut += text.substr(i, escape);
      escaped = true;
      i += escape;
      continue;
    }
    if (!IsContinuationByte(text[i])) {
      if (columns == width - 1) break;
      ++columns;
    }
    cut += text[i++];
  }
  cut += "…";
  if (escaped) cut += kReset;
  return cut;
}

std::string LocalTime(std::chrono::system_clock::time_point time, const char* format) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  localtime_r(&seconds, &tm);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, format, &tm);
  return buffer;
}

void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& row : rows) {
    if (widths.size() < row.size()) widths.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - DisplayWidth(row[i]) + 3, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out << line << "\n";
  }
}

}  // namespace loom::cli
