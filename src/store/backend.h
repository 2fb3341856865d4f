// What the journal store (journal_store.h) needs from a database: a writer
// connection that applies one group commit as one transaction, and reader
// connections that load what is committed. The SQLite and PostgreSQL
// backends implement these with the same schema:
//
//   workflows       one row per workflow: its header (header_row.h)
//   journal         (uid, seq, node_id, node): node changes since the snapshot
//   snapshots       (uid, seq, node_count): the seq folded up to, node count
//   snapshot_nodes  (uid, node_id, node): the latest folded state of each node
//   objects         one row per stored object (object_row.h), keyed by
//                   (kind, namespace, name)
//
// A workflow's nodes are its snapshot_nodes overlaid with its journal in seq
// order. seq numbers a workflow's changes from 1; the journal store assigns
// them (it is the only writer of a workflow's journal).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "store/header_row.h"
#include "store/object_row.h"
#include "store/store.h"

namespace loom::store {

// One node change on its way to the journal.
struct JournalRow {
  std::string node_id;
  std::string node;  // JSON text
};

// Where a workflow's journal stands, as the writer tracks it.
struct JournalState {
  int64_t last_seq = 0;        // the highest seq given out (journal or snapshot)
  int64_t journal_rows = 0;    // journal rows after the snapshot
  int64_t snapshot_nodes = 0;  // nodes in the snapshot
};

enum class InsertOutcome { kInserted, kUidTaken, kNameTaken };

// The writer's connection: used by the writer thread alone, every call but
// Begin() inside a transaction. An error from any call fails the whole
// transaction; outcomes that are the caller's mistake are values instead.
class WriteConnection {
 public:
  virtual ~WriteConnection() = default;

  virtual Status Begin() = 0;
  // Durable when it returns ok.
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  virtual Result<InsertOutcome> InsertWorkflow(const HeaderRow& row) = 0;
  // Replaces the header; false when no workflow has this uid, namespace and name.
  virtual Result<bool> UpdateWorkflow(const HeaderRow& row) = 0;
  // nullopt when there is no workflow `uid`.
  virtual Result<std::optional<JournalState>> LoadJournal(const std::string& uid) = 0;
  // Appends rows[i] with seq first_seq + i.
  virtual Status AppendJournal(const std::string& uid, int64_t first_seq,
                               const std::vector<JournalRow>& rows) = 0;
  // Moves the latest state of each node in the journal rows with seq <= upto
  // into the snapshot, drops those rows and returns the snapshot's node count.
  virtual Result<int64_t> Fold(const std::string& uid, int64_t upto) = 0;
  // Removes the workflow's header, journal and snapshot.
  virtual Status DeleteWorkflow(const std::string& uid) = 0;

  // Inserts `row` as it is (its version included); false when its kind,
  // namespace and name are taken.
  virtual Result<bool> InsertObject(const ObjectRow& row) = 0;
  // Replaces the document and status of the object that `row` names and
  // adds 1 to its version, if it exists and (when `expected_version` is set)
  // its version is that one; kMissing or kConflict otherwise.
  virtual Result<ObjectWrite> UpdateObject(const ObjectRow& row,
                                           std::optional<int64_t> expected_version) = 0;
  // False when there was no such object.
  virtual Result<bool> DeleteObject(const std::string& kind, const std::string& namespace_,
                                    const std::string& name) = 0;
};

// Called with each stored state of a workflow's nodes: the snapshot's first,
// then the journal's in seq order, so the last call for an id is its latest.
using NodeSink = std::function<void(std::string_view node_id, std::string_view node)>;

// A reader connection: used by one thread at a time; each call reads one
// committed state of the database.
class ReadConnection {
 public:
  virtual ~ReadConnection() = default;

  // The header of namespace_/name, nodes to `sink`; nullopt if there is none.
  virtual Result<std::optional<HeaderRow>> Load(const std::string& namespace_,
                                                const std::string& name, const NodeSink& sink) = 0;
  // Matching headers, newest first (ties by namespace, then name).
  virtual Result<std::vector<HeaderRow>> List(const ListFilter& filter) = 0;
  // The object `kind` namespace_/name; nullopt if there is none.
  virtual Result<std::optional<ObjectRow>> LoadObject(const std::string& kind,
                                                      const std::string& namespace_,
                                                      const std::string& name) = 0;
  // The objects of `kind` in `namespace_` ("" = all), by name (bytes), then namespace.
  virtual Result<std::vector<ObjectRow>> ListObjects(const std::string& kind,
                                                     const std::string& namespace_) = 0;
  // False once the connection is broken, so that it is not reused.
  virtual bool healthy() const = 0;
};

// An opened database, ready for a journal store.
struct Backend {
  std::string description;  // the store's URL with any password hidden, for messages
  std::unique_ptr<WriteConnection> writer;
  std::function<Result<std::unique_ptr<ReadConnection>>()> open_reader;
};

}  // namespace loom::store
