// .tar.gz archives for artifacts: a small tar writer and reader on zlib's
// gzip streams. Written entries use the GNU format (long names as
// "././@LongLink" records); the reader also understands ustar prefixes and
// pax path/linkpath/size records, so archives made by GNU tar or Go work too.
#include "executor/tar_gz.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <vector>

namespace loom::executor {

namespace fs = std::filesystem;

namespace {

constexpr size_t kBlock = 512;
using Header = std::array<char, kBlock>;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

// Writes `value` as an octal field, or base-256 (GNU) when it does not fit.
void PutNumber(char* field, size_t len, uint64_t value) {
  if (value < (uint64_t{1} << (3 * (len - 1)))) {
    for (size_t i = len - 1; i-- > 0; value >>= 3) field[i] = static_cast<char>('0' + (value & 7));
    field[len - 1] = '\0';
    return;
  }
  for (size_t i = len; i-- > 1; value >>= 8) field[i] = static_cast<char>(value & 0xff);
  field[0] = static_cast<char>(0x80);
}

uint64_t GetNumber(const char* field, size_t len) {
  uint64_t value = 0;
  if (static_cast<unsigned char>(field[0]) & 0x80) {
    for (size_t i = 1; i < len; ++i) value = (value << 8) | static_cast<unsigned char>(field[i]);
    return value;
  }
  for (size_t i = 0; i < len && field[i]; ++i) {
    if (field[i] >= '0' && field[i] <= '7')
      value = (value << 3) | static_cast<uint64_t>(field[i] - '0');
  }
  return value;
}

unsigned Checksum(const Header& h) {
  unsigned sum = 0;
  for (size_t i = 0; i < kBlock; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
  }
  return sum;
}

std::string Field(const char* field, size_t len) { return std::string(field, strnlen(field, len)); }

class TarWriter {
 public:
  explicit TarWriter(gzFile out) : out_(out) {}

  Status Add(const fs::path& path, const std::string& name, bool follow) {
    struct stat st {};
    if ((follow ? stat(path.c_str(), &st) : lstat(path.c_str(), &st)) != 0) {
      return Status::Error(Errno("stat " + path.string()));
    }
    if (S_ISDIR(st.st_mode)) return Put(name + "/", '5', st, "", 0);
    if (S_ISLNK(st.st_mode)) {
      std::error_code error;
      fs::path target = fs::read_symlink(path, error);
      if (error) return Status::Error("readlink " + path.string() + ": " + error.message());
      return Put(name, '2', st, target.string(), 0);
    }
    if (!S_ISREG(st.st_mode)) return Status::Ok();  // fifos, sockets, devices: not archived
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Status::Error(Errno("open " + path.string()));
    Status status = Put(name, '0', st, "", static_cast<uint64_t>(st.st_size));
    if (status.ok()) status = CopyData(fd, static_cast<uint64_t>(st.st_size), path.string());
    close(fd);
    return status;
  }

  Status Finish() {
    std::vector<char> zeros(2 * kBlock, 0);
    return Write(zeros.data(), zeros.size());
  }

 private:
  Status Put(const std::string& name, char type, const struct stat& st, const std::string& link,
             uint64_t size) {
    if (name.size() > 99) {
      Status s = LongRecord('L', name);
      if (!s.ok()) return s;
    }
    if (link.size() > 99) {
      Status s = LongRecord('K', link);
      if (!s.ok()) return s;
    }
    Header h{};
    std::memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 100));
    PutNumber(&h[100], 8, st.st_mode & 07777);
    PutNumber(&h[108], 8, st.st_uid);
    PutNumber(&h[116], 8, st.st_gid);
    PutNumber(&h[124], 12, size);
    PutNumber(&h[136], 12, static_cast<uint64_t>(std::max<time_t>(st.st_mtime, 0)));
    h[156] = type;
    std::memcpy(&h[157], link.data(), std::min<size_t>(link.size(), 100));
    std::memcpy(&h[257], "ustar  ", 8);  // GNU magic + version
    return WriteHeader(&h);
  }

  Status LongRecord(char type, const std::string& text) {
    Header h{};
    std::strcpy(h.data(), "././@LongLink");
    PutNumber(&h[100], 8, 0644);
    PutNumber(&h[108], 8, 0);
    PutNumber(&h[116], 8, 0);
    PutNumber(&h[124], 12, text.size() + 1);
    PutNumber(&h[136], 12, 0);
    h[156] = type;
    std::memcpy(&h[257], "ustar  ", 8);
    Status s = WriteHeader(&h);
    if (!s.ok()) return s;
    std::vector<char> data(text.begin(), text.end());
    data.resize((text.size() + 1 + kBlock - 1) / kBlock * kBlock, '\0');
    return Write(data.data(), data.size());
  }

