// A precedence-climbing parser for expr-lang; see parser.h.
#include "expr/parser.h"

#include <fmt/format.h>

#include <unordered_map>

#include "expr/lexer.h"
#include "expr/tree_height.h"

namespace loom::expr {
namespace {

// Deep enough for any real expression, shallow enough for the stack.
constexpr int kMaxDepth = 200;

struct BinaryOp {
  int precedence;
  bool right_assoc;
};

const BinaryOp* FindBinary(std::string_view op) {
  static const std::unordered_map<std::string_view, BinaryOp> kOps = {
      {"|", {0, false}},         {"or", {10, false}},       {"||", {10, false}},
      {"and", {15, false}},      {"&&", {15, false}},       {"==", {20, false}},
      {"!=", {20, false}},       {"<", {20, false}},        {">", {20, false}},
      {">=", {20, false}},       {"<=", {20, false}},       {"in", {20, false}},
      {"matches", {20, false}},  {"contains", {20, false}}, {"startsWith", {20, false}},
      {"endsWith", {20, false}}, {"..", {25, false}},       {"+", {30, false}},
      {"-", {30, false}},        {"*", {60, false}},        {"/", {60, false}},
      {"%", {60, false}},        {"**", {100, true}},       {"^", {100, true}},
      {"??", {500, false}},
  };
  auto it = kOps.find(op);
  return it == kOps.end() ? nullptr : &it->second;
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<NodePtr> Run() {
    auto node = Expression(0);
    if (!node.ok()) return node;
    if (Peek().kind != Token::kEnd) return Unexpected(Peek());
    return node;
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    size_t i = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[i];
  }
  bool IsOp(const Token& t, std::string_view op) const {
    return (t.kind == Token::kOperator || t.kind == Token::kIdent) && t.text == op;
  }
  bool Accept(std::string_view op) {
    if (Peek().kind == Token::kOperator && Peek().text == op) {
      ++pos_;
      return true;
    }
    return false;
  }

  Status Unexpected(const Token& t) const {
    if (t.kind == Token::kEnd) {
      return Status::Error(fmt::format("unexpected end of expression (offset {})", t.offset));
    }
    std::string text = t.kind == Token::kString ? "string literal" : fmt::format("'{}'", t.text);
    if (t.kind == Token::kInt) text = fmt::format("'{}'", t.int_value);
    if (t.kind == Token::kFloat) text = "number";
    if (t.kind == Token::kPointer) text = fmt::format("'#{}'", t.text);
    return Status::Error(fmt::format("unexpected token {} (offset {})", text, t.offset));
  }

  Status Expect(std::string_view op) {
    if (Accept(op)) return Status::Ok();
    const Token& t = Peek();
    if (t.kind == Token::kEnd) {
      return Status::Error(
          fmt::format("expected '{}' but the expression ended (offset {})", op, t.offset));
    }
    return Status::Error(fmt::format("expected '{}' but found '{}' (offset {})", op,
                                     t.kind == Token::kString ? "string" : t.text, t.offset));
  }

  static NodePtr Make(Node::Kind kind, size_t at, std::string name = "") {
    auto n = std::make_unique<Node>(kind, at);
    n->name = std::move(name);
    return n;
  }

  // The binary operator at the cursor ("not in" and friends as "not in").
  std::string PeekBinary(size_t* width) const {
    const Token& t = Peek();
    *width = 1;
    if (t.kind == Token::kIdent && t.text == "not") {
      const Token& n = Peek(1);
      if (n.kind == Token::kIdent &&
          (n.text == "in" || n.text == "matches" || n.text == "contains" ||
           n.text == "startsWith" || n.text == "endsWith")) {
        *width = 2;
        return "not " + n.text;
      }
      return "";
    }
    if (t.kind != Token::kOperator && t.kind != Token::kIdent) return "";
    return FindBinary(t.text) ? t.text : "";
  }

  Result<NodePtr> Expression(int min_precedence) {
    if (++depth_ > kMaxDepth) {
      return Status::Error(fmt::format("expression nested too deeply (offset {})", Peek().offset));
    }
    auto left = Unary();
    if (!left.ok()) return left;
    NodePtr node = std::move(left).value();
    while (true) {
      size_t width;
      std::string op = PeekBinary(&width);
      if (op.empty()) break;
      const BinaryOp* info = FindBinary(op.starts_with("not ") ? op.substr(4) : op);
      if (info->precedence < min_precedence) break;
      size_t at = Peek().offset;
      pos_ += width;
      auto right = Expression(info->right_assoc ? info->precedence : info->precedence + 1);
      if (!right.ok()) return right;
      if (op == "|") {
        auto piped = Pipe(std::move(node), std::move(right).value(), at);
        if (!piped.ok()) return piped;
        node = std::move(piped).value();
        continue;
      }
      auto bin = Make(Node::kBinary, at, op);
      bin->kids.push_back(std::move(node));
      bin->kids.push_back(std::move(right).value());
      node = std::move(bin);
    }
    if (min_precedence == 0 && Peek().kind == Token::kOperator && Peek().text == "?") {
      size_t at = Peek().offset;
      ++pos_;
      auto then = Expression(0);
      if (!then.ok()) return then;
      if (Status s = Expect(":"); !s.ok()) return s;
      auto otherwise = Expression(0);
      if (!otherwise.ok()) return otherwise;
      auto t = Make(Node::kTernary, at);
      t->kids.push_back(std::move(node));
      t->kids.push_back(std::move(then).value());
      t->kids.push_back(std::move(otherwise).value());
      node = std::move(t);
    }
    --depth_;
    return node;
  }

  // `x | f(a)` is `f(x, a)`.
  Result<NodePtr> Pipe(NodePtr left, NodePtr right, size_t at) {
    if (right->kind == Node::kIdent) {
      auto call = Make(Node::kCall, right->offset, right->name);
      call->kids.push_back(std::move(left));
      return call;
    }
    if (right->kind != Node::kCall) {
      return Status::Error(
          fmt::format("the right side of '|' must be a function call (offset {})", at));
    }
    // Written as `xs | sortBy(.n, 'desc')`, the predicate is the first
    // argument and what Call() took for one is a plain value.
    auto& args = right->kids;
    if (TakesClosure(right->name) && !args.empty() && args[0]->kind != Node::kClosure) {
      if (args.size() > 1 && args[1]->kind == Node::kClosure) args[1] = std::move(args[1]->kids[0]);
      auto closure = Make(Node::kClosure, args[0]->offset);
      closure->kids.push_back(std::move(args[0]));
      args[0] = std::move(closure);
    }
    right->kids.insert(right->kids.begin(), std::move(left));
    return right;
  }

  Result<NodePtr> Unary() {
    const Token& t = Peek();
    if ((t.kind == Token::kOperator && (t.text == "!" || t.text == "-" || t.text == "+")) ||
        (t.kind == Token::kIdent && t.text == "not")) {
      size_t at = t.offset;
      std::string op = t.text == "not" ? "!" : t.text;
      ++pos_;
      if (++depth_ > kMaxDepth) {
        return Status::Error(fmt::format("expression nested too deeply (offset {})", at));
      }
      auto operand = Expression(op == "!" ? 50 : 90);
      --depth_;
      if (!operand.ok()) return operand;
      auto n = Make(Node::kUnary, at, op);
      n->kids.push_back(std::move(operand).value());
      return n;
    }
    auto primary = Primary();
    if (!primary.ok()) return primary;
    return Postfix(std::move(primary).value());
  }

  Result<NodePtr> Primary() {
    const Token& t = Peek();
    size_t at = t.offset;
    switch (t.kind) {
      case Token::kInt: {
        auto n = Make(Node::kLiteral, at);
        n->value = t.int_value;
        ++pos_;
        return n;
      }
      case Token::kFloat: {
        auto n = Make(Node::kLiteral, at);
        n->value = t.float_value;
        ++pos_;
        return n;
      }
      case Token::kString: {
        auto n = Make(Node::kLiteral, at);
        n->value = t.text;
        ++pos_;
        return n;
      }
      case Token::kPointer: {
        ++pos_;
        return Make(Node::kPointer, at, t.text);
      }
      case Token::kIdent:
        return Identifier();
      case Token::kOperator:
        break;
      case Token::kEnd:
        return Unexpected(t);
    }
    if (Accept("(")) {
      auto inner = Expression(0);
      if (!inner.ok()) return inner;
      if (Status s = Expect(")"); !s.ok()) return s;
      return inner;
    }
    if (Accept("[")) {
      auto n = Make(Node::kArray, at);
      while (!Accept("]")) {
        auto e = Expression(0);
        if (!e.ok()) return e;
        n->kids.push_back(std::move(e).value());
        if (!Accept(",")) {
          if (Status s = Expect("]"); !s.ok()) return s;
          break;
        }
      }
      return n;
    }
    if (Accept("{")) return MapLiteral(at);
    if (t.text == "." && Peek(1).kind == Token::kIdent) {
      // `.x` inside a closure is `#.x`.
      ++pos_;
      auto member = Make(Node::kMember, at);
      member->kids.push_back(Make(Node::kPointer, at));
      auto key = Make(Node::kLiteral, Peek().offset);
      key->value = Peek().text;
      ++pos_;
      member->kids.push_back(std::move(key));
      return member;
    }
    return Unexpected(t);
  }

  Result<NodePtr> MapLiteral(size_t at) {
    auto n = Make(Node::kMap, at);
    while (!Accept("}")) {
      const Token& k = Peek();
      NodePtr key;
      if (k.kind == Token::kIdent || k.kind == Token::kString) {
        key = Make(Node::kLiteral, k.offset);
        key->value = k.text;
        ++pos_;
      } else if (k.kind == Token::kInt) {
        key = Make(Node::kLiteral, k.offset);
        key->value = std::to_string(k.int_value);
        ++pos_;
      } else if (Accept("(")) {
        auto e = Expression(0);
        if (!e.ok()) return e;
        if (Status s = Expect(")"); !s.ok()) return s;
        key = std::move(e).value();
      } else {
        return Unexpected(k);
      }
      if (Status s = Expect(":"); !s.ok()) return s;
      auto v = Expression(0);
      if (!v.ok()) return v;
      n->kids.push_back(std::move(key));
      n->kids.push_back(std::move(v).value());
      if (!Accept(",")) {
        if (Status s = Expect("}"); !s.ok()) return s;
        break;
      }
    }
    return n;
  }

  Result<NodePtr> Identifier() {
    const Token& t = Peek();
    size_t at = t.offset;
    std::string name = t.text;
    ++pos_;
    if (name == "true" || name == "false") {
      auto n = Make(Node::kLiteral, at);
      n->value = name == "true";
      return n;
    }
    if (name == "nil") return Make(Node::kLiteral, at);
    if (Peek().kind == Token::kOperator && Peek().text == "(") return Call(name, at);
    return Make(Node::kIdent, at, name);
  }

  Result<NodePtr> Call(std::string name, size_t at) {
    ++pos_;  // "("
    auto call = Make(Node::kCall, at, name);
    bool closure = TakesClosure(name);
    while (!Accept(")")) {
      // The predicate is the second argument, or the first when piped:
      // `xs | filter({# > 1})`.
      bool braced = Peek().kind == Token::kOperator && Peek().text == "{";
      bool predicate = closure && (call->kids.size() == 1 || (call->kids.empty() && braced));
      Result<NodePtr> arg = predicate ? Closure() : Expression(0);
      if (!arg.ok()) return arg;
      call->kids.push_back(std::move(arg).value());
      if (!Accept(",")) {
        if (Status s = Expect(")"); !s.ok()) return s;
        break;
      }
    }
    return call;
  }

  Result<NodePtr> Closure() {
    size_t at = Peek().offset;
    bool braced = Accept("{");
    auto body = Expression(0);
    if (!body.ok()) return body;
    if (braced) {
      if (Status s = Expect("}"); !s.ok()) return s;
    }
    auto n = Make(Node::kClosure, at);
    n->kids.push_back(std::move(body).value());
    return n;
  }

  Result<NodePtr> Postfix(NodePtr node) {
    while (true) {
      const Token& t = Peek();
      if (t.kind != Token::kOperator) return node;
      size_t at = t.offset;
      bool optional = t.text == "?.";
      if (t.text == "." || optional) {
        ++pos_;
        if (optional && Accept("[")) {
          auto indexed = Index(std::move(node), at, true);
          if (!indexed.ok()) return indexed;
          node = std::move(indexed).value();
          continue;
        }
        const Token& name = Peek();
        if (name.kind != Token::kIdent) return Unexpected(name);
        ++pos_;
        if (Peek().kind == Token::kOperator && Peek().text == "(") {
          // Only namespaced functions exist: sprig.trim(...).
          if (node->kind != Node::kIdent) {
            return Status::Error(
                fmt::format("cannot call method {} (offset {})", name.text, name.offset));
          }
          auto call = Call(node->name + "." + name.text, node->offset);
          if (!call.ok()) return call;
          node = std::move(call).value();
          continue;
        }
        auto member = Make(Node::kMember, at);
        member->optional = optional;
        member->kids.push_back(std::move(node));
        auto key = Make(Node::kLiteral, name.offset);
        key->value = name.text;
        member->kids.push_back(std::move(key));
        node = std::move(member);
        continue;
      }
      if (t.text == "[") {
        ++pos_;
        auto indexed = Index(std::move(node), at, false);
        if (!indexed.ok()) return indexed;
        node = std::move(indexed).value();
        continue;
      }
      return node;
    }
  }

  // After "[": an index `a[i]` or a slice `a[i:j]`.
  Result<NodePtr> Index(NodePtr object, size_t at, bool optional) {
    NodePtr from;
    if (!(Peek().kind == Token::kOperator && Peek().text == ":")) {
      auto e = Expression(0);
      if (!e.ok()) return e;
      from = std::move(e).value();
    }
    if (Accept(":")) {
      NodePtr to;
      if (!(Peek().kind == Token::kOperator && Peek().text == "]")) {
        auto e = Expression(0);
        if (!e.ok()) return e;
        to = std::move(e).value();
      }
      if (Status s = Expect("]"); !s.ok()) return s;
      auto slice = Make(Node::kSlice, at);
      slice->kids.push_back(std::move(object));
      slice->kids.push_back(from ? std::move(from) : Make(Node::kLiteral, at));
      slice->kids.push_back(to ? std::move(to) : Make(Node::kLiteral, at));
      return slice;
    }
    if (!from) return Unexpected(Peek());
    if (Status s = Expect("]"); !s.ok()) return s;
    auto member = Make(Node::kMember, at);
    member->optional = optional;
    member->kids.push_back(std::move(object));
    member->kids.push_back(std::move(from));
    return member;
  }

  std::vector<Token> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

bool TakesClosure(std::string_view function) {
  static const std::string_view kNames[] = {
      "filter",    "map",      "all",           "any",     "none",   "one",    "count", "find",
      "findIndex", "findLast", "findLastIndex", "groupBy", "sortBy", "reduce", "sum"};
  for (auto n : kNames) {
    if (n == function) return true;
  }
  return false;
}

Result<std::shared_ptr<const Node>> Parse(std::string_view source) {
  auto tokens = Lex(source);
  if (!tokens.ok()) return tokens.status();
  auto node = Parser(std::move(tokens).value()).Run();
  if (!node.ok()) return node.status();
  NodePtr tree = std::move(node).value();
  if (!WithinMaxHeight(*tree)) {
    DestroyFlat(std::move(tree));
    return Status::Error("expression nested too deeply");
  }
  return std::shared_ptr<const Node>(std::move(tree));
}

}  // namespace loom::expr
