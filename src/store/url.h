// Store URLs: which backend a URL names, and how to show a URL (or a
// message that may quote it) without its password.
#pragma once

#include <string>

#include "base/result.h"

namespace loom::store {

struct StoreUrl {
  enum class Kind { kSqlite, kPostgres };
  Kind kind = Kind::kSqlite;
  std::string target;  // the database file's path, or the libpq connection URI
};

// A file path or sqlite:PATH -> kSqlite; postgres:// or postgresql:// ->
// kPostgres. Any other scheme:// is an error, not a file name.
Result<StoreUrl> ParseStoreUrl(const std::string& url);

// `url` with the password of its user info and any password= parameter
// replaced by ***.
std::string RedactUrl(const std::string& url);

// `text` with every occurrence of the password in `url` replaced by ***.
std::string RedactPassword(std::string text, const std::string& url);

}  // namespace loom::store
