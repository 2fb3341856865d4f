// Durable node changes per second through the store (src/store): one
// workflow of 100,000 nodes, each change an Append of one node's new state
// (~300 bytes of Argo NodeStatus JSON, built per call as the engine would),
// counted from the first Append to the return of the Sync() after the last.
// Then the same with every change synced by several threads at once (group
// commit under per-change durability), and a Get() of the whole workflow.
//
// Usage: loom_store_bench [--dir DIR] [--postgres URL] [--nodes N] [--changes N]
//   --dir       where the SQLite file goes (default: a new folder in the current one;
//               use a disk, not tmpfs, or the figures mean nothing)
//   --postgres  also run against this PostgreSQL server
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/store.h"

namespace {

using Clock = std::chrono::steady_clock;
using loom::Json;
using loom::store::NodeChange;
using loom::store::Store;

struct Options {
  std::string dir;
  std::string postgres;
  int nodes = 100000;
  int changes = 200000;
  int synced_threads = 4;
  int synced_changes = 4000;
};

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// A pod node of the foresight fleet as Argo prints it.
Json NodeJson(const std::string& workflow, int i, const char* phase) {
  std::string id = workflow + "-" + std::to_string(1000000000 + i);
  std::string airport = "airport-" + std::to_string(i % 3500);
  Json node = {
      {"id", id},
      {"name", workflow + ".train(" + std::to_string(i) + ":" + airport + ")"},
      {"displayName", "train(" + std::to_string(i) + ":" + airport + ")"},
      {"type", "Pod"},
      {"templateName", "train"},
      {"phase", phase},
      {"boundaryID", workflow},
      {"startedAt", "2026-12-02T10:00:00Z"},
      {"progress", "0/1"},
      {"hostNodeName", "localhost"},
      {"inputs", {{"parameters", Json::array({{{"name", "airport"}, {"value", airport}}})}}}};
  if (std::string(phase) == "Succeeded") {
    node["finishedAt"] = "2026-12-02T10:00:07Z";
    node["progress"] = "1/1";
    node["resourcesDuration"] = {{"cpu", 7}, {"memory", 312}};
    node["outputs"] = {{"exitCode", "0"}};
  }
  return node;
}

bool Check(const loom::Status& status, const char* what) {
  if (status.ok()) return true;
  std::fprintf(stderr, "%s: %s\n", what, status.message().c_str());
  return false;
}

// N Append calls of one change each, round-robin over the nodes, then Sync.
bool AppendPass(Store& store, const std::string& uid, const Options& options, int count,
                const char* phase, const char* label) {
  Clock::time_point start = Clock::now();
  for (int k = 0; k < count; ++k) {
    int i = k % options.nodes;
    std::vector<NodeChange> changes;
    changes.push_back({uid + "-" + std::to_string(1000000000 + i), NodeJson(uid, i, phase)});
    if (!Check(store.Append(uid, std::move(changes)), "Append")) return false;
  }
  if (!Check(store.Sync(), "Sync")) return false;
  double seconds = Seconds(start);
  std::printf("  %-34s %8d changes %8.2f s %10.0f durable changes/s\n", label, count, seconds,
              count / seconds);
  return true;
}

// Each thread appends one change and syncs it before the next.
bool SyncedPass(Store& store, const std::string& uid, const Options& options) {
  int per_thread = options.synced_changes / options.synced_threads;
  std::vector<std::thread> threads;
  std::vector<int> failures(options.synced_threads);
  Clock::time_point start = Clock::now();
  for (int t = 0; t < options.synced_threads; ++t) {
    threads.emplace_back([&, t] {
      for (int k = 0; k < per_thread; ++k) {
        int i = (t * per_thread + k) % options.nodes;
        std::vector<NodeChange> changes;
        changes.push_back(
            {uid + "-" + std::to_string(1000000000 + i), NodeJson(uid, i, "Running")});
        if (!store.Append(uid, std::move(changes)).ok() || !store.Sync().ok()) ++failures[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  double seconds = Seconds(start);
  for (int failed : failures) {
    if (failed) return Check(loom::Status::Error("a synced append failed"), "SyncedPass");
  }
  int total = per_thread * options.synced_threads;
  std::printf("  %-34s %8d changes %8.2f s %10.0f durable changes/s (%.2f ms per Sync)\n",
              (std::to_string(options.synced_threads) + " threads, Sync after each").c_str(), total,
              seconds, total / seconds, 1000 * seconds / per_thread);
  return true;
}

bool Run(const std::string& url, const Options& options) {
  std::printf("%s\n", url.c_str());
  auto opened = loom::store::Open(url);
  if (!Check(opened.status(), "Open")) return false;
  Store& store = **opened;

  std::string name = "bench-" + std::to_string(std::chrono::system_clock::now().time_since_epoch() /
                                               std::chrono::milliseconds(1));
  loom::store::WorkflowHeader header;
  header.uid = name;
  header.name = name;
  header.phase = "Running";
  if (!Check(store.Create(header), "Create")) return false;
  std::printf("  node JSON: %zu bytes\n", NodeJson(name, 12345, "Running").dump().size());

  if (!AppendPass(store, name, options, options.nodes, "Pending", "first state of every node")) {
    return false;
  }
  if (!AppendPass(store, name, options, options.changes, "Succeeded",
                  "then changes across all nodes")) {
    return false;
  }
  if (!SyncedPass(store, name, options)) return false;

  Clock::time_point start = Clock::now();
  auto got = store.Get("default", name);
  if (!Check(got.status(), "Get")) return false;
  std::printf("  %-34s %8zu nodes   %8.2f s\n", "Get() of the whole workflow",
              got->has_value() ? (*got)->nodes.size() : 0, Seconds(start));
  return Check(store.Delete(name), "Delete");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--dir") {
      options.dir = argv[i + 1];
    } else if (flag == "--postgres") {
      options.postgres = argv[i + 1];
    } else if (flag == "--nodes") {
      options.nodes = std::atoi(argv[i + 1]);
    } else if (flag == "--changes") {
      options.changes = std::atoi(argv[i + 1]);
    } else {
      std::fprintf(stderr, "unknown flag %s\n", argv[i]);
      return 2;
    }
  }
  bool own_dir = options.dir.empty();
  if (own_dir) {
    std::string pattern = (std::filesystem::current_path() / "store-bench.XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      std::perror("mkdtemp");
      return 1;
    }
    options.dir = pattern;
  }
  bool ok = Run("sqlite:" + options.dir + "/bench.db", options);
  std::error_code size_error;
  auto size = std::filesystem::file_size(options.dir + "/bench.db", size_error);
  if (!size_error) std::printf("  database file: %.1f MiB\n", size / 1048576.0);
  if (own_dir) std::filesystem::remove_all(options.dir);
  if (ok && !options.postgres.empty()) ok = Run(options.postgres, options);
  return ok ? 0 : 1;
}
