// Kubernetes resource quantities ("500m", "2", "1.5", "2Gi", "512Mi", "1e3",
// "100k"), parsed in this one place into fixed-point integers so that
// 0.5 cpu + 0.5 cpu == 1 cpu always holds.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/result.h"

namespace loom::spec {

// CPU in millicores: "500m" -> 500, "2" -> 2000, "0.25" -> 250. Rounds up to
// a whole millicore, as Kubernetes does.
Result<int64_t> ParseCpuMillis(std::string_view quantity);

// Bytes (memory, storage): "2Gi", "512Mi", "1G", "1e9", "1000". Rounds up.
Result<int64_t> ParseBytes(std::string_view quantity);

// A whole count (nvidia.com/gpu): "1", "2". Fractions are an error.
Result<int64_t> ParseCount(std::string_view quantity);

}  // namespace loom::spec
