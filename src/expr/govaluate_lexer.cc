// The govaluate lexer; see govaluate_lexer.h.
#include "expr/govaluate_lexer.h"

#include <fmt/format.h>

#include <cstdlib>
#include <unordered_set>

#include "expr/go_format.h"

namespace loom::expr {
namespace {

using Kind = GovaluateToken::Kind;

bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

const char* KindName(Kind k) {
  static const char* kNames[] = {"NUMERIC", "BOOLEAN",      "STRING",     "VARIABLE",  "ACCESSOR",
                                 "PREFIX",  "MODIFIER",     "COMPARATOR", "LOGICALOP", "TERNARY",
                                 "CLAUSE",  "CLAUSE_CLOSE", "SEPARATOR"};
  return kNames[k];
}

bool IsValue(Kind k) {
  return k == Kind::kNumeric || k == Kind::kBoolean || k == Kind::kString || k == Kind::kVariable ||
         k == Kind::kAccessor || k == Kind::kClauseClose;
}

std::string TokenValue(const GovaluateToken& t) {
  if (t.kind == Kind::kNumeric || t.kind == Kind::kBoolean) return GovaluateString(t.value);
  return t.text;
}

constexpr size_t kMaxTokens = 10000;

class GovaluateLexer {
 public:
  explicit GovaluateLexer(std::string_view src) : src_(src) {}

  Result<std::vector<GovaluateToken>> Run() {
    while (true) {
      while (pos_ < src_.size() && IsSpace(src_[pos_])) ++pos_;
      if (pos_ >= src_.size()) break;
      auto token = Next();
      if (!token.ok()) return token.status();
      if (Status s = CheckTransition(*token); !s.ok()) return s;
      tokens_.push_back(std::move(token).value());
      // Long operator chains nest as deep as they are long when evaluated.
      if (tokens_.size() > kMaxTokens) return Status::Error("expression too long");
    }
    int depth = 0;
    for (const auto& t : tokens_) {
      depth += t.kind == Kind::kClause ? 1 : t.kind == Kind::kClauseClose ? -1 : 0;
      if (depth < 0) return Status::Error("Unbalanced parenthesis");
    }
    if (depth != 0) return Status::Error("Unbalanced parenthesis");
    if (!tokens_.empty() && !IsValue(tokens_.back().kind)) {
      return Status::Error("Unexpected end of expression");
    }
    return std::move(tokens_);
  }

 private:
  Status CheckTransition(const GovaluateToken& next) {
    bool ok;
    if (tokens_.empty()) {
      ok = IsValue(next.kind) && next.kind != Kind::kClauseClose;
      ok = ok || next.kind == Kind::kPrefix || next.kind == Kind::kClause;
      if (!ok)
        return Status::Error(
            fmt::format("Unexpected token '{}' at the start of the expression", TokenValue(next)));
      return Status::Ok();
    }
    const GovaluateToken& prev = tokens_.back();
    if (IsValue(prev.kind)) {
      ok = !IsValue(next.kind) || next.kind == Kind::kClauseClose;
      ok = ok && next.kind != Kind::kPrefix && next.kind != Kind::kClause;
    } else {
      ok = (IsValue(next.kind) && next.kind != Kind::kClauseClose) || next.kind == Kind::kPrefix ||
           next.kind == Kind::kClause ||
           (prev.kind == Kind::kClause && next.kind == Kind::kClauseClose);
    }
    if (ok) return Status::Ok();
    return Status::Error(fmt::format("Cannot transition token types from {} [{}] to {} [{}]",
                                     KindName(prev.kind), TokenValue(prev), KindName(next.kind),
                                     TokenValue(next)));
  }

  bool CanBePrefix() const { return tokens_.empty() || !IsValue(tokens_.back().kind); }

  GovaluateToken Make(Kind kind, std::string text, Json value = Json()) {
    return GovaluateToken{kind, std::move(text), std::move(value)};
  }

