// A Thompson-NFA regular expression engine (parse, compile to a program,
// simulate all threads in lock step); see regex.h.
#include "expr/regex.h"

#include <fmt/format.h>

#include <unordered_map>

namespace loom::expr {
namespace {

constexpr int kMaxRepeat = 1000;       // Go's limit for {n,m}
constexpr size_t kMaxProgram = 20000;  // instructions, after expanding {n,m}
constexpr int kMaxDepth = 500;

struct RNode {
  enum Kind {
    kEmpty,
    kByte,
    kCat,
    kAlt,
    kStar,
    kPlus,
    kQuest,
    kBol,
    kEol,
    kBot,
    kEot,
    kWordB,
    kNotWordB
  } kind;
  std::bitset<256> bytes;
  std::vector<std::unique_ptr<RNode>> kids;
};
using RNodePtr = std::unique_ptr<RNode>;

RNodePtr Make(RNode::Kind kind) {
  auto n = std::make_unique<RNode>();
  n->kind = kind;
  return n;
}

RNodePtr Clone(const RNode& n) {
  auto c = Make(n.kind);
  c->bytes = n.bytes;
  for (const auto& k : n.kids) c->kids.push_back(Clone(*k));
  return c;
}

size_t Size(const RNode& n) {
  size_t s = 1;
  for (const auto& k : n.kids) s += Size(*k);
  return s;
}

bool IsWord(unsigned char c) { return std::isalnum(c) || c == '_'; }

struct Flags {
  bool icase = false;
  bool dotall = false;
  bool multiline = false;
};

class RegexParser {
 public:
  explicit RegexParser(std::string_view p) : p_(p) {}

  Result<RNodePtr> Run() {
    Flags flags;
    auto n = Alternation(&flags);
    if (!n.ok()) return n;
    if (pos_ < p_.size()) return Error("unexpected )");
    return n;
  }

 private:
  Status Error(std::string_view what) const {
    return Status::Error(fmt::format("error parsing regexp: {}: `{}`", what, p_));
  }

  Result<RNodePtr> Alternation(Flags* flags) {
    if (++depth_ > kMaxDepth) return Error("expression nests too deeply");
    auto first = Concatenation(flags);
    if (!first.ok()) return first;
    RNodePtr node = std::move(first).value();
    while (pos_ < p_.size() && p_[pos_] == '|') {
      ++pos_;
      auto next = Concatenation(flags);
      if (!next.ok()) return next;
      auto alt = Make(RNode::kAlt);
      alt->kids.push_back(std::move(node));
      alt->kids.push_back(std::move(next).value());
      node = std::move(alt);
    }
    --depth_;
    return node;
  }

  Result<RNodePtr> Concatenation(Flags* flags) {
    auto cat = Make(RNode::kCat);
    while (pos_ < p_.size() && p_[pos_] != '|' && p_[pos_] != ')') {
      auto atom = Atom(flags);
      if (!atom.ok()) return atom;
      if (!*atom) continue;  // a flag group such as (?i)
      auto repeated = Repetition(std::move(atom).value());
      if (!repeated.ok()) return repeated;
      cat->kids.push_back(std::move(repeated).value());
    }
    return cat;
  }

  bool IsRepeat() const {
    if (pos_ >= p_.size()) return false;
    char c = p_[pos_];
    if (c == '*' || c == '+' || c == '?') return true;
    size_t close;
    return c == '{' && ParseBraces(&close, nullptr, nullptr);
  }

  // Parses "{n}", "{n,}" or "{n,m}" at pos_ without consuming it.
  bool ParseBraces(size_t* end, int* min, int* max) const {
    size_t i = pos_ + 1;
    auto number = [&](int* out) {
      size_t start = i;
      long v = 0;
      while (i < p_.size() && std::isdigit(static_cast<unsigned char>(p_[i]))) {
        v = std::min<long>(v * 10 + (p_[i] - '0'), 100000);
        ++i;
      }
      if (out) *out = static_cast<int>(v);
      return i > start;
    };
    int lo = 0, hi = -1;
    if (!number(&lo)) return false;
    hi = lo;
    if (i < p_.size() && p_[i] == ',') {
      ++i;
      hi = -1;
      if (i < p_.size() && p_[i] != '}' && !number(&hi)) return false;
    }
    if (i >= p_.size() || p_[i] != '}') return false;
    *end = i + 1;
    if (min) *min = lo;
    if (max) *max = hi;
    return true;
  }

