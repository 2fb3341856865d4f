// store::Open: picks the backend that a store URL names.
#include "store/postgres_store.h"
#include "store/sqlite_store.h"
#include "store/store.h"
#include "store/url.h"

namespace loom::store {

Result<std::unique_ptr<Store>> Open(const std::string& url) {
  auto parsed = ParseStoreUrl(url);
  if (!parsed.ok()) return parsed.status();
  Result<std::unique_ptr<Store>> store = parsed->kind == StoreUrl::Kind::kPostgres
                                             ? OpenPostgresStore(parsed->target)
                                             : OpenSqliteStore(parsed->target);
  if (!store.ok())
    return Status::Error("cannot open store " + RedactUrl(url) + ": " + store.error());
  return store;
}

}  // namespace loom::store
