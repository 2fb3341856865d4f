// Recursive descent over: or := and ('||' and)*; and := unary ('&&' unary)*;
// unary := '!' unary | '(' or ')' | NAME ['.' RESULT].
#include "spec/depends_syntax.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

namespace loom::spec {
namespace {

class DependsParser {
 public:
  explicit DependsParser(std::string_view text) : text_(text) {}

  Status Parse() {
    if (Status s = Or(); !s.ok()) return s;
    SkipSpace();
    if (pos_ != text_.size()) return Fail("unexpected '" + std::string(1, text_[pos_]) + "'");
    return Status::Ok();
  }
  std::vector<std::string>& names() { return names_; }

 private:
  void SkipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Take(std::string_view token) {
    SkipSpace();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  Status Fail(const std::string& what) const {
    return Status::Error(fmt::format("invalid depends '{}': {} at offset {}", text_, what, pos_));
  }
  static bool IsNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  }

  Status Or() {
    if (Status s = And(); !s.ok()) return s;
    while (Take("||")) {
      if (Status s = And(); !s.ok()) return s;
    }
    return Status::Ok();
  }
  Status And() {
    if (Status s = Unary(); !s.ok()) return s;
    while (Take("&&")) {
      if (Status s = Unary(); !s.ok()) return s;
    }
    return Status::Ok();
  }
  Status Unary() {
    if (Take("!")) return Unary();
    if (Take("(")) {
      if (Status s = Or(); !s.ok()) return s;
      if (!Take(")")) return Fail("expected ')'");
      return Status::Ok();
    }
    return Operand();
  }
  Status Operand() {
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() && IsNameChar(text_[pos_])) ++pos_;
    if (pos_ == start)
      return Fail(pos_ < text_.size() ? "expected a task name"
                                      : "expected a task name, found the end");
    std::string name(text_.substr(start, pos_ - start));
    if (std::find(names_.begin(), names_.end(), name) == names_.end()) names_.push_back(name);
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      size_t result_start = pos_;
      while (pos_ < text_.size() && std::isalpha(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      std::string_view result = text_.substr(result_start, pos_ - result_start);
      static constexpr std::string_view kResults[] = {"Succeeded",    "Failed",   "Errored",
                                                      "Skipped",      "Omitted",  "Daemoned",
                                                      "AnySucceeded", "AllFailed"};
      if (std::find(std::begin(kResults), std::end(kResults), result) == std::end(kResults)) {
        pos_ = result_start;
        return Fail(
            fmt::format("unknown result '{}' (use Succeeded, Failed, Errored, Skipped, Omitted, "
                        "Daemoned, AnySucceeded or AllFailed)",
                        result));
      }
    }
    return Status::Ok();
  }

  std::string_view text_;
  size_t pos_ = 0;
  std::vector<std::string> names_;
};

}  // namespace

Result<std::vector<std::string>> ParseDependsNames(std::string_view depends) {
  DependsParser parser(depends);
  if (Status s = parser.Parse(); !s.ok()) return s;
  return std::move(parser.names());
}

}  // namespace loom::spec
