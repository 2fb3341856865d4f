// Machine capacity and the fit tests admission is made of.
#include "scheduler/capacity.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "spec/quantity.h"

namespace loom::scheduler {

Capacity DetectCapacity() {
  Capacity capacity;
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  if (cores < 1) cores = 1;
  capacity.cpu_millis = cores * 1000;
  capacity.slots = static_cast<size_t>(cores);
  long pages = sysconf(_SC_PHYS_PAGES);
  long page_size = sysconf(_SC_PAGE_SIZE);
  capacity.memory_bytes = pages > 0 && page_size > 0 ? int64_t{pages} * page_size : 0;
  return capacity;
}

bool Fits(const executor::ResourceRequest& request, const Capacity& free) {
  return free.slots > 0 && request.cpu_millis <= free.cpu_millis &&
         request.memory_bytes <= free.memory_bytes && request.gpus <= free.gpus;
}

std::string FormatCpu(int64_t millis) {
  char buffer[32];
  if (millis % 1000 == 0) {
    std::snprintf(buffer, sizeof buffer, "%lld", static_cast<long long>(millis / 1000));
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g", static_cast<double>(millis) / 1000);
  }
  return buffer;
}

std::string FormatBytes(int64_t bytes) {
  const char* units[] = {"", "Ki", "Mi", "Gi", "Ti"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1024 && unit < 4) {
    value /= 1024;
    ++unit;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g%s", value, units[unit]);
  return buffer;
}

std::string Infeasible(const executor::ResourceRequest& request, const Capacity& total) {
  std::ostringstream why;
  if (request.cpu_millis > total.cpu_millis) {
    why << "requests cpu " << FormatCpu(request.cpu_millis) << " but the capacity is "
        << FormatCpu(total.cpu_millis) << " (raise it with --max-cpu)";
  } else if (request.memory_bytes > total.memory_bytes) {
    why << "requests memory " << FormatBytes(request.memory_bytes) << " but the capacity is "
        << FormatBytes(total.memory_bytes) << " (raise it with --max-memory)";
  } else if (request.gpus > total.gpus) {
    why << "requests " << request.gpus << " nvidia.com/gpu but the capacity is " << total.gpus;
  }
  return why.str();
}

Result<Capacity> CapacityFromFlags(const std::string& max_cpu, const std::string& max_memory,
                                   int parallelism) {
  Capacity capacity = DetectCapacity();
  if (!max_cpu.empty()) {
    auto cpu = spec::ParseCpuMillis(max_cpu);
    if (!cpu.ok()) return Status::Error("--max-cpu: " + cpu.error());
    capacity.cpu_millis = *cpu;
  }
  if (!max_memory.empty()) {
    auto memory = spec::ParseBytes(max_memory);
    if (!memory.ok()) return Status::Error("--max-memory: " + memory.error());
    capacity.memory_bytes = *memory;
  }
  if (parallelism > 0) capacity.slots = static_cast<size_t>(parallelism);
  return capacity;
}

Result<Capacity> HandedOnCapacity(int parallelism) {
  constexpr int64_t kUnlimited = std::numeric_limits<int64_t>::max() / 4;
  Capacity capacity;
  capacity.cpu_millis = kUnlimited;
  capacity.memory_bytes = kUnlimited;
  capacity.gpus = kUnlimited;
  capacity.slots = parallelism > 0 ? static_cast<size_t>(parallelism) : kHandedOnSlots;
  return capacity;
}

}  // namespace loom::scheduler
