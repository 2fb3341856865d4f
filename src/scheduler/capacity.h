// What the local machine can run at once: CPU (millicores), memory (bytes),
// GPUs, and a count of slots so that steps that request nothing still queue
// (a 100,000-item fan-out must not fork 100,000 processes at once).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/result.h"
#include "executor/step.h"

namespace loom::scheduler {

struct Capacity {
  int64_t cpu_millis = 0;
  int64_t memory_bytes = 0;
  int64_t gpus = 0;
  size_t slots = 1;
};

// This machine: its online cores, its physical memory, no GPUs, one slot per core.
Capacity DetectCapacity();

// This machine as --max-cpu, --max-memory and --parallelism limit it (empty
// or 0: not limited); an error names the flag that does not parse.
Result<Capacity> CapacityFromFlags(const std::string& max_cpu, const std::string& max_memory,
                                   int parallelism);

// For steps handed on to a cluster manager (Slurm) that admits them by its
// own capacity: nothing limited here but the number of steps handed on at
// once, `parallelism` (0: kHandedOnSlots), so the cluster's queue is not flooded.
inline constexpr size_t kHandedOnSlots = 1000;
Result<Capacity> HandedOnCapacity(int parallelism);

// Whether `request` fits in `free` right now.
bool Fits(const executor::ResourceRequest& request, const Capacity& free);

// Why `request` can never fit in `total`, or "" when it can.
std::string Infeasible(const executor::ResourceRequest& request, const Capacity& total);

// "1.5" cores, "2Gi" and the like, for messages.
std::string FormatCpu(int64_t millis);
std::string FormatBytes(int64_t bytes);

}  // namespace loom::scheduler
