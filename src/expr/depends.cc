// Argo's enhanced depends logic (docs/enhanced-depends-logic.md); see
// depends.h. Grammar: or := and ('||' and)*; and := not ('&&' not)*;
// not := '!' not | '(' or ')' | TASK ('.' RESULT)?.
#include "expr/depends.h"

#include <fmt/format.h>

namespace loom::expr {

struct DependsExpression::Node {
  enum Kind { kTask, kNot, kAnd, kOr } kind;
  size_t task = 0;     // index into tasks_ for kTask
  std::string result;  // "" for a bare task name
  std::vector<std::shared_ptr<const Node>> kids;
};

namespace {

using NodePtr = std::shared_ptr<const DependsExpression::Node>;
using DNode = DependsExpression::Node;

constexpr int kMaxDepth = 200;

bool IsNameStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool IsNameChar(char c) { return IsNameStart(c) || c == '-' || c == '_'; }

class DependsParser {
 public:
  DependsParser(std::string_view src, std::vector<std::string>* tasks) : src_(src), tasks_(tasks) {}

  Result<NodePtr> Run() {
    auto node = Or();
    if (!node.ok()) return node;
    Skip();
    if (pos_ < src_.size()) return Unexpected();
    return node;
  }

 private:
  void Skip() {
    while (pos_ < src_.size() &&
           (src_[pos_] == ' ' || src_[pos_] == '\t' || src_[pos_] == '\n' || src_[pos_] == '\r')) {
      ++pos_;
    }
  }

  Status Unexpected() {
    if (pos_ >= src_.size()) {
      return Status::Error(
          fmt::format("invalid depends '{}': unexpected end at offset {}", src_, pos_));
    }
    size_t end = pos_ + 1;
    while (end < src_.size() && IsNameStart(src_[pos_]) && IsNameChar(src_[end])) ++end;
    return Status::Error(fmt::format("invalid depends '{}': unexpected '{}' at offset {}", src_,
                                     src_.substr(pos_, end - pos_), pos_));
  }

  bool Accept(std::string_view op) {
    Skip();
    if (src_.substr(pos_, op.size()) != op) return false;
    pos_ += op.size();
    return true;
  }

  Result<NodePtr> Binary(DNode::Kind kind, std::string_view op) {
    auto first = kind == DNode::kOr ? Binary(DNode::kAnd, "&&") : Not();
    if (!first.ok() || !Accept(op)) return first;
    auto node = std::make_shared<DNode>();
    node->kind = kind;
    node->kids.push_back(std::move(first).value());
    do {
      auto next = kind == DNode::kOr ? Binary(DNode::kAnd, "&&") : Not();
      if (!next.ok()) return next;
      node->kids.push_back(std::move(next).value());
    } while (Accept(op));
    return NodePtr(node);
  }

  Result<NodePtr> Or() {
    if (++depth_ > kMaxDepth)
      return Status::Error(fmt::format("invalid depends '{}': nested too deeply", src_));
    auto node = Binary(DNode::kOr, "||");
    --depth_;
    return node;
  }

  Result<NodePtr> Not() {
    Skip();
    if (Accept("!")) {
      if (++depth_ > kMaxDepth)
        return Status::Error(fmt::format("invalid depends '{}': nested too deeply", src_));
      auto operand = Not();
      --depth_;
      if (!operand.ok()) return operand;
      auto node = std::make_shared<DNode>();
      node->kind = DNode::kNot;
      node->kids.push_back(std::move(operand).value());
      return NodePtr(node);
    }
    if (Accept("(")) {
      auto inner = Or();
      if (!inner.ok()) return inner;
      Skip();
      if (!Accept(")")) return Unexpected();
      return inner;
    }
    return Task();
  }

  Result<NodePtr> Task() {
    Skip();
    if (pos_ >= src_.size() || !IsNameStart(src_[pos_])) return Unexpected();
    size_t start = pos_;
    while (pos_ < src_.size() && IsNameChar(src_[pos_])) ++pos_;
    std::string name(src_.substr(start, pos_ - start));
    auto node = std::make_shared<DNode>();
    node->kind = DNode::kTask;
    if (pos_ < src_.size() && src_[pos_] == '.') {
      size_t at = ++pos_;
      while (pos_ < src_.size() && IsNameChar(src_[pos_])) ++pos_;
      node->result = std::string(src_.substr(at, pos_ - at));
      static const char* kResults[] = {"Succeeded", "Failed",   "Errored",      "Skipped",
                                       "Omitted",   "Daemoned", "AnySucceeded", "AllFailed"};
      bool known = false;
      for (const char* r : kResults) known = known || node->result == r;
      if (!known) {
        return Status::Error(fmt::format(
            "invalid depends '{}': unknown task result '{}' at offset {} (want one of "
            "Succeeded, Failed, Errored, Skipped, Omitted, Daemoned, AnySucceeded, AllFailed)",
            src_, node->result, at));
      }
    }
    size_t index = 0;
    while (index < tasks_->size() && (*tasks_)[index] != name) ++index;
    if (index == tasks_->size()) tasks_->push_back(name);
    node->task = index;
    return NodePtr(node);
  }

  std::string_view src_;
  std::vector<std::string>* tasks_;
  size_t pos_ = 0;
  int depth_ = 0;
};

bool ResultHolds(const TaskResults& r, const std::string& result) {
  if (result.empty()) return r.succeeded || r.skipped || r.daemoned;
  if (result == "Succeeded") return r.succeeded;
  if (result == "Failed") return r.failed;
  if (result == "Errored") return r.errored;
  if (result == "Skipped") return r.skipped;
  if (result == "Omitted") return r.omitted;
  if (result == "Daemoned") return r.daemoned;
  if (result == "AnySucceeded") return r.any_succeeded;
  return r.all_failed;
}

bool Holds(const DNode& node, const std::vector<TaskResults>& results) {
  switch (node.kind) {
    case DNode::kTask:
      return ResultHolds(results[node.task], node.result);
    case DNode::kNot:
      return !Holds(*node.kids[0], results);
    case DNode::kAnd:
      for (const auto& kid : node.kids) {
        if (!Holds(*kid, results)) return false;
      }
      return true;
    case DNode::kOr:
      for (const auto& kid : node.kids) {
        if (Holds(*kid, results)) return true;
      }
      return false;
  }
  return false;
}

}  // namespace

Result<DependsExpression> DependsExpression::Parse(std::string_view source) {
  DependsExpression expression;
  auto root = DependsParser(source, &expression.tasks_).Run();
  if (!root.ok()) return root.status();
  expression.root_ = std::move(root).value();
  return expression;
}

bool DependsExpression::Evaluate(
    const std::function<TaskResults(const std::string& task)>& results) const {
  if (!root_) return true;
  std::vector<TaskResults> known;
  known.reserve(tasks_.size());
  for (const auto& task : tasks_) known.push_back(results(task));
  return Holds(*root_, known);
}

}  // namespace loom::expr
