// Input placement and output collection on the host side of a StepView.
#include "executor/artifacts.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "executor/tar_gz.h"

namespace loom::executor {

namespace fs = std::filesystem;

namespace {

constexpr auto kCopyOptions = fs::copy_options::recursive | fs::copy_options::copy_symlinks |
                              fs::copy_options::overwrite_existing;

Status Fail(const std::string& what, const std::error_code& error) {
  return Status::Error(what + ": " + error.message());
}

Status MakeParent(const fs::path& path) {
  std::error_code error;
  fs::create_directories(path.parent_path(), error);
  return error ? Fail("mkdir " + path.parent_path().string(), error) : Status::Ok();
}

// Copies a file or directory tree to `to` (replacing what is there).
Status CopyTree(const fs::path& from, const fs::path& to) {
  Status s = MakeParent(to);
  if (!s.ok()) return s;
  std::error_code error;
  if (fs::is_directory(from, error)) {
    fs::create_directories(to, error);
    if (!error) fs::copy(from, to, kCopyOptions, error);
  } else {
    fs::remove_all(to, error);
    fs::copy(from, to, kCopyOptions, error);
  }
  return error ? Fail("copy " + from.string() + " to " + to.string(), error) : Status::Ok();
}

// Argo's unpack: the archive's single top-level entry becomes `to`.
Status Unpack(const std::string& archive, const fs::path& to) {
  Status s = MakeParent(to);
  if (!s.ok()) return s;
  fs::path staging = to.string() + ".tmpdir";
  std::error_code error;
  fs::remove_all(staging, error);
  s = ExtractTarGz(archive, staging);
  std::vector<fs::path> entries;
  for (auto it = fs::directory_iterator(staging, error);
       s.ok() && !error && it != fs::directory_iterator(); it.increment(error)) {
    entries.push_back(it->path());
  }
  if (s.ok() && entries.size() != 1) {
    s = Status::Error(archive + ": expected one file or directory in the archive, found " +
                      std::to_string(entries.size()));
  }
  if (s.ok()) {
    fs::remove_all(to, error);
    fs::rename(entries[0], to, error);
    if (error) s = Fail("move to " + to.string(), error);
  }
  fs::remove_all(staging, error);
  return s;
}

Status PlaceOne(const StepView& view, const InputArtifact& in) {
  fs::path to = view.HostPath(in.path);
  Status s;
  if (in.raw_data) {
    s = MakeParent(to);
    if (s.ok()) {
      std::ofstream out(to, std::ios::binary | std::ios::trunc);
      out << *in.raw_data;
      if (!out.good()) s = Status::Error("write " + to.string() + " failed");
    }
  } else if (in.source_is_archive) {
    s = Unpack(in.source, to);
  } else {
    s = CopyTree(in.source, to);
  }
  if (s.ok() && in.mode && chmod(to.c_str(), static_cast<mode_t>(*in.mode)) != 0) {
    s = Status::Error("chmod " + to.string() + " failed");
  }
  return s;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool CollectArtifact(const StepView& view, const OutputArtifact& out) {
  fs::path from = view.HostPath(out.path);
  std::error_code error;
  if (!fs::exists(from, error)) return false;
  if (!MakeParent(out.destination).ok()) return false;
  if (out.archive) return WriteTarGz(from.string(), out.destination).ok();
  return CopyTree(from, out.destination).ok();
}

}  // namespace

Status PlaceInputs(const StepView& view, const std::vector<InputArtifact>& inputs) {
  for (const InputArtifact& in : inputs) {
    Status s = PlaceOne(view, in);
    if (!s.ok()) return Status::Error("input artifact " + in.name + ": " + s.message());
  }
  return Status::Ok();
}

void CollectOutputs(const StepView& view, const StepRequest& request, StepResult* result) {
  for (const OutputParameter& p : request.output_parameters) {
    result->parameters[p.name] = ReadFile(view.HostPath(p.path));
  }
  for (const OutputArtifact& a : request.output_artifacts) {
    result->artifacts[a.name] = CollectArtifact(view, a);
  }
}

}  // namespace loom::executor
