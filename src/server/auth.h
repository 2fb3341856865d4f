// Bearer-token authentication. The token lives in a file only its owner can
// read (mode 0600); it is made on first start and never printed or logged.
#pragma once

#include <string>

#include "base/result.h"

namespace loom::server {

// The token in `path`, creating the file with a fresh random token (32 bytes
// from /dev/urandom, hex) if it does not exist.
Result<std::string> LoadOrCreateToken(const std::string& path);

// Whether an Authorization header value is "Bearer <token>". Compares in
// constant time, so response timing tells nothing about the token.
bool BearerMatches(const std::string& authorization, const std::string& token);

// Whether `host` (of a listen address) is a loopback address.
bool IsLoopback(const std::string& host);

}  // namespace loom::server
