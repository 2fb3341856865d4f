// Runs the expression fuzz target without libFuzzer (for g++ builds and
// CTest): over a built-in set of hostile inputs, then over each file named on
// the command line. A crash, hang or escaped exception fails the test.
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

std::vector<std::string> NastyInputs() {
  std::vector<std::string> inputs = {
      "",
      "{{",
      "}}",
      "{{}}",
      "{{=}}",
      "{{ }}",
      "{{=1 +}}",
      "{{{{{{",
      "{{a{{b}}",
      "{{=a{{b}}}}",
      "{{=inputs.parameters.x}}",
      "{{=jsonpath(inputs.parameters.json, '$..b')}}",
      "{{item.os}}",
      "'",
      "\"",
      "`",
      "\\",
      "'\\u",
      "'\\x4",
      "'\\U0011ffff'",
      "0x",
      "0xffffffffffffffffff",
      "99999999999999999999",
      "1e99999",
      "1..1000000000",
      "-9223372036854775807 - 2",
      "9223372036854775807 + 1",
      "-9223372036854775807 - 1",
      "(-9223372036854775807 - 1) % -1",
      "1 % 0",
      "1 / 0",
      "2 ** 1e308",
      "[1][-9223372036854775807]",
      "'a'[1:-9999999999]",
      "filter(",
      "filter([1], {",
      "map(1..3, {map(1..3, {#})})",
      "#",
      "#index",
      ".x",
      "?.",
      "a?.[",
      "nil.x",
      "nil?.x.y",
      "{a: 1}.a.b",
      "x ?? y ?? z",
      "not",
      "not in",
      "a not",
      "len()",
      "sprig.",
      "sprig.repeat(999999999, 'x')",
      "repeat('x', 99999999999)",
      "'a' matches '(a*)*b'",
      "'a' matches '('",
      "sprig.substr(-5, 99, 'abc')",
      "sprig.trunc(-99, 'abc')",
      "int(1e300)",
      "asInt(1e300)",
      "fromBase64('===')",
      "toJSON(1..3)",
      "reduce([], {#acc})",
      "sortBy([1, 'a'], {#})",
      "a == ",
      "(((",
      ")))",
      "[",
      "]",
      "a ==-1",
      "0x",
      "1.2.3",
      "~",
      "!",
      "-",
      "? :",
      "??",
      "1 ? 2",
      "true ? 1",
      "(1, 2) in 1",
      "1 in (1, 2)",
      "'a' =~ '['",
      "1 << 999",
      "-1 >> 2",
      "~1e300",
      "A &&",
      "A.",
      "A.Succeeded ||",
      "!(",
      "(A",
      "a-b.Failed && !c_d",
      "A.Nope",
      "---",
  };
  inputs.push_back(std::string(3000, '('));
  inputs.push_back(std::string(3000, '!') + "true");
  inputs.push_back(std::string(3000, '-') + "1");
  std::string chain = "1";
  for (int i = 0; i < 4000; ++i) chain += "+1";
  inputs.push_back(chain);
  std::string tags;
  for (int i = 0; i < 2000; ++i) tags += "{{inputs.parameters.x}}";
  inputs.push_back(tags);
  inputs.push_back(std::string("a\0b == a\0b", 11));
  inputs.push_back("\xff\xfe{{=\xc3}}");
  return inputs;
}

}  // namespace

int main(int argc, char** argv) {
  size_t runs = 0;
  for (const auto& input : NastyInputs()) {
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(input.data()), input.size());
    ++runs;
  }
  for (int i = 1; i < argc; ++i) {
    std::ifstream file(argv[i], std::ios::binary);
    if (!file) {
      std::fprintf(stderr, "cannot read %s\n", argv[i]);
      return 1;
    }
    std::string data((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(data.data()), data.size());
    ++runs;
  }
  std::printf("replayed %zu inputs\n", runs);
  return 0;
}
