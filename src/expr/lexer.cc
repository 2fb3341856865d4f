// The expr-lang lexer; see lexer.h.
#include "expr/lexer.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>

namespace loom::expr {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xc0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xe0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(static_cast<char>(0xf0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3f)));
  }
}

constexpr size_t kMaxTokens = 10000;

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  Result<std::vector<Token>> Run() {
    while (true) {
      while (pos_ < src_.size() && (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\n' ||
                                    src_[pos_] == '\r')) {
        ++pos_;
      }
      if (pos_ >= src_.size()) break;
      Status s = Next();
      if (!s.ok()) return s;
      // Long operator chains nest as deep as they are long when evaluated.
      if (tokens_.size() > kMaxTokens) return Error(pos_, "expression too long");
    }
    Token end;
    end.offset = src_.size();
    tokens_.push_back(end);
    return std::move(tokens_);
  }

 private:
  Status Error(size_t at, std::string_view what) {
    return Status::Error(fmt::format("{} (offset {})", what, at));
  }

  Status Next() {
    char c = src_[pos_];
    if (IsDigit(c) || (c == '.' && pos_ + 1 < src_.size() && IsDigit(src_[pos_ + 1]))) {
      return Number();
    }
    if (c == '\'' || c == '"') return Quoted(c);
    if (c == '`') return Raw();
    if (IsIdentStart(c)) {
      size_t start = pos_;
      while (pos_ < src_.size() && IsIdentChar(src_[pos_])) ++pos_;
      Push(Token::kIdent, std::string(src_.substr(start, pos_ - start)), start);
      return Status::Ok();
    }
    if (c == '#') {
      size_t start = pos_++;
      while (pos_ < src_.size() && IsIdentChar(src_[pos_])) ++pos_;
      Push(Token::kPointer, std::string(src_.substr(start + 1, pos_ - start - 1)), start);
      return Status::Ok();
    }
    static const char* kOperators[] = {"?.", "??", "..", "**", "==", "!=", "<=", ">=", "&&", "||",
                                       "+",  "-",  "*",  "/",  "%",  "^",  "<",  ">",  "!",  "(",
                                       ")",  "[",  "]",  "{",  "}",  ",",  ":",  "?",  ".",  "|"};
    for (const char* op : kOperators) {
      std::string_view o(op);
      if (src_.substr(pos_, o.size()) == o) {
        // "?.[" and "?.(" aside, "a ?.5 : 1" is a ternary with a number.
        if (o == "?." && pos_ + 2 < src_.size() && IsDigit(src_[pos_ + 2])) continue;
        Push(Token::kOperator, std::string(o), pos_);
        pos_ += o.size();
        return Status::Ok();
      }
    }
    return Error(pos_, fmt::format("unexpected character '{}'", c));
  }

  Status Number() {
    size_t start = pos_;
    std::string digits;
    bool is_float = false;
    if (src_.substr(pos_, 2) == "0x" || src_.substr(pos_, 2) == "0X") {
      pos_ += 2;
      while (pos_ < src_.size() && (HexValue(src_[pos_]) >= 0 || src_[pos_] == '_')) {
        if (src_[pos_] != '_') digits.push_back(src_[pos_]);
        ++pos_;
      }
      errno = 0;
      char* end = nullptr;
      int64_t v = std::strtoll(digits.c_str(), &end, 16);
      if (digits.empty() || errno == ERANGE) return Error(start, "invalid hex literal");
      Token t;
      t.kind = Token::kInt;
      t.int_value = v;
      t.offset = start;
      tokens_.push_back(t);
      return Status::Ok();
    }
    auto read_digits = [&] {
      while (pos_ < src_.size() && (IsDigit(src_[pos_]) || src_[pos_] == '_')) {
        if (src_[pos_] != '_') digits.push_back(src_[pos_]);
        ++pos_;
      }
    };
    read_digits();
    // "1..3" is a range, not the float "1.".
    if (pos_ < src_.size() && src_[pos_] == '.' &&
        !(pos_ + 1 < src_.size() && src_[pos_ + 1] == '.')) {
      is_float = true;
      digits.push_back(src_[pos_++]);
      read_digits();
    }
    if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
      size_t save = pos_;
      std::string save_digits = digits;
      digits.push_back('e');
      ++pos_;
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-'))
        digits.push_back(src_[pos_++]);
      if (pos_ < src_.size() && IsDigit(src_[pos_])) {
        is_float = true;
        read_digits();
      } else {
        pos_ = save;
        digits = save_digits;
      }
    }
    if (pos_ < src_.size() && IsIdentStart(src_[pos_])) {
      return Error(start,
                   fmt::format("bad number syntax: '{}'", src_.substr(start, pos_ + 1 - start)));
    }
    Token t;
    t.offset = start;
    errno = 0;
    if (is_float) {
      t.kind = Token::kFloat;
      t.float_value = std::strtod(digits.c_str(), nullptr);
    } else {
      t.kind = Token::kInt;
      t.int_value = std::strtoll(digits.c_str(), nullptr, 10);
      if (errno == ERANGE)
        return Error(start, fmt::format("integer literal out of range: {}", digits));
    }
    tokens_.push_back(t);
    return Status::Ok();
  }

  Status Quoted(char quote) {
    size_t start = pos_++;
    std::string out;
    while (true) {
      if (pos_ >= src_.size()) return Error(start, "literal not terminated");
      char c = src_[pos_++];
      if (c == quote) break;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (pos_ >= src_.size()) return Error(start, "literal not terminated");
      char e = src_[pos_++];
      switch (e) {
        case 'n':
          out.push_back('\n');
          break;
        case 't':
          out.push_back('\t');
          break;
        case 'r':
          out.push_back('\r');
          break;
        case 'a':
          out.push_back('\a');
          break;
        case 'b':
          out.push_back('\b');
          break;
        case 'f':
          out.push_back('\f');
          break;
        case 'v':
          out.push_back('\v');
          break;
        case '\\':
          out.push_back('\\');
          break;
        case '\'':
          out.push_back('\'');
          break;
        case '"':
          out.push_back('"');
          break;
        case 'x':
        case 'u':
        case 'U': {
          size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
          uint32_t cp = 0;
          for (size_t i = 0; i < n; ++i) {
            if (pos_ >= src_.size() || HexValue(src_[pos_]) < 0) {
              return Error(pos_, "invalid escape sequence in string");
            }
            cp = cp * 16 + HexValue(src_[pos_++]);
          }
          if (e == 'x') {
            out.push_back(static_cast<char>(cp));
          } else {
            if (cp > 0x10ffff) return Error(pos_, "invalid unicode escape in string");
            AppendUtf8(cp, &out);
          }
          break;
        }
        default:
          return Error(pos_ - 2, "invalid escape sequence in string");
      }
    }
    Push(Token::kString, std::move(out), start);
    return Status::Ok();
  }

  Status Raw() {
    size_t start = pos_++;
    size_t end = src_.find('`', pos_);
    if (end == std::string_view::npos) return Error(start, "literal not terminated");
    Push(Token::kString, std::string(src_.substr(pos_, end - pos_)), start);
    pos_ = end + 1;
    return Status::Ok();
  }

  void Push(Token::Kind kind, std::string text, size_t offset) {
    Token t;
    t.kind = kind;
    t.text = std::move(text);
    t.offset = offset;
    tokens_.push_back(std::move(t));
  }

  std::string_view src_;
  size_t pos_ = 0;
  std::vector<Token> tokens_;
};

}  // namespace

Result<std::vector<Token>> Lex(std::string_view source) { return Lexer(source).Run(); }

}  // namespace loom::expr
