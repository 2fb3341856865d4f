// Parsing and matching of label selectors. `=`, `==` and `in` are one
// operator (the value is among the listed ones); so are `!=` and `notin`.
#include "store/label_selector.h"

#include <algorithm>
#include <cctype>

namespace loom::store {

namespace {

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  size_t end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

// Splits on commas outside parentheses: "a in (x,y),b" -> "a in (x,y)", "b".
std::vector<std::string> SplitRequirements(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  int depth = 0;
  for (char c : text) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      parts.push_back(Trim(current));
      current.clear();
    } else {
      current += c;
    }
  }
  parts.push_back(Trim(current));
  return parts;
}

std::vector<std::string> SplitValues(const std::string& list) {
  std::vector<std::string> values;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string value = Trim(list.substr(start, comma - start));
    if (!value.empty()) values.push_back(value);
    start = comma + 1;
  }
  return values;
}

bool ValidKey(const std::string& key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
           c == '/';
  });
}

}  // namespace

Result<LabelSelector> LabelSelector::Parse(const std::string& text) {
  LabelSelector selector;
  if (Trim(text).empty()) return selector;
  for (const std::string& part : SplitRequirements(text)) {
    auto fail = [&](const std::string& why) {
      return Result<LabelSelector>::Error("label selector \"" + part + "\": " + why);
    };
    Requirement requirement;
    size_t space = part.find(' ');
    if (part.empty()) return fail("empty requirement");
    if (part[0] == '!') {
      requirement.key = Trim(part.substr(1));
      requirement.op = Requirement::Op::kNotExists;
    } else if (size_t op = part.find_first_of("=!"); op != std::string::npos) {
      bool negated = part[op] == '!';
      if (negated && (op + 1 >= part.size() || part[op + 1] != '=')) return fail("expected !=");
      size_t value_start = op + 1 + (negated || (op + 1 < part.size() && part[op + 1] == '='));
      requirement.key = Trim(part.substr(0, op));
      requirement.op = negated ? Requirement::Op::kNotIn : Requirement::Op::kIn;
      requirement.values = {Trim(part.substr(value_start))};
    } else if (space != std::string::npos) {
      requirement.key = part.substr(0, space);
      std::string rest = Trim(part.substr(space));
      bool in = rest.rfind("in ", 0) == 0 || rest.rfind("in(", 0) == 0;
      bool notin = rest.rfind("notin", 0) == 0;
      if (!in && !notin) return fail("expected =, !=, in or notin after the key");
      rest = Trim(rest.substr(in ? 2 : 5));
      if (rest.size() < 2 || rest.front() != '(' || rest.back() != ')') {
        return fail("expected a parenthesised list of values");
      }
      requirement.op = in ? Requirement::Op::kIn : Requirement::Op::kNotIn;
      requirement.values = SplitValues(rest.substr(1, rest.size() - 2));
    } else {
      requirement.key = part;
    }
    if (!ValidKey(requirement.key)) return fail("\"" + requirement.key + "\" is not a label key");
    selector.requirements_.push_back(std::move(requirement));
  }
  return selector;
}

bool LabelSelector::Matches(const std::map<std::string, std::string>& labels) const {
  for (const Requirement& r : requirements_) {
    auto it = labels.find(r.key);
    bool present = it != labels.end();
    bool listed =
        present && std::find(r.values.begin(), r.values.end(), it->second) != r.values.end();
    switch (r.op) {
      case Requirement::Op::kIn:
        if (!listed) return false;
        break;
      case Requirement::Op::kNotIn:
        if (listed) return false;
        break;
      case Requirement::Op::kExists:
        if (!present) return false;
        break;
      case Requirement::Op::kNotExists:
        if (present) return false;
        break;
    }
  }
  return true;
}

std::map<std::string, std::string> LabelSelector::Equalities() const {
  std::map<std::string, std::string> equal;
  for (const Requirement& r : requirements_) {
    if (r.op == Requirement::Op::kIn && r.values.size() == 1) equal[r.key] = r.values[0];
  }
  return equal;
}

}  // namespace loom::store