  Result<RNodePtr> Repetition(RNodePtr atom) {
    if (!IsRepeat()) return atom;
    char c = p_[pos_];
    RNodePtr node;
    if (c == '{') {
      size_t end;
      int min, max;
      ParseBraces(&end, &min, &max);
      pos_ = end;
      if (min > kMaxRepeat || max > kMaxRepeat || (max >= 0 && max < min))
        return Error("invalid repeat count");
      node = Make(RNode::kCat);
      for (int i = 0; i < min; ++i) node->kids.push_back(Clone(*atom));
      if (max < 0) {
        auto star = Make(RNode::kStar);
        star->kids.push_back(Clone(*atom));
        node->kids.push_back(std::move(star));
      } else {
        for (int i = min; i < max; ++i) {
          auto quest = Make(RNode::kQuest);
          quest->kids.push_back(Clone(*atom));
          node->kids.push_back(std::move(quest));
        }
      }
      if (Size(*node) > kMaxProgram) return Error("expression too large");
    } else {
      ++pos_;
      node = Make(c == '*' ? RNode::kStar : c == '+' ? RNode::kPlus : RNode::kQuest);
      node->kids.push_back(std::move(atom));
    }
    if (pos_ < p_.size() && p_[pos_] == '?') ++pos_;  // lazy: same answer for a yes/no match
    if (IsRepeat()) return Error("invalid nested repetition operator");
    return node;
  }

  RNodePtr Bytes(std::bitset<256> set, const Flags& flags) {
    if (flags.icase) {
      for (int c = 'a'; c <= 'z'; ++c) {
        if (set[c] || set[c - 32]) set.set(c).set(c - 32);
      }
    }
    auto n = Make(RNode::kByte);
    n->bytes = set;
    return n;
  }