  Status WriteHeader(Header* h) {
    std::snprintf(&(*h)[148], 8, "%06o", Checksum(*h));
    (*h)[155] = ' ';
    return Write(h->data(), kBlock);
  }

  Status CopyData(int fd, uint64_t size, const std::string& path) {
    std::vector<char> buffer(1 << 16);
    uint64_t done = 0;
    while (done < size) {
      ssize_t n = read(fd, buffer.data(), std::min<uint64_t>(buffer.size(), size - done));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::Error(Errno("read " + path));
      if (n == 0) return Status::Error(path + ": file shrank while being archived");
      Status s = Write(buffer.data(), static_cast<size_t>(n));
      if (!s.ok()) return s;
      done += static_cast<uint64_t>(n);
    }
    std::vector<char> pad((kBlock - size % kBlock) % kBlock, '\0');
    return Write(pad.data(), pad.size());
  }

  Status Write(const char* data, size_t size) {
    if (size == 0) return Status::Ok();
    if (gzwrite(out_, data, static_cast<unsigned>(size)) != static_cast<int>(size)) {
      return Status::Error("gzip write failed");
    }
    return Status::Ok();
  }

  gzFile out_;
};

// Turns an entry name into a path below `dir`; empty when it must be skipped.
Result<fs::path> SafeTarget(const fs::path& dir, const std::string& name) {
  fs::path out = dir;
  bool any = false;
  for (const auto& part : fs::path(name)) {
    if (part.empty() || part == "/" || part == ".") continue;
    if (part == "..") return Result<fs::path>::Error("archive entry escapes its folder: " + name);
    out /= part;
    any = true;
  }
  return any ? out : fs::path();
}

class TarReader {
 public:
  TarReader(gzFile in, fs::path dir) : in_(in), dir_(std::move(dir)) {}

  Status ExtractAll() {
    while (true) {
      Header h{};
      int n = gzread(in_, h.data(), kBlock);
      if (n == 0) return Status::Ok();  // tolerate a missing end-of-archive marker
      if (n != static_cast<int>(kBlock)) return Status::Error("truncated or corrupt archive");
      if (std::all_of(h.begin(), h.end(), [](char c) { return c == 0; })) return Status::Ok();
      if (GetNumber(&h[148], 8) != Checksum(h)) return Status::Error("not a tar archive");
      Status s = Entry(h);
      if (!s.ok()) return s;
    }
  }

 private:
  Status Entry(const Header& h) {
    uint64_t size = GetNumber(&h[124], 12);
    char type = h[156];
    std::string name = Field(&h[0], 100);
    if (std::memcmp(&h[257], "ustar\0", 6) == 0 && h[345]) name = Field(&h[345], 155) + "/" + name;
    std::string link = Field(&h[157], 100);
    if (type == 'L' || type == 'K' || type == 'x' || type == 'g') {
      std::string data;
      Status s = ReadData(size, &data);
      if (!s.ok()) return s;
      if (type == 'L') long_name_ = data.c_str();
      if (type == 'K') long_link_ = data.c_str();
      if (type == 'x') ParsePax(data);
      return Status::Ok();
    }
    if (!long_name_.empty()) name = std::move(long_name_);
    if (!long_link_.empty()) link = std::move(long_link_);
    long_name_.clear();
    long_link_.clear();
    auto target = SafeTarget(dir_, name);
    if (!target.ok()) return target.status();
    if (target->empty()) return Skip(size);
    std::error_code error;
    fs::create_directories(target->parent_path(), error);
    mode_t mode = static_cast<mode_t>(GetNumber(&h[100], 8) & 07777);
    switch (type) {
      case '5':
        fs::create_directory(*target, error);
        if (error) return Status::Error("mkdir " + target->string() + ": " + error.message());
        chmod(target->c_str(), mode);
        return Skip(size);
      case '2':
        fs::remove(*target, error);
        if (symlink(link.c_str(), target->c_str()) != 0) {
          return Status::Error(Errno("symlink " + target->string()));
        }
        return Skip(size);
      case '1': {
        auto from = SafeTarget(dir_, link);
        if (!from.ok()) return from.status();
        fs::remove(*target, error);
        if (from->empty() || ::link(from->c_str(), target->c_str()) != 0) {
          return Status::Error(Errno("link " + target->string()));
        }
        return Skip(size);
      }
      case '0':
      case '\0':
      case '7':
        return WriteFile(*target, mode, size);
      default:
        return Skip(size);  // devices, fifos: not restored
    }
  }

