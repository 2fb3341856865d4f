// JsonToYaml through yaml-cpp's Emitter. yaml-cpp writes any string that is
// a valid plain scalar without quotes and every literal block with clip
// chomping (`|`); this writer quotes what would not read back as a string
// and turns `|` into `|-` where the text has no final newline.
#include "cli/yaml_output.h"

#include <yaml-cpp/yaml.h>

#include <string_view>
#include <vector>

#include "expr/regex.h"

namespace loom::cli {

namespace {

// True when a plain scalar `text` would be read as null, a bool, a number or
// a timestamp by YAML 1.1 (go-yaml v2, which Argo uses) or 1.2 readers.
bool ReadsAsNonString(const std::string& text) {
  // Our linear-time regex: g++ 12 warns inside <regex> under the sanitizers.
  auto whole = [](const char* pattern) {
    return *expr::Regex::Compile(std::string("\\A(?:") + pattern + ")\\z");
  };
  static const auto kWords = whole(
      "~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|"
      "on|On|ON|off|Off|OFF|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)");
  static const auto kNumberOrTime = whole(
      "[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?"  // decimal, float
      "|[-+]?0(x[0-9a-fA-F_]+|o?[0-7_]+|b[01_]+)"                     // hex, octal, binary
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?"                // sexagesimal
      "|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?");                   // timestamp
  if (text.empty()) return true;
  char first = text[0];
  bool numeric_start =
      (first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.';
  if (numeric_start && kNumberOrTime->Search(text)) return true;
  return text.size() <= 5 && kWords->Search(text);
}

// True when a literal block reads back as exactly `text`: yaml-cpp writes no
// indentation indicator (so no leading blank), chomping keeps at most one
// final newline, and control characters need escapes.
bool FitsLiteralBlock(std::string_view text) {
  if (text.find('\n') == std::string_view::npos) return false;
  if (text.back() == '\n') text.remove_suffix(1);
  if (text.empty() || text.front() == ' ' || text.front() == '\t' || text.front() == '\n') {
    return false;
  }
  if (text.back() == '\n' || text.back() == ' ' || text.back() == '\t') return false;
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7f) return false;
  }
  return true;
}

class YamlWriter {
 public:
  YamlWriter() { emitter_.SetNullFormat(YAML::LowerNull); }

  void Write(const Json& value) {
    if (value.is_object()) {
      emitter_ << YAML::BeginMap;
      for (const auto& [key, item] : value.items()) {
        emitter_ << YAML::Key;
        WriteString(key, /*allow_literal=*/false);
        emitter_ << YAML::Value;
        Write(item);
      }
      emitter_ << YAML::EndMap;
    } else if (value.is_array()) {
      emitter_ << YAML::BeginSeq;
      for (const Json& item : value) Write(item);
      emitter_ << YAML::EndSeq;
    } else if (value.is_string()) {
      WriteString(value.get_ref<const std::string&>(), /*allow_literal=*/true);
    } else if (value.is_boolean()) {
      emitter_ << value.get<bool>();
    } else if (value.is_number_unsigned()) {
      emitter_ << value.get<uint64_t>();
    } else if (value.is_number_integer()) {
      emitter_ << value.get<int64_t>();
    } else if (value.is_number_float()) {
      emitter_ << value.dump();  // the shortest text that reads back as the same double
    } else {
      emitter_ << YAML::Null;
    }
  }

  std::string Text() const {
    std::string text = emitter_.c_str();
    for (auto at = strip_indicators_.rbegin(); at != strip_indicators_.rend(); ++at) {
      text.insert(*at + 1, 1, '-');
    }
    return text + "\n";
  }

 private:
  void WriteString(const std::string& text, bool allow_literal) {
    if (allow_literal && FitsLiteralBlock(text)) {
      WriteLiteral(text);
    } else if (ReadsAsNonString(text)) {
      emitter_ << YAML::DoubleQuoted << text;
    } else {
      emitter_ << text;
    }
  }

  // Writes the text without its final newline, which clip chomping (`|`)
  // restores; where there was none, the indicator becomes `|-` in Text().
  // Only indentation and ": " or "- " come between the emitter's size before
  // the scalar and its `|`, so the first `|` after it is the indicator.
  void WriteLiteral(const std::string& text) {
    bool final_newline = text.back() == '\n';
    size_t before = emitter_.size();
    emitter_ << YAML::Literal << (final_newline ? text.substr(0, text.size() - 1) : text);
    if (!final_newline) {
      strip_indicators_.push_back(std::string_view(emitter_.c_str()).find('|', before));
    }
  }

  YAML::Emitter emitter_;
  std::vector<size_t> strip_indicators_;  // offsets of `|` that become `|-`
};

}  // namespace

std::string JsonToYaml(const Json& value) {
  YamlWriter writer;
  writer.Write(value);
  return writer.Text();
}

}  // namespace loom::cli
