// What the controller does with the store when it starts: counts workflows
// by phase for /metrics, and marks those a previous server left Pending or
// Running as Error. Re-adopting their running steps is not implemented yet,
// so saying so is the honest outcome.
#pragma once

#include "base/result.h"
#include "server/metrics.h"
#include "store/store.h"

namespace loom::server {

inline constexpr char kRestartMessage[] =
    "the Loom server restarted while this workflow ran; re-adopting running workflows is not "
    "implemented yet";

Status RecoverAtStartup(store::Store& store, Metrics& metrics);

}  // namespace loom::server
