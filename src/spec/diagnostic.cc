// Formats diagnostics the way compilers do, so editors can jump to them.
#include "spec/diagnostic.h"

#include <fmt/format.h>

namespace loom::spec {

std::string Diagnostic::ToString() const {
  if (pos.line <= 0) return fmt::format("{}: error: {}", file, message);
  return fmt::format("{}:{}:{}: error: {}", file, pos.line, pos.column, message);
}

}  // namespace loom::spec
