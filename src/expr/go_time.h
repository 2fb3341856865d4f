// Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"), for sprig's
// date functions: Argo workflows format timestamps with them.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace loom::expr {

// Formats `time` (UTC) with a Go layout.
std::string FormatGoTime(std::string_view layout, std::chrono::system_clock::time_point time);

// Parses an RFC 3339 UTC timestamp ("2026-11-22T13:44:17Z"), as
// workflow.creationTimestamp is written.
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

}  // namespace loom::expr
