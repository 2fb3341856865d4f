// The govaluate dialect of `when:`; see govaluate.h. Parsing follows
// govaluate's precedence (lowest first): `,` `?: ??` `||` `&&` comparators
// `& | ^` `<< >>` `+ -` `* / %` `**` and prefixes; evaluation mirrors its
// type checks and error texts.
#include "expr/govaluate.h"

#include <fmt/format.h>

#include <cmath>
#include <memory>

#include "expr/govaluate_lexer.h"
#include "expr/operators.h"
#include "expr/tree_height.h"

namespace loom::expr {
namespace {

using Kind = GovaluateToken::Kind;

struct GNode {
  enum Type { kLiteral, kAccessor, kPrefix, kBinary, kList } type;
  std::string op;
  Json value;
  std::vector<std::unique_ptr<GNode>> kids;
};
using GNodePtr = std::unique_ptr<GNode>;

constexpr int kMaxDepth = 200;

class GovaluateParser {
 public:
  explicit GovaluateParser(std::vector<GovaluateToken> tokens) : tokens_(std::move(tokens)) {}

  Result<GNodePtr> Run() {
    if (tokens_.empty()) {
      auto n = std::make_unique<GNode>();
      n->type = GNode::kLiteral;
      return n;
    }
    auto n = List();
    if (n.ok() && pos_ < tokens_.size())
      return Status::Error(fmt::format("Unexpected token '{}'", tokens_[pos_].text));
    return n;
  }

 private:
  bool At(Kind kind, std::string_view text = "") const {
    return pos_ < tokens_.size() && tokens_[pos_].kind == kind &&
           (text.empty() || tokens_[pos_].text == text);
  }

  static GNodePtr Binary(std::string op, GNodePtr left, GNodePtr right) {
    auto n = std::make_unique<GNode>();
    n->type = GNode::kBinary;
    n->op = std::move(op);
    n->kids.push_back(std::move(left));
    n->kids.push_back(std::move(right));
    return n;
  }

  // `a, b, c` makes an array (govaluate's separator stage).
  Result<GNodePtr> List() {
    auto first = Level(0);
    if (!first.ok() || !At(Kind::kSeparator)) return first;
    auto list = std::make_unique<GNode>();
    list->type = GNode::kList;
    list->kids.push_back(std::move(first).value());
    while (At(Kind::kSeparator)) {
      ++pos_;
      auto next = Level(0);
      if (!next.ok()) return next;
      list->kids.push_back(std::move(next).value());
    }
    return list;
  }

  // The operators of each precedence level, lowest first.
  bool OperatorAt(int level) const {
    if (pos_ >= tokens_.size()) return false;
    const auto& t = tokens_[pos_];
    switch (level) {
      case 0:
        return t.kind == Kind::kTernary;
      case 1:
        return t.kind == Kind::kLogical && t.text == "||";
      case 2:
        return t.kind == Kind::kLogical && t.text == "&&";
      case 3:
        return t.kind == Kind::kComparator;
      case 4:
        return t.kind == Kind::kModifier && (t.text == "&" || t.text == "|" || t.text == "^");
      case 5:
        return t.kind == Kind::kModifier && (t.text == "<<" || t.text == ">>");
      case 6:
        return t.kind == Kind::kModifier && (t.text == "+" || t.text == "-");
      case 7:
        return t.kind == Kind::kModifier && (t.text == "*" || t.text == "/" || t.text == "%");
      case 8:
        return t.kind == Kind::kModifier && t.text == "**";
    }
    return false;
  }

  Result<GNodePtr> Level(int level) {
    if (level > 8) return Prefix();
    if (++depth_ > kMaxDepth) return Status::Error("expression nested too deeply");
    auto left = Level(level + 1);
    if (!left.ok()) return left;
    GNodePtr node = std::move(left).value();
    while (OperatorAt(level)) {
      std::string op = tokens_[pos_++].text;
      auto right = Level(level + 1);
      if (!right.ok()) return right;
      node = Binary(op, std::move(node), std::move(right).value());
    }
    --depth_;
    return node;
  }

  Result<GNodePtr> Prefix() {
    if (At(Kind::kPrefix)) {
      if (++depth_ > kMaxDepth) return Status::Error("expression nested too deeply");
      auto n = std::make_unique<GNode>();
      n->type = GNode::kPrefix;
      n->op = tokens_[pos_++].text;
      auto operand = Prefix();
      if (!operand.ok()) return operand;
      n->kids.push_back(std::move(operand).value());
      --depth_;
      return n;
    }
    return Value();
  }

