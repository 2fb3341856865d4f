// Text pieces the summary and the live view share: Argo's phase marks and
// colors, counts and durations as people read them, and terminal widths.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/node.h"

namespace loom::cli {

// `argo get`'s mark for a phase: ◷ Pending, ● Running, ✔ Succeeded, ✖ Failed,
// ⚠ Error, ○ Skipped, ⏹ Omitted.
const char* PhaseMark(engine::NodePhase phase);
// The mark in Argo's color for the phase when `color`, else the plain mark.
std::string PhaseMark(engine::NodePhase phase, bool color);
// `text` in red when `color` (failures), else unchanged.
std::string Red(const std::string& text, bool color);

bool IsFailure(engine::NodePhase phase);  // Failed or Error

// How many nodes are in each phase, indexed by NodePhase.
using PhaseCounts = std::array<size_t, static_cast<size_t>(engine::NodePhase::kOmitted) + 1>;
void Count(PhaseCounts& counts, engine::NodePhase phase);
// "1,204 ✔ 2 ● 1,294 pending": the phases present, finished ones first.
std::string FormatCounts(const PhaseCounts& counts, bool color);

std::string WithThousands(size_t n);  // 2497 -> "2,497"
// `time` in this machine's time zone, through strftime's `format`.
std::string LocalTime(std::chrono::system_clock::time_point time, const char* format);
// "0s", "42s", "3m05s", "2h07m", "3d04h".
std::string ShortDuration(std::chrono::system_clock::duration duration);

// Rows of cells as `kubectl get` prints them: each column as wide as its
// widest cell, three spaces between columns, no trailing spaces.
void PrintTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows);

// Columns `text` takes on a terminal: one per UTF-8 code point, none for
// ANSI escape sequences.
size_t DisplayWidth(std::string_view text);
// `text` cut to at most `width` columns (ANSI sequences kept whole; colors
// reset when cut), with "…" as its last column when cut.
std::string TruncateToWidth(std::string_view text, size_t width);

}  // namespace loom::cli