  // Pax extended headers: "LEN key=value\n" records; path, linkpath matter here.
  void ParsePax(const std::string& data) {
    size_t at = 0;
    while (at < data.size()) {
      size_t space = data.find(' ', at);
      if (space == std::string::npos) return;
      size_t len = std::strtoul(data.c_str() + at, nullptr, 10);
      if (len == 0 || at + len > data.size()) return;
      std::string record = data.substr(space + 1, at + len - space - 2);
      size_t eq = record.find('=');
      if (eq != std::string::npos) {
        std::string key = record.substr(0, eq);
        if (key == "path") long_name_ = record.substr(eq + 1);
        if (key == "linkpath") long_link_ = record.substr(eq + 1);
      }
      at += len;
    }
  }

  Status WriteFile(const fs::path& target, mode_t mode, uint64_t size) {
    std::error_code error;
    fs::remove(target, error);
    int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return Status::Error(Errno("create " + target.string()));
    std::vector<char> buffer(1 << 16);
    uint64_t left = size;
    Status status;
    while (left > 0 && status.ok()) {
      unsigned want = static_cast<unsigned>(std::min<uint64_t>(buffer.size(), left));
      if (gzread(in_, buffer.data(), want) != static_cast<int>(want)) {
        status = Status::Error("truncated or corrupt archive");
      } else if (write(fd, buffer.data(), want) != static_cast<ssize_t>(want)) {
        status = Status::Error(Errno("write " + target.string()));
      }
      left -= want;
    }
    fchmod(fd, mode);
    close(fd);
    return status.ok() ? Skip(0, size) : status;
  }

  Status ReadData(uint64_t size, std::string* data) {
    data->resize(size);
    if (size && gzread(in_, data->data(), static_cast<unsigned>(size)) != static_cast<int>(size)) {
      return Status::Error("truncated or corrupt archive");
    }
    return Skip(0, size);
  }

  // Skips `size` bytes of entry data plus the padding after `consumed` bytes.
  Status Skip(uint64_t size, uint64_t consumed = 0) {
    uint64_t total = size + (kBlock - (consumed + size) % kBlock) % kBlock;
    if (total && gzseek(in_, static_cast<z_off_t>(total), SEEK_CUR) < 0) {
      return Status::Error("truncated or corrupt archive");
    }
    return Status::Ok();
  }

  gzFile in_;
  fs::path dir_;
  std::string long_name_;
  std::string long_link_;
};

}  // namespace

Status WriteTarGz(const std::string& source, const std::string& archive) {
  fs::path root = fs::path(source).lexically_normal();
  if (!root.has_filename()) root = root.parent_path();  // "/tmp/" -> "/tmp"
  std::string base = root.filename().string();
  if (base.empty()) base = "root";
  gzFile out = gzopen(archive.c_str(), "wb");
  if (!out) return Status::Error(Errno("create " + archive));
  TarWriter writer(out);
  Status status = writer.Add(root, base, /*follow=*/true);
  std::error_code error;
  if (status.ok() && fs::is_directory(root, error)) {
    for (auto it = fs::recursive_directory_iterator(root, error);
         status.ok() && !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      status = writer.Add(it->path(), base + "/" + it->path().lexically_relative(root).string(),
                          /*follow=*/false);
    }
    if (status.ok() && error) status = Status::Error("read " + source + ": " + error.message());
  }
  if (status.ok()) status = writer.Finish();
  if (gzclose(out) != Z_OK && status.ok()) status = Status::Error("write " + archive + " failed");
  return status;
}

Status ExtractTarGz(const std::string& archive, const std::string& dir) {
  std::error_code error;
  fs::create_directories(dir, error);
  if (error) return Status::Error("mkdir " + dir + ": " + error.message());
  gzFile in = gzopen(archive.c_str(), "rb");
  if (!in) return Status::Error(Errno("open " + archive));
  gzbuffer(in, 1 << 16);
  Status status = TarReader(in, dir).ExtractAll();
  gzclose(in);
  if (!status.ok()) return Status::Error(archive + ": " + status.message());
  return status;
}

}  // namespace loom::executor
