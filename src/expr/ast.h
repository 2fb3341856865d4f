// The parsed form of an expr-lang expression: a tree of Nodes, built by
// parser.cc and walked by evaluator.cc.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/json.h"

namespace loom::expr {

struct Node {
  enum Kind {
    kLiteral,  // value
    kArray,    // kids: elements
    kMap,      // kids: key, value, key, value...
    kIdent,    // name: a variable
    kPointer,  // name: "" for #, "index" for #index, "acc" for #acc
    kMember,   // kids: object, key; optional for ?.
    kSlice,    // kids: object, from (or null), to (or null)
    kUnary,    // name: operator; kids: operand
    kBinary,   // name: operator; kids: left, right
    kTernary,  // kids: condition, then, else
    kCall,     // name: function ("sprig.trim"); kids: arguments
    kClosure,  // kids: body, evaluated once per element
  };

  Node(Kind k, size_t at) : kind(k), offset(at) {}

  Kind kind;
  size_t offset;  // where in the source it starts, for errors
  Json value;
  std::string name;
  std::vector<std::unique_ptr<Node>> kids;
  bool optional = false;
};

using NodePtr = std::unique_ptr<Node>;

}  // namespace loom::expr
