// Checks of `synchronization` blocks: every semaphore names the ConfigMap
// key that holds its limit, every mutex has a name. (The limits themselves
// are read when the lock is first taken, as Argo reads its ConfigMaps then.)
#include <fmt/format.h>

#include "spec/validation_context.h"

namespace loom::spec {

void ValidateSynchronization(const ValidationContext& ctx, const Synchronization& sync,
                             const std::string& who) {
  for (const SemaphoreRef& s : sync.semaphores) {
    std::string where = who + "synchronization." + s.where;
    if (s.database) continue;
    if (!s.has_config_map_ref) {
      ctx.Error(s.pos, fmt::format("{} needs a configMapKeyRef: the ConfigMap key that holds "
                                   "its limit",
                                   where));
      continue;
    }
    if (s.config_map.empty()) {
      ctx.Error(s.pos, fmt::format("{}.configMapKeyRef.name is required", where));
    }
    if (s.key.empty()) ctx.Error(s.pos, fmt::format("{}.configMapKeyRef.key is required", where));
  }
  for (const MutexRef& m : sync.mutexes) {
    if (m.name.empty()) {
      ctx.Error(m.pos, fmt::format("{}synchronization.{}.name is required", who, m.where));
    }
  }
}

}  // namespace loom::spec
