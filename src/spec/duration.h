// Checks of the duration strings Argo accepts in `timeout`,
// `retryStrategy.backoff.duration`/`maxDuration`/`cap` and `suspend.duration`:
// a bare integer is seconds, otherwise a Go duration ("1h30m", "500ms").
#pragma once

#include <string_view>

#include "base/result.h"

namespace loom::spec {

// Seconds (fractional) of `text`, or an error saying why it is not a duration.
Result<double> ParseDurationSeconds(std::string_view text);

}  // namespace loom::spec
