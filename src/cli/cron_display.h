// How `loom cron list` and `loom cron get` show CronWorkflows, as `argo cron`
// shows them: a table (NAME AGE LAST RUN NEXT RUN SCHEDULE TIMEZONE
// SUSPENDED) and a block of `Field:  value` lines.
#pragma once

#include <chrono>
#include <ostream>
#include <vector>

#include "base/json.h"

namespace loom::cli {

using Clock = std::chrono::system_clock;

// The list table; with `namespaces` a NAMESPACE column comes first. Times
// are relative to `now`; NEXT RUN is computed here from the schedules
// ("N/A" when none parses).
void PrintCronTable(std::ostream& out, const std::vector<Json>& crons, bool namespaces,
                    Clock::time_point now);

// `argo cron get`'s block: name, namespace, created, schedules, suspended,
// timezone, deadline, policy, last and next scheduled time, active
// workflows, conditions, workflow parameters.
void PrintCronDetails(std::ostream& out, const Json& cron, Clock::time_point now);

}  // namespace loom::cli
