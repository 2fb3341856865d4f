// Loom's version, reported by `loom version`, the server's /api/v1/version
// and its X-Loom-Version header. Keep in step with project() in CMakeLists.txt.
#pragma once

namespace loom {

inline constexpr const char* kLoomVersion = "0.1.0";

}  // namespace loom
