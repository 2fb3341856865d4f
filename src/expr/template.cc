// `{{...}}` substitution, following Argo's template replacement
// (workflow/util/template): a tag runs from `{{` to the next `}}`; its text,
// trimmed, is a variable name or, after `=`, an expr-lang expression.
#include "expr/template.h"

#include <fmt/format.h>

#include "expr/evaluator.h"
#include "expr/go_format.h"

namespace loom::expr {
namespace {

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

void AppendValue(const Json& value, std::string* out) {
  if (value.is_string()) {
    *out += value.get_ref<const std::string&>();
  } else {
    *out += GoJson(value);
  }
}

// Calls fn(tag) for each `{{tag}}` and fn_text(text) for the text between.
template <typename TagFn, typename TextFn>
Status ForEachTag(std::string_view text, TagFn on_tag, TextFn on_text) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    size_t close = open == std::string_view::npos ? open : text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      on_text(text.substr(pos));
      break;
    }
    on_text(text.substr(pos, open - pos));
    if (Status s = on_tag(text.substr(open + 2, close - open - 2)); !s.ok()) return s;
    pos = close + 2;
  }
  return Status::Ok();
}

Status Expression(std::string_view tag, std::string_view source, const Scope& scope,
                  Unresolved unresolved, std::string* out) {
  bool keep = unresolved == Unresolved::kKeep;
  // As Argo does: these exist only once exit handlers run, and a map lookup
  // of an absent key would otherwise quietly yield nil too early.
  for (std::string_view late : {"workflow.status", "workflow.failures", "retries"}) {
    if (keep && source.find(late) != std::string_view::npos && scope.Find(late) == nullptr) {
      *out += fmt::format("{{{{{}}}}}", tag);
      return Status::Ok();
    }
  }
  bool missing = false;
  auto value = EvaluateExpression(source, scope, &missing);
  if (!value.ok()) {
    if (keep && missing) {
      *out += fmt::format("{{{{{}}}}}", tag);
      return Status::Ok();
    }
    return Status::Error(
        fmt::format("failed to evaluate expression '{}': {}", source, value.error()));
  }
  if (value->is_null()) {
    if (keep) {
      *out += fmt::format("{{{{{}}}}}", tag);
      return Status::Ok();
    }
    return Status::Error(
        fmt::format("failed to evaluate expression '{}': the result is nil", source));
  }
  AppendValue(*value, out);
  return Status::Ok();
}

Status Simple(std::string_view tag, const Scope& scope, Unresolved unresolved, std::string* out) {
  if (const Json* value = scope.Find(Trim(tag))) {
    AppendValue(*value, out);
    return Status::Ok();
  }
  // "{{a{{b}}": the tag is "a{{b"; if "b" resolves, only it was a tag.
  size_t nested = tag.rfind("{{");
  if (nested != std::string_view::npos) {
    const Json* value = scope.Find(Trim(tag.substr(nested + 2)));
    if (value != nullptr) {
      *out += "{{";
      *out += tag.substr(0, nested);
      AppendValue(*value, out);
      return Status::Ok();
    }
  }
  if (unresolved == Unresolved::kKeep) {
    *out += fmt::format("{{{{{}}}}}", tag);
    return Status::Ok();
  }
  return Status::Error(fmt::format("failed to resolve {{{{{}}}}}", tag));
}

}  // namespace

Result<std::string> Substitute(std::string_view text, const Scope& scope, Unresolved unresolved) {
  std::string out;
  out.reserve(text.size());
  Status s = ForEachTag(
      text,
      [&](std::string_view tag) {
        std::string_view trimmed = Trim(tag);
        if (trimmed.starts_with("="))
          return Expression(tag, trimmed.substr(1), scope, unresolved, &out);
        return Simple(tag, scope, unresolved, &out);
      },
      [&](std::string_view plain) { out += plain; });
  if (!s.ok()) return s;
  return out;
}

bool HasTags(std::string_view text) {
  size_t open = text.find("{{");
  return open != std::string_view::npos && text.find("}}", open + 2) != std::string_view::npos;
}

std::vector<std::string> SimpleTagNames(std::string_view text) {
  std::vector<std::string> names;
  ForEachTag(
      text,
      [&](std::string_view tag) {
        size_t nested = tag.rfind("{{");
        std::string_view name =
            Trim(nested == std::string_view::npos ? tag : tag.substr(nested + 2));
        if (!name.empty() && !name.starts_with("=")) names.emplace_back(name);
        return Status::Ok();
      },
      [](std::string_view) {});
  return names;
}

std::string SoleTagName(std::string_view text) {
  if (!text.starts_with("{{") || !text.ends_with("}}") || text.size() < 4) return "";
  std::string_view inner = text.substr(2, text.size() - 4);
  if (inner.find("}}") != std::string_view::npos || inner.find("{{") != std::string_view::npos)
    return "";
  std::string_view name = Trim(inner);
  if (name.empty() || name.starts_with("=")) return "";
  return std::string(name);
}

}  // namespace loom::expr