  static std::bitset<256> Perl(char c) {
    std::bitset<256> set;
    char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (int b = 0; b < 256; ++b) {
      bool in = lower == 'd' ? (b >= '0' && b <= '9')
                : lower == 'w'
                    ? IsWord(static_cast<unsigned char>(b))
                    : (b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f' || b == '\v');
      set[b] = in;
    }
    if (std::isupper(static_cast<unsigned char>(c))) set.flip();
    return set;
  }

  // An escaped byte after '\' (pos_ at the char after the backslash).
  Result<int> EscapedByte() {
    if (pos_ >= p_.size()) return Error("trailing backslash at end of expression");
    char c = p_[pos_++];
    switch (c) {
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'a':
        return '\a';
      case 'x': {
        int v = 0;
        for (int i = 0; i < 2; ++i) {
          if (pos_ >= p_.size() || !std::isxdigit(static_cast<unsigned char>(p_[pos_]))) {
            return Error("invalid escape sequence");
          }
          char h = p_[pos_++];
          v = v * 16 +
              (std::isdigit(static_cast<unsigned char>(h)) ? h - '0' : std::tolower(h) - 'a' + 10);
        }
        return v;
      }
      default:
        if (std::isalnum(static_cast<unsigned char>(c))) return Error("invalid escape sequence");
        return static_cast<unsigned char>(c);
    }
  }

  Result<RNodePtr> Class(const Flags& flags) {
    std::bitset<256> set;
    bool negate = pos_ < p_.size() && p_[pos_] == '^';
    if (negate) ++pos_;
    bool first = true;
    while (true) {
      if (pos_ >= p_.size()) return Error("missing closing ]");
      char c = p_[pos_];
      if (c == ']' && !first) break;
      first = false;
      int lo;
      if (c == '\\' && pos_ + 1 < p_.size() &&
          std::string_view("dDwWsS").find(p_[pos_ + 1]) != std::string_view::npos) {
        set |= Perl(p_[pos_ + 1]);
        pos_ += 2;
        continue;
      }
      if (c == '[' && p_.substr(pos_, 2) == "[:") return Error("POSIX classes are not supported");
      ++pos_;
      if (c == '\\') {
        auto b = EscapedByte();
        if (!b.ok()) return b.status();
        lo = *b;
      } else {
        lo = static_cast<unsigned char>(c);
      }
      int hi = lo;
      if (pos_ + 1 < p_.size() && p_[pos_] == '-' && p_[pos_ + 1] != ']') {
        ++pos_;
        char h = p_[pos_++];
        if (h == '\\') {
          auto b = EscapedByte();
          if (!b.ok()) return b.status();
          hi = *b;
        } else {
          hi = static_cast<unsigned char>(h);
        }
        if (hi < lo) return Error("invalid character class range");
      }
      for (int b = lo; b <= hi; ++b) set.set(b);
    }
    ++pos_;  // ']'
    auto node = Bytes(set, flags);
    if (negate) node->bytes.flip();
    return node;
  }

  // One atom; nullptr for a flag-only group like "(?i)".
  Result<RNodePtr> Atom(Flags* flags) {
    char c = p_[pos_++];
    switch (c) {
      case '(':
        return Group(flags);
      case '[':
        return Class(*flags);
      case '*':
      case '+':
      case '?':
        return Error("missing argument to repetition operator");
      case '.': {
        std::bitset<256> all;
        all.set();
        if (!flags->dotall) all.reset('\n');
        return Bytes(all, *flags);
      }
      case '^':
        return Make(flags->multiline ? RNode::kBol : RNode::kBot);
      case '$':
        return Make(flags->multiline ? RNode::kEol : RNode::kEot);
      case '\\': {
        if (pos_ < p_.size()) {
          char e = p_[pos_];
          if (std::string_view("dDwWsS").find(e) != std::string_view::npos) {
            ++pos_;
            return Bytes(Perl(e), *flags);
          }
          if (e == 'b' || e == 'B' || e == 'A' || e == 'z') {
            ++pos_;
            return Make(e == 'b'   ? RNode::kWordB
                        : e == 'B' ? RNode::kNotWordB
                        : e == 'A' ? RNode::kBot
                                   : RNode::kEot);
          }
        }
        auto b = EscapedByte();
        if (!b.ok()) return b.status();
        std::bitset<256> one;
        one.set(*b);
        return Bytes(one, *flags);
      }
      default: {
        std::bitset<256> one;
        one.set(static_cast<unsigned char>(c));
        return Bytes(one, *flags);
      }
    }
  }

  Result<RNodePtr> Group(Flags* flags) {
    Flags inner = *flags;
    if (pos_ < p_.size() && p_[pos_] == '?') {
      ++pos_;
      if (pos_ < p_.size() && (p_[pos_] == 'P' || p_[pos_] == '<')) {
        // A named group: (?P<name>re) or (?<name>re).
        size_t close = p_.find('>', pos_);
        if (close == std::string_view::npos) return Error("invalid named capture");
        pos_ = close + 1;
      } else {
        bool on = true;
        while (pos_ < p_.size() && p_[pos_] != ')' && p_[pos_] != ':') {
          char f = p_[pos_++];
          if (f == '-') {
            on = false;
          } else if (f == 'i') {
            inner.icase = on;
          } else if (f == 's') {
            inner.dotall = on;
          } else if (f == 'm') {
            inner.multiline = on;
          } else if (f != 'U') {
            return Error("invalid or unsupported Perl syntax");
          }
        }
        if (pos_ >= p_.size()) return Error("missing closing )");
        if (p_[pos_++] == ')') {
          *flags = inner;  // (?i) applies to the rest of the enclosing group
          return RNodePtr();
        }
      }
    }
    auto body = Alternation(&inner);
    if (!body.ok()) return body;
    if (pos_ >= p_.size() || p_[pos_] != ')') return Error("missing closing )");
    ++pos_;
    return body;
  }

  std::string_view p_;
  size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

class RegexCompiler {
 public:
  explicit RegexCompiler(Regex* re) : re_(re) {}

  void Emit(const RNode& n) {
    auto& prog = re_->program_;
    auto at = [&] { return static_cast<int>(prog.size()); };
    switch (n.kind) {
      case RNode::kEmpty:
        return;
      case RNode::kByte: {
        // Shared: `a{1000}` needs one class, not a thousand.
        auto [it, added] = class_index_.emplace(n.bytes, static_cast<int>(re_->classes_.size()));
        if (added) re_->classes_.push_back(n.bytes);
        prog.push_back({Regex::Inst::kByte, it->second});
        return;
      }
      case RNode::kCat:
        for (const auto& k : n.kids) Emit(*k);
        return;
      case RNode::kAlt: {
        int split = at();
        prog.push_back({Regex::Inst::kSplit, split + 1, 0});
        Emit(*n.kids[0]);
        int jmp = at();
        prog.push_back({Regex::Inst::kJmp});
        prog[split].y = at();
        Emit(*n.kids[1]);
        prog[jmp].x = at();
        return;
      }
      case RNode::kStar: {
        int split = at();
        prog.push_back({Regex::Inst::kSplit, split + 1, 0});
        Emit(*n.kids[0]);
        prog.push_back({Regex::Inst::kJmp, split});
        prog[split].y = at();
        return;
      }
      case RNode::kPlus: {
        int start = at();
        Emit(*n.kids[0]);
        prog.push_back({Regex::Inst::kSplit, start, at() + 1});
        return;
      }
      case RNode::kQuest: {
        int split = at();
        prog.push_back({Regex::Inst::kSplit, split + 1, 0});
        Emit(*n.kids[0]);
        prog[split].y = at();
        return;
      }
      case RNode::kBol:
        prog.push_back({Regex::Inst::kBol});
        return;
      case RNode::kEol:
        prog.push_back({Regex::Inst::kEol});
        return;
      case RNode::kBot:
        prog.push_back({Regex::Inst::kBot});
        return;
      case RNode::kEot:
        prog.push_back({Regex::Inst::kEot});
        return;
      case RNode::kWordB:
        prog.push_back({Regex::Inst::kWordBoundary});
        return;
      case RNode::kNotWordB:
        prog.push_back({Regex::Inst::kNotWordBoundary});
        return;
    }
  }

 private:
  Regex* re_;
  std::unordered_map<std::bitset<256>, int> class_index_;
};

Result<std::shared_ptr<const Regex>> Regex::Compile(std::string_view pattern) {
  auto tree = RegexParser(pattern).Run();
  if (!tree.ok()) return tree.status();
  if (Size(**tree) > kMaxProgram)
    return Status::Error(fmt::format("error parsing regexp: expression too large: `{}`", pattern));
  auto re = std::make_shared<Regex>();
  RegexCompiler(re.get()).Emit(**tree);
  re->program_.push_back({Inst::kMatch});
  return std::shared_ptr<const Regex>(std::move(re));
}

bool Regex::Search(std::string_view text) const {
  const int n = static_cast<int>(program_.size());
  // Sparse sets of thread program counters for this step and the next.
  std::vector<int> current, next, stack;
  std::vector<int> mark(n, -1);
  current.reserve(n);
  next.reserve(n);
  // Adds pc and everything reachable from it without consuming a byte.
  auto add = [&](std::vector<int>& list, int pc, size_t pos, int generation) {
    stack.push_back(pc);
    while (!stack.empty()) {
      int p = stack.back();
      stack.pop_back();
      if (mark[p] == generation) continue;
      mark[p] = generation;
      const Inst& inst = program_[p];
      auto before = [&] { return pos > 0 ? static_cast<unsigned char>(text[pos - 1]) : 0; };
      auto after = [&] { return pos < text.size() ? static_cast<unsigned char>(text[pos]) : 0; };
      switch (inst.op) {
        case Inst::kJmp:
          stack.push_back(inst.x);
          break;
        case Inst::kSplit:
          stack.push_back(inst.y);
          stack.push_back(inst.x);
          break;
        case Inst::kBot:
          if (pos == 0) stack.push_back(p + 1);
          break;
        case Inst::kEot:
          if (pos == text.size()) stack.push_back(p + 1);
          break;
        case Inst::kBol:
          if (pos == 0 || text[pos - 1] == '\n') stack.push_back(p + 1);
          break;
        case Inst::kEol:
          if (pos == text.size() || text[pos] == '\n') stack.push_back(p + 1);
          break;
        case Inst::kWordBoundary:
        case Inst::kNotWordBoundary: {
          bool boundary = (pos > 0 && IsWord(before())) != (pos < text.size() && IsWord(after()));
          if (boundary == (inst.op == Inst::kWordBoundary)) stack.push_back(p + 1);
          break;
        }
        default:
          list.push_back(p);
          break;
      }
    }
  };
  int generation = 0;
  for (size_t pos = 0;; ++pos) {
    // Unanchored: a new thread may start at every position.
    add(current, 0, pos, generation);
    for (int pc : current) {
      if (program_[pc].op == Inst::kMatch) return true;
    }
    if (pos >= text.size()) return false;
    ++generation;
    unsigned char c = static_cast<unsigned char>(text[pos]);
    for (int pc : current) {
      const Inst& inst = program_[pc];
      if (inst.op == Inst::kByte && classes_[inst.x][c]) add(next, pc + 1, pos + 1, generation);
    }
    current.swap(next);
    next.clear();
  }
}

}  // namespace loom::expr
