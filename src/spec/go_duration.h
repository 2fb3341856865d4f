// Go's time.ParseDuration, for `@every DURATION` in a CronWorkflow schedule
// (robfig/cron parses it with Go's rules, which differ from Argo's other
// durations: a bare number other than 0 is an error here).
#pragma once

#include <chrono>
#include <string_view>

#include "base/result.h"

namespace loom::spec {

// "1h30m", "2.5s", "-1m", "0", "300ms" -> nanoseconds; errors worded as Go's
// ("time: missing unit in duration \"5\"").
Result<std::chrono::nanoseconds> ParseGoDuration(std::string_view text);

}  // namespace loom::spec
