// Token file handling and the bearer check.
#include "server/auth.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace loom::server {

namespace {

Result<std::string> RandomHex(size_t bytes) {
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  std::string raw(bytes, '\0');
  if (!urandom.read(raw.data(), static_cast<std::streamsize>(bytes))) {
    return Result<std::string>::Error("cannot read /dev/urandom");
  }
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
  }
  return hex;
}

std::string Trim(std::string text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  return text.substr(start);
}

}  // namespace

Result<std::string> LoadOrCreateToken(const std::string& path) {
  using R = Result<std::string>;
  std::ifstream in(path);
  if (in) {
    std::stringstream text;
    text << in.rdbuf();
    std::string token = Trim(text.str());
    if (token.empty()) return R::Error("the token file " + path + " is empty");
    return token;
  }
  auto token = RandomHex(32);
  if (!token.ok()) return token;
  std::error_code ignored;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ignored);
  // O_EXCL: two servers starting at once must not each write their own token.
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return LoadOrCreateToken(path);
    return R::Error("cannot create the token file " + path + ": " + std::strerror(errno));
  }
  std::string line = *token + "\n";
  bool written = write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  close(fd);
  if (!written) return R::Error("cannot write the token file " + path);
  return token;
}

bool BearerMatches(const std::string& authorization, const std::string& token) {
  static const std::string kScheme = "Bearer ";
  if (token.empty() || authorization.compare(0, kScheme.size(), kScheme) != 0) return false;
  std::string given = authorization.substr(kScheme.size());
  unsigned char diff = given.size() == token.size() ? 0 : 1;
  for (size_t i = 0; i < token.size(); ++i) {
    diff |= static_cast<unsigned char>(token[i] ^ (i < given.size() ? given[i] : 0));
  }
  return diff == 0;
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

}  // namespace loom::server