  Result<GovaluateToken> Next() {
    char c = src_[pos_];
    if (IsDigit(c)) return Number();
    if (IsLetter(c)) return Word();
    if (c == '[') {
      size_t close = src_.find(']', pos_ + 1);
      if (close == std::string_view::npos) return Status::Error("Unclosed parameter bracket");
      std::string name(src_.substr(pos_ + 1, close - pos_ - 1));
      pos_ = close + 1;
      return Make(Kind::kVariable, name);
    }
    if (c == '\'' || c == '"') return Quoted(c);
    if (c == '(') {
      ++pos_;
      return Make(Kind::kClause, "(");
    }
    if (c == ')') {
      ++pos_;
      return Make(Kind::kClauseClose, ")");
    }
    if (c == ',') {
      ++pos_;
      return Make(Kind::kSeparator, ",");
    }
    size_t start = pos_;
    while (pos_ < src_.size()) {
      char d = src_[pos_];
      if (IsLetter(d) || IsDigit(d) || IsSpace(d) || d == '(' || d == ')' || d == '[' || d == ']' ||
          d == '\'' || d == '"' || d == ',') {
        break;
      }
      ++pos_;
    }
    std::string symbol(src_.substr(start, pos_ - start));
    static const std::unordered_set<std::string> kPrefix = {"-", "!", "~"};
    static const std::unordered_set<std::string> kModifier = {"+", "-", "*", "/",  "%", "**",
                                                              "&", "|", "^", ">>", "<<"};
    static const std::unordered_set<std::string> kLogical = {"&&", "||"};
    static const std::unordered_set<std::string> kComparator = {
        "==", "!=", ">", ">=", "<", "<=", "=~", "!~"};
    static const std::unordered_set<std::string> kTernary = {"?", ":", "??"};
    if (CanBePrefix() && kPrefix.count(symbol)) return Make(Kind::kPrefix, symbol);
    if (kModifier.count(symbol)) return Make(Kind::kModifier, symbol);
    if (kLogical.count(symbol)) return Make(Kind::kLogical, symbol);
    if (kComparator.count(symbol)) return Make(Kind::kComparator, symbol);
    if (kTernary.count(symbol)) return Make(Kind::kTernary, symbol);
    return Status::Error(fmt::format("Invalid token: '{}'", symbol));
  }

  Result<GovaluateToken> Number() {
    size_t start = pos_;
    if (src_.substr(pos_, 2) == "0x") {
      pos_ += 2;
      while (pos_ < src_.size() && std::isxdigit(static_cast<unsigned char>(src_[pos_]))) ++pos_;
      std::string hex(src_.substr(start + 2, pos_ - start - 2));
      if (hex.empty() || hex.size() > 16) {
        return Status::Error(fmt::format("Unable to parse hex value '{}' to uint64\n",
                                         src_.substr(start, pos_ - start)));
      }
      return Make(Kind::kNumeric, "",
                  Json(static_cast<double>(std::strtoull(hex.c_str(), nullptr, 16))));
    }
    while (pos_ < src_.size() && (IsDigit(src_[pos_]) || src_[pos_] == '.')) ++pos_;
    std::string text(src_.substr(start, pos_ - start));
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (*end != '\0')
      return Status::Error(fmt::format("Unable to parse numeric value '{}' to float64\n", text));
    return Make(Kind::kNumeric, text, Json(v));
  }

  Result<GovaluateToken> Word() {
    size_t start = pos_;
    while (pos_ < src_.size() && (IsLetter(src_[pos_]) || IsDigit(src_[pos_]) ||
                                  src_[pos_] == '_' || src_[pos_] == '.')) {
      ++pos_;
    }
    std::string word(src_.substr(start, pos_ - start));
    if (word == "true" || word == "false") return Make(Kind::kBoolean, word, Json(word == "true"));
    if (word == "in" || word == "IN") return Make(Kind::kComparator, "in");
    if (word.find('.') != std::string::npos) {
      if (word.back() == '.')
        return Status::Error(fmt::format("Hanging accessor on token '{}'", word));
      return Make(Kind::kAccessor, word);
    }
    return Make(Kind::kVariable, word);
  }

  Result<GovaluateToken> Quoted(char quote) {
    ++pos_;
    std::string out;
    while (true) {
      if (pos_ >= src_.size()) return Status::Error("Unclosed string literal");
      char c = src_[pos_++];
      if (c == quote) break;
      if (c == '\\' && pos_ < src_.size()) c = src_[pos_++];
      out.push_back(c);
    }
    return Make(Kind::kString, out, Json(out));
  }

  std::string_view src_;
  size_t pos_ = 0;
  std::vector<GovaluateToken> tokens_;
};

}  // namespace

Result<std::vector<GovaluateToken>> LexGovaluate(std::string_view expression) {
  return GovaluateLexer(expression).Run();
}

std::string GovaluateString(const Json& value) { return GoString(value); }

}  // namespace loom::expr
