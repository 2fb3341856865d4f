// See url.h.
#include "store/url.h"

#include <cctype>
#include <string_view>
#include <vector>

namespace loom::store {
namespace {

// Where the passwords of `url` are, as [begin, end) ranges.
std::vector<std::pair<size_t, size_t>> PasswordSpans(std::string_view url) {
  std::vector<std::pair<size_t, size_t>> spans;
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return spans;
  size_t authority = scheme + 3;
  size_t authority_end = url.find_first_of("/?#", authority);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  size_t at = url.rfind('@', authority_end);
  if (at != std::string_view::npos && at >= authority) {
    size_t colon = url.find(':', authority);
    if (colon < at) spans.emplace_back(colon + 1, at);
  }
  size_t query = url.find('?', authority);
  while (query != std::string_view::npos) {
    size_t name = query + 1;
    size_t next = url.find('&', name);
    size_t end = next == std::string_view::npos ? url.size() : next;
    std::string_view parameter = url.substr(name, end - name);
    if (parameter.starts_with("password=")) spans.emplace_back(name + 9, end);
    query = next;
  }
  return spans;
}

bool HasScheme(std::string_view url, size_t* scheme_end) {
  size_t end = url.find("://");
  if (end == std::string_view::npos || end == 0) return false;
  if (!std::isalpha(static_cast<unsigned char>(url[0]))) return false;
  for (size_t i = 1; i < end; ++i) {
    unsigned char c = url[i];
    if (!std::isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  *scheme_end = end;
  return true;
}

}  // namespace

Result<StoreUrl> ParseStoreUrl(const std::string& url) {
  if (url.empty()) return Status::Error("the store URL is empty");
  std::string_view view = url;
  if (view.starts_with("postgres://") || view.starts_with("postgresql://")) {
    return StoreUrl{StoreUrl::Kind::kPostgres, url};
  }
  if (view.starts_with("sqlite:")) {
    if (view.size() == 7) return Status::Error("store URL sqlite: names no file");
    return StoreUrl{StoreUrl::Kind::kSqlite, url.substr(7)};
  }
  size_t scheme_end = 0;
  if (HasScheme(view, &scheme_end)) {
    return Status::Error("store URL " + RedactUrl(url) + " has the unknown scheme " +
                         url.substr(0, scheme_end) +
                         "; use a file path, sqlite:PATH or postgres://...");
  }
  return StoreUrl{StoreUrl::Kind::kSqlite, url};
}

std::string RedactUrl(const std::string& url) {
  std::string redacted = url;
  auto spans = PasswordSpans(url);
  for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
    redacted.replace(it->first, it->second - it->first, "***");
  }
  return redacted;
}

std::string RedactPassword(std::string text, const std::string& url) {
  for (auto [begin, end] : PasswordSpans(url)) {
    if (begin == end) continue;
    std::string password = url.substr(begin, end - begin);
    for (size_t at = text.find(password); at != std::string::npos;
         at = text.find(password, at + 3)) {
      text.replace(at, password.size(), "***");
    }
  }
  return text;
}

}  // namespace loom::store