  Result<GNodePtr> Value() {
    if (pos_ >= tokens_.size()) return Status::Error("Unexpected end of expression");
    const auto& t = tokens_[pos_++];
    auto n = std::make_unique<GNode>();
    switch (t.kind) {
      case Kind::kClause: {
        if (++depth_ > kMaxDepth) return Status::Error("expression nested too deeply");
        if (At(Kind::kClauseClose)) {
          ++pos_;
          n->type = GNode::kLiteral;
          return n;
        }
        auto inner = List();
        if (!inner.ok()) return inner;
        if (!At(Kind::kClauseClose)) return Status::Error("Unbalanced parenthesis");
        ++pos_;
        --depth_;
        return inner;
      }
      case Kind::kNumeric:
      case Kind::kBoolean:
      case Kind::kString:
        n->type = GNode::kLiteral;
        n->value = t.value;
        return n;
      case Kind::kVariable:
        // Argo turns every variable into a string literal.
        n->type = GNode::kLiteral;
        n->value = t.text;
        return n;
      case Kind::kAccessor:
        n->type = GNode::kAccessor;
        n->value = t.text;
        return n;
      default:
        return Status::Error(fmt::format("Unexpected token '{}'", t.text));
    }
  }

  std::vector<GovaluateToken> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

bool IsFloat(const Json& v) { return v.is_number(); }
double F(const Json& v) { return v.get<double>(); }

Status TypeError(const char* format_kind, const Json& value, const std::string& op) {
  std::string v = GovaluateString(value);
  std::string kind = format_kind;
  if (kind == "logical")
    return Status::Error(fmt::format(
        "Value '{}' cannot be used with the logical operator '{}', it is not a bool", v, op));
  if (kind == "modifier")
    return Status::Error(
        fmt::format("Value '{}' cannot be used with the modifier '{}', it is not a number", v, op));
  if (kind == "comparator")
    return Status::Error(fmt::format(
        "Value '{}' cannot be used with the comparator '{}', it is not a number", v, op));
  if (kind == "ternary")
    return Status::Error(fmt::format(
        "Value '{}' cannot be used with the ternary operator '{}', it is not a bool", v, op));
  return Status::Error(fmt::format("Value '{}' cannot be used with the prefix '{}'", v, op));
}

// Go's == on interface values: same dynamic type and value.
bool GoEqual(const Json& a, const Json& b) {
  if (a.is_number() && b.is_number()) return F(a) == F(b);
  if (a.type() != b.type()) return false;
  if (a.is_array()) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!GoEqual(a[i], b[i])) return false;
    }
    return true;
  }
  return a == b;
}

Result<Json> Eval(const GNode& n);

Result<Json> EvalBinary(const GNode& n) {
  const std::string& op = n.op;
  auto left = Eval(*n.kids[0]);
  if (!left.ok()) return left;
  const Json& l = *left;
  // Short circuits, as govaluate's evaluateStage applies them.
  if (op == "&&" && l == Json(false)) return Json(false);
  if (op == "||" && l == Json(true)) return Json(true);
  if (op == "??" && !l.is_null()) return l;
  if (op == ":" && !l.is_null()) return l;
  bool skip_right = op == "?" && l == Json(false);
  Json r;
  if (!skip_right) {
    auto right = Eval(*n.kids[1]);
    if (!right.ok()) return right;
    r = std::move(right).value();
  }
  if (op == "&&" || op == "||") {
    if (!l.is_boolean()) return TypeError("logical", l, op);
    if (!r.is_boolean()) return TypeError("logical", r, op);
    return r;
  }
  if (op == "?") {
    if (!l.is_boolean()) return TypeError("ternary", l, op);
    return l.get<bool>() ? r : Json();
  }
  if (op == ":" || op == "??") return r;
  if (op == "==") return Json(GoEqual(l, r));
  if (op == "!=") return Json(!GoEqual(l, r));
  if (op == ">" || op == ">=" || op == "<" || op == "<=") {
    bool strings = l.is_string() && r.is_string();
    if (!strings && !(IsFloat(l) && IsFloat(r))) return TypeError("comparator", l, op);
    int c = strings ? l.get_ref<const std::string&>().compare(r.get_ref<const std::string&>())
                    : (F(l) < F(r)   ? -1
                       : F(l) > F(r) ? 1
                                     : 0);
    if (!strings && (std::isnan(F(l)) || std::isnan(F(r)))) return Json(false);
    if (op == ">") return Json(c > 0);
    if (op == ">=") return Json(c >= 0);
    if (op == "<") return Json(c < 0);
    return Json(c <= 0);
  }
  if (op == "=~" || op == "!~") {
    if (!l.is_string()) return TypeError("comparator", l, op);
    if (!r.is_string()) return TypeError("comparator", r, op);
    auto re = CompileRegex(r.get<std::string>());
    if (!re.ok()) {
      return Status::Error(fmt::format("Unable to compile regexp pattern '{}': {}",
                                       r.get<std::string>(), re.error()));
    }
    bool match = (*re)->Search(l.get_ref<const std::string&>());
    return Json(op == "=~" ? match : !match);
  }
  if (op == "in") {
    if (!r.is_array()) return TypeError("comparator", r, op);
    for (const auto& e : r) {
      if (GoEqual(l, e)) return Json(true);
    }
    return Json(false);
  }
  if (op == "+") {
    if (l.is_string() || r.is_string()) return Json(GovaluateString(l) + GovaluateString(r));
    if (!(IsFloat(l) && IsFloat(r))) return TypeError("modifier", l, op);
    return Json(F(l) + F(r));
  }
  if (!IsFloat(l)) return TypeError("modifier", l, op);
  if (!IsFloat(r)) return TypeError("modifier", r, op);
  double x = F(l), y = F(r);
  if (op == "-") return Json(x - y);
  if (op == "*") return Json(x * y);
  if (op == "/") return Json(x / y);
  if (op == "%") return Json(std::fmod(x, y));
  if (op == "**") return Json(std::pow(x, y));
  // Go converts out-of-range floats to integers without trapping; keep them in range.
  auto to_int = [](double d) -> int64_t {
    if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return 0;
    return static_cast<int64_t>(d);
  };
  auto to_uint = [](double d) -> uint64_t {
    if (!std::isfinite(d) || d < 0 || d >= 1.8e19) return 0;
    return static_cast<uint64_t>(d);
  };
  if (op == "&") return Json(static_cast<double>(to_int(x) & to_int(y)));
  if (op == "|") return Json(static_cast<double>(to_int(x) | to_int(y)));
  if (op == "^") return Json(static_cast<double>(to_int(x) ^ to_int(y)));
  uint64_t shift = to_uint(y);
  if (op == "<<") return Json(static_cast<double>(shift >= 64 ? 0 : to_uint(x) << shift));
  if (op == ">>") return Json(static_cast<double>(shift >= 64 ? 0 : to_uint(x) >> shift));
  return Status::Error(fmt::format("Invalid token: '{}'", op));
}

