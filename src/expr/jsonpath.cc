// A small JSONPath evaluator; see jsonpath.h.
#include "expr/jsonpath.h"

#include <fmt/format.h>

#include <cstdlib>
#include <vector>

#include "expr/go_format.h"

namespace loom::expr {
namespace {

class PathRunner {
 public:
  PathRunner(std::string_view path) : path_(path) {}

  Result<Json> Run(const Json& doc) {
    size_t start = 0;
    while (start < path_.size() && path_[start] == ' ') ++start;
    if (start >= path_.size() || path_[start] != '$') {
      return Status::Error(fmt::format("jsonpath: path '{}' must start with $", path_));
    }
    pos_ = start + 1;
    std::vector<const Json*> current = {&doc};
    while (pos_ < path_.size()) {
      auto next = Step(current);
      if (!next.ok()) return next.status();
      current = std::move(next).value();
    }
    if (!multi_) {
      if (current.empty()) return Status::Error(fmt::format("jsonpath: no value at '{}'", path_));
      return *current[0];
    }
    Json out = Json::array();
    for (const Json* v : current) out.push_back(*v);
    return out;
  }

 private:
  Status Error(std::string_view what) {
    return Status::Error(fmt::format("jsonpath: {} at offset {} of '{}'", what, pos_, path_));
  }

  std::string Name() {
    size_t start = pos_;
    while (pos_ < path_.size() && path_[pos_] != '.' && path_[pos_] != '[') ++pos_;
    return std::string(path_.substr(start, pos_ - start));
  }

  static void Descendants(const Json* v, std::vector<const Json*>* out) {
    out->push_back(v);
    if (v->is_object() || v->is_array()) {
      for (const auto& e : *v) Descendants(&e, out);
    }
  }

  Result<std::vector<const Json*>> Step(const std::vector<const Json*>& current) {
    std::vector<const Json*> next;
    if (path_.substr(pos_, 2) == "..") {
      pos_ += 2;
      multi_ = true;
      std::vector<const Json*> all;
      for (const Json* v : current) Descendants(v, &all);
      if (pos_ < path_.size() && path_[pos_] == '[') return Bracket(all);
      std::string name = Name();
      for (const Json* v : all) Child(v, name, &next, true);
      return next;
    }
    if (path_[pos_] == '.') {
      ++pos_;
      std::string name = Name();
      if (name.empty()) return Error("expected a name");
      for (const Json* v : current) {
        if (!Child(v, name, &next, multi_)) return Error(fmt::format("unknown key {}", name));
      }
      return next;
    }
    if (path_[pos_] == '[') return Bracket(current);
    return Error(fmt::format("unexpected '{}'", path_[pos_]));
  }

  // Adds v's child `name` (or all children for "*"); false if v has none.
  bool Child(const Json* v, const std::string& name, std::vector<const Json*>* out, bool lenient) {
    if (name == "*") {
      multi_ = true;
      if (v->is_object() || v->is_array()) {
        for (const auto& e : *v) out->push_back(&e);
      }
      return true;
    }
    if (v->is_object()) {
      auto it = v->find(name);
      if (it != v->end()) {
        out->push_back(&*it);
        return true;
      }
    }
    return lenient;
  }

  Result<std::vector<const Json*>> Bracket(const std::vector<const Json*>& current) {
    size_t close = path_.find(']', pos_);
    if (close == std::string_view::npos) return Error("missing ]");
    std::string_view inside = path_.substr(pos_ + 1, close - pos_ - 1);
    pos_ = close + 1;
    std::vector<const Json*> next;
    if (inside == "*") {
      multi_ = true;
      for (const Json* v : current) Child(v, "*", &next, true);
      return next;
    }
    if (!inside.empty() && (inside[0] == '\'' || inside[0] == '"')) {
      if (inside.size() < 2 || inside.back() != inside[0]) return Error("unterminated quoted name");
      std::string name(inside.substr(1, inside.size() - 2));
      for (const Json* v : current) {
        if (!Child(v, name, &next, multi_)) return Error(fmt::format("unknown key {}", name));
      }
      return next;
    }
    if (inside.find('?') != std::string_view::npos || inside.find('(') != std::string_view::npos) {
      return Error("filter and script expressions are not supported");
    }
    size_t colon = inside.find(':');
    if (colon != std::string_view::npos) {
      multi_ = true;
      for (const Json* v : current) {
        if (!v->is_array()) continue;
        int64_t n = static_cast<int64_t>(v->size());
        int64_t from = 0, to = n;
        if (colon > 0 && !ParseIndex(inside.substr(0, colon), &from)) return Error("bad slice");
        std::string_view end = inside.substr(colon + 1);
        if (!end.empty() && !ParseIndex(end, &to)) return Error("bad slice");
        if (from < 0) from += n;
        if (to < 0) to += n;
        from = std::max<int64_t>(0, from);
        to = std::min(n, to);
        for (int64_t i = from; i < to; ++i) next.push_back(&(*v)[i]);
      }
      return next;
    }
    std::vector<int64_t> indexes;
    size_t start = 0;
    while (true) {
      size_t comma = inside.find(',', start);
      int64_t i;
      if (!ParseIndex(inside.substr(start, comma - start), &i)) return Error("bad index");
      indexes.push_back(i);
      if (comma == std::string_view::npos) break;
      start = comma + 1;
      multi_ = true;
    }
    for (const Json* v : current) {
      if (!v->is_array()) {
        if (multi_) continue;
        return Error("index into a non-array");
      }
      int64_t n = static_cast<int64_t>(v->size());
      for (int64_t i : indexes) {
        int64_t at = i < 0 ? i + n : i;
        if (at < 0 || at >= n) {
          if (multi_) continue;
          return Error(fmt::format("index {} out of range", i));
        }
        next.push_back(&(*v)[at]);
      }
    }
    return next;
  }

  static bool ParseIndex(std::string_view text, int64_t* out) {
    while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    if (text.empty() || text.size() > 18) return false;
    std::string s(text);
    char* end = nullptr;
    *out = std::strtoll(s.c_str(), &end, 10);
    return *end == '\0';
  }

  std::string_view path_;
  size_t pos_ = 0;
  bool multi_ = false;
};

}  // namespace

Result<Json> JsonPathGet(const Json& document, std::string_view path) {
  return PathRunner(path).Run(document);
}

}  // namespace loom::expr