Result<Json> Eval(const GNode& n) {
  switch (n.type) {
    case GNode::kLiteral:
      return n.value;
    case GNode::kAccessor: {
      std::string name = n.value.get<std::string>();
      return Status::Error(fmt::format("No parameter '{}' found.", name.substr(0, name.find('.'))));
    }
    case GNode::kList: {
      Json out = Json::array();
      for (const auto& kid : n.kids) {
        auto v = Eval(*kid);
        if (!v.ok()) return v;
        out.push_back(std::move(v).value());
      }
      return out;
    }
    case GNode::kPrefix: {
      auto v = Eval(*n.kids[0]);
      if (!v.ok()) return v;
      if (n.op == "!") {
        if (!v->is_boolean()) return TypeError("prefix", *v, n.op);
        return Json(!v->get<bool>());
      }
      if (!IsFloat(*v)) return TypeError("prefix", *v, n.op);
      if (n.op == "-") return Json(-F(*v));
      double d = F(*v);
      int64_t i = std::isfinite(d) && std::fabs(d) < 9.2e18 ? static_cast<int64_t>(d) : 0;
      return Json(static_cast<double>(~i));
    }
    case GNode::kBinary:
      return EvalBinary(n);
  }
  return Json();
}

Result<GNodePtr> ParseGovaluate(std::string_view expression) {
  auto tokens = LexGovaluate(expression);
  if (!tokens.ok()) return tokens.status();
  auto tree = GovaluateParser(std::move(tokens).value()).Run();
  if (!tree.ok()) return tree;
  if (!WithinMaxHeight(**tree)) {
    DestroyFlat(std::move(tree).value());
    return Status::Error("expression nested too deeply");
  }
  return tree;
}

}  // namespace

Result<Json> EvaluateGovaluate(std::string_view expression) {
  auto tree = ParseGovaluate(expression);
  if (!tree.ok()) return tree.status();
  return Eval(**tree);
}

Result<bool> EvaluateWhen(std::string_view expression) {
  if (expression.empty()) return true;
  auto tree = ParseGovaluate(expression);
  if (!tree.ok()) {
    std::string hint;
    if (tree.error().find("Invalid token") != std::string::npos) {
      hint = " (hint: try wrapping the affected expression in quotes (\"))";
    }
    return Status::Error(
        fmt::format("Invalid 'when' expression '{}': {}{}", expression, tree.error(), hint));
  }
  auto value = Eval(**tree);
  if (!value.ok()) {
    return Status::Error(
        fmt::format("Failed to evaluate 'when' expression '{}': {}", expression, value.error()));
  }
  if (!value->is_boolean()) {
    return Status::Error(fmt::format("Expected boolean evaluation for '{}'. Got {}", expression,
                                     GovaluateString(*value)));
  }
  return value->get<bool>();
}

}  // namespace loom::expr
