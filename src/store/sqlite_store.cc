// The SQLite backend's schema and SQL; the group commit and the folding
// policy are the journal store's (journal_store.h).
#include "store/sqlite_store.h"

#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "store/backend.h"
#include "store/journal_store.h"
#include "store/sqlite_db.h"

namespace loom::store {
namespace {

// The schema as steps: kMigrations[i] takes a database from PRAGMA
// user_version i to i + 1. A new database runs them all.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE workflows (
  uid TEXT NOT NULL PRIMARY KEY,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  labels TEXT NOT NULL,
  phase TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  finished_at INTEGER,
  document TEXT NOT NULL,
  status TEXT NOT NULL,
  UNIQUE (namespace, name));
CREATE INDEX workflows_by_created_at ON workflows (created_at);
CREATE TABLE journal (
  uid TEXT NOT NULL,
  seq INTEGER NOT NULL,
  node_id TEXT NOT NULL,
  node TEXT NOT NULL,
  PRIMARY KEY (uid, seq));
CREATE TABLE snapshots (
  uid TEXT NOT NULL PRIMARY KEY,
  seq INTEGER NOT NULL,
  node_count INTEGER NOT NULL);
CREATE TABLE snapshot_nodes (
  uid TEXT NOT NULL,
  node_id TEXT NOT NULL,
  node TEXT NOT NULL,
  PRIMARY KEY (uid, node_id));
)sql",
    R"sql(
CREATE TABLE objects (
  kind TEXT NOT NULL,
  namespace TEXT NOT NULL,
  name TEXT NOT NULL,
  uid TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  document TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (kind, namespace, name));
)sql",
};

constexpr int64_t kSchemaVersion = std::size(kMigrations);

constexpr const char* kHeaderColumns =
    "uid, namespace, name, labels, phase, created_at, finished_at, document, status";

// The writer's page cache: a fold rewrites a large workflow's snapshot, and
// a cache that holds it saves rereading it.
constexpr const char* kWriterCacheKiB = "-32768";

void BindHeader(SqliteStatement& statement, const HeaderRow& row) {
  statement.Bind(1, row.uid);
  statement.Bind(2, row.namespace_);
  statement.Bind(3, row.name);
  statement.Bind(4, row.labels);
  statement.Bind(5, row.phase);
  statement.Bind(6, row.created_at);
  if (row.finished_at) {
    statement.Bind(7, *row.finished_at);
  } else {
    statement.BindNull(7);
  }
  statement.Bind(8, row.document);
  statement.Bind(9, row.status);
}

// The header columns (kHeaderColumns) of the current row.
HeaderRow ReadHeader(const SqliteStatement& statement) {
  HeaderRow row;
  row.uid = statement.Text(0);
  row.namespace_ = statement.Text(1);
  row.name = statement.Text(2);
  row.labels = statement.Text(3);
  row.phase = statement.Text(4);
  row.created_at = statement.Int(5);
  if (!statement.IsNull(6)) row.finished_at = statement.Int(6);
  row.document = statement.Text(7);
  row.status = statement.Text(8);
  return row;
}

constexpr const char* kObjectColumns =
    "kind, namespace, name, uid, created_at, version, document, status";

// The object columns (kObjectColumns) of the current row.
ObjectRow ReadObject(const SqliteStatement& statement) {
  ObjectRow row;
  row.kind = statement.Text(0);
  row.namespace_ = statement.Text(1);
  row.name = statement.Text(2);
  row.uid = statement.Text(3);
  row.created_at = statement.Int(4);
  row.version = statement.Int(5);
  row.document = statement.Text(6);
  row.status = statement.Text(7);
  return row;
}

void BindObjectKey(SqliteStatement& statement, const std::string& kind,
                   const std::string& namespace_, const std::string& name) {
  statement.Bind(1, kind);
  statement.Bind(2, namespace_);
  statement.Bind(3, name);
}

// Prepares each SQL text into its slot.
Status PrepareAll(
    SqliteDb& db,
    std::initializer_list<std::pair<std::unique_ptr<SqliteStatement>*, std::string>> statements) {
  for (const auto& [slot, sql] : statements) {
    auto prepared = db.Prepare(sql);
    if (!prepared.ok()) return Status::Error(sql + ": " + prepared.error());
    *slot = std::move(*prepared);
  }
  return Status::Ok();
}

Status Migrate(SqliteDb& db) {
  if (Status s = db.Exec("BEGIN IMMEDIATE"); !s) return s;
  auto version = db.QueryInt("PRAGMA user_version");
  Status status = version.status();
  if (status.ok() && *version > kSchemaVersion) {
    status = Status::Error("the database has schema version " + std::to_string(*version) +
                           ", newer than this Loom knows (" + std::to_string(kSchemaVersion) + ")");
  } else if (status.ok() && *version < kSchemaVersion) {
    for (int64_t step = *version; status.ok() && step < kSchemaVersion; ++step) {
      status = db.Exec(kMigrations[step]);
    }
    if (status.ok()) status = db.Exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
  }
  if (status.ok()) return db.Exec("COMMIT");
  db.Exec("ROLLBACK");
  return status;
}

class SqliteWriter final : public WriteConnection {
 public:
  static Result<std::unique_ptr<SqliteWriter>> Open(const std::string& path) {
    auto db = SqliteDb::Open(path);
    if (!db.ok()) return db.status();
    // journal_mode answers with the mode it is in: a file system that cannot
    // hold a WAL's shared memory keeps the old mode.
    auto mode = (*db)->QueryText("PRAGMA journal_mode = WAL");
    if (!mode.ok()) return mode.status();
    if (*mode != "wal")
      return Status::Error("cannot use WAL mode (the journal mode is " + *mode + ")");
    if (Status s = (*db)->Exec(std::string("PRAGMA synchronous = FULL; PRAGMA cache_size = ") +
                               kWriterCacheKiB);
        !s) {
      return s;
    }
    if (Status s = Migrate(**db); !s) return s;

    auto writer = std::unique_ptr<SqliteWriter>(new SqliteWriter(std::move(*db)));
    if (Status s = writer->Prepare(); !s) return s;
    return writer;
  }

  Status Begin() override { return db_->Exec("BEGIN IMMEDIATE"); }
  Status Commit() override { return db_->Exec("COMMIT"); }
  void Rollback() override { db_->Exec("ROLLBACK"); }

  Result<InsertOutcome> InsertWorkflow(const HeaderRow& row) override {
    SqliteStatement::Use use(*insert_);
    BindHeader(*insert_, row);
    if (Status s = insert_->Run(); !s) return s;
    if (db_->changes() > 0) return InsertOutcome::kInserted;
    SqliteStatement::Use use_exists(*uid_exists_);
    uid_exists_->Bind(1, row.uid);
    auto found = uid_exists_->Step();
    if (!found.ok()) return found.status();
    return *found ? InsertOutcome::kUidTaken : InsertOutcome::kNameTaken;
  }

  Result<bool> UpdateWorkflow(const HeaderRow& row) override {
    SqliteStatement::Use use(*update_);
    BindHeader(*update_, row);
    if (Status s = update_->Run(); !s) return s;
    return db_->changes() > 0;
  }

  Result<std::optional<JournalState>> LoadJournal(const std::string& uid) override {
    SqliteStatement::Use use(*load_journal_);
    load_journal_->Bind(1, uid);
    auto found = load_journal_->Step();
    if (!found.ok()) return found.status();
    if (!*found) return std::optional<JournalState>();
    JournalState state;
    state.snapshot_nodes = load_journal_->Int(1);
    state.journal_rows = load_journal_->Int(2);
    state.last_seq = std::max(load_journal_->Int(0), load_journal_->Int(3));
    return std::optional<JournalState>(state);
  }

  Status AppendJournal(const std::string& uid, int64_t first_seq,
                       const std::vector<JournalRow>& rows) override {
    int64_t seq = first_seq;
    for (const JournalRow& row : rows) {
      SqliteStatement::Use use(*append_);
      append_->Bind(1, uid);
      append_->Bind(2, seq++);
      append_->Bind(3, row.node_id);
      append_->Bind(4, row.node);
      if (Status s = append_->Run(); !s) return s;
    }
    return Status::Ok();
  }

  Result<int64_t> Fold(const std::string& uid, int64_t upto) override {
    for (SqliteStatement* statement : {fold_nodes_.get(), fold_journal_.get()}) {
      SqliteStatement::Use use(*statement);
      statement->Bind(1, uid);
      statement->Bind(2, upto);
      if (Status s = statement->Run(); !s) return s;
    }
    SqliteStatement::Use use(*fold_snapshot_);
    fold_snapshot_->Bind(1, uid);
    fold_snapshot_->Bind(2, upto);
    auto row = fold_snapshot_->Step();
    if (!row.ok()) return row.status();
    return fold_snapshot_->Int(0);
  }

  Status DeleteWorkflow(const std::string& uid) override {
    for (SqliteStatement* statement : {delete_header_.get(), delete_journal_.get(),
                                       delete_snapshot_.get(), delete_snapshot_nodes_.get()}) {
      SqliteStatement::Use use(*statement);
      statement->Bind(1, uid);
      if (Status s = statement->Run(); !s) return s;
    }
    return Status::Ok();
  }

  Result<bool> InsertObject(const ObjectRow& row) override {
    SqliteStatement::Use use(*insert_object_);
    BindObjectKey(*insert_object_, row.kind, row.namespace_, row.name);
    insert_object_->Bind(4, row.uid);
    insert_object_->Bind(5, row.created_at);
    insert_object_->Bind(6, row.version);
    insert_object_->Bind(7, row.document);
    insert_object_->Bind(8, row.status);
    if (Status s = insert_object_->Run(); !s) return s;
    return db_->changes() > 0;
  }

  Result<ObjectWrite> UpdateObject(const ObjectRow& row,
                                   std::optional<int64_t> expected_version) override {
    {
      SqliteStatement::Use use(*update_object_);
      BindObjectKey(*update_object_, row.kind, row.namespace_, row.name);
      update_object_->Bind(4, row.document);
      update_object_->Bind(5, row.status);
      if (expected_version) {
        update_object_->Bind(6, *expected_version);
      } else {
        update_object_->BindNull(6);
      }
      if (Status s = update_object_->Run(); !s) return s;
      if (db_->changes() > 0) return ObjectWrite::kDone;
    }
    SqliteStatement::Use use(*object_exists_);
    BindObjectKey(*object_exists_, row.kind, row.namespace_, row.name);
    auto found = object_exists_->Step();
    if (!found.ok()) return found.status();
    return *found ? ObjectWrite::kConflict : ObjectWrite::kMissing;
  }

  Result<bool> DeleteObject(const std::string& kind, const std::string& namespace_,
                            const std::string& name) override {
    SqliteStatement::Use use(*delete_object_);
    BindObjectKey(*delete_object_, kind, namespace_, name);
    if (Status s = delete_object_->Run(); !s) return s;
    return db_->changes() > 0;
  }

 private:
  explicit SqliteWriter(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  Status Prepare() {
    return PrepareAll(
        *db_,
        {
            {&insert_,
             "INSERT INTO workflows (uid, namespace, name, labels, phase, created_at, "
             "finished_at, document, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
             "ON CONFLICT DO NOTHING"},
            {&uid_exists_, "SELECT 1 FROM workflows WHERE uid = ?1"},
            {&update_,
             "UPDATE workflows SET labels = ?4, phase = ?5, created_at = ?6, finished_at = ?7, "
             "document = ?8, status = ?9 WHERE uid = ?1 AND namespace = ?2 AND name = ?3"},
            {&load_journal_,
             "SELECT coalesce((SELECT seq FROM snapshots WHERE uid = ?1), 0), "
             "coalesce((SELECT node_count FROM snapshots WHERE uid = ?1), 0), "
             "(SELECT count(*) FROM journal WHERE uid = ?1), "
             "coalesce((SELECT max(seq) FROM journal WHERE uid = ?1), 0) "
             "FROM workflows WHERE uid = ?1"},
            {&append_, "INSERT INTO journal (uid, seq, node_id, node) VALUES (?1, ?2, ?3, ?4)"},
            // In node id order, so that the snapshot's pages are rewritten
            // one after another; a node's later states overwrite earlier ones.
            {&fold_nodes_,
             "INSERT INTO snapshot_nodes (uid, node_id, node) "
             "SELECT uid, node_id, node FROM journal WHERE uid = ?1 AND seq <= ?2 "
             "ORDER BY node_id, seq "
             "ON CONFLICT (uid, node_id) DO UPDATE SET node = excluded.node"},
            {&fold_journal_, "DELETE FROM journal WHERE uid = ?1 AND seq <= ?2"},
            {&fold_snapshot_,
             "INSERT INTO snapshots (uid, seq, node_count) "
             "VALUES (?1, ?2, (SELECT count(*) FROM snapshot_nodes WHERE uid = ?1)) "
             "ON CONFLICT (uid) DO UPDATE SET seq = excluded.seq, node_count = "
             "excluded.node_count RETURNING node_count"},
            {&delete_header_, "DELETE FROM workflows WHERE uid = ?1"},
            {&delete_journal_, "DELETE FROM journal WHERE uid = ?1"},
            {&delete_snapshot_, "DELETE FROM snapshots WHERE uid = ?1"},
            {&delete_snapshot_nodes_, "DELETE FROM snapshot_nodes WHERE uid = ?1"},
            {&insert_object_,
             "INSERT INTO objects (kind, namespace, name, uid, created_at, version, document, "
             "status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT DO NOTHING"},
            {&update_object_,
             "UPDATE objects SET document = ?4, status = ?5, version = version + 1 "
             "WHERE kind = ?1 AND namespace = ?2 AND name = ?3 AND (?6 IS NULL OR version = ?6)"},
            {&object_exists_,
             "SELECT 1 FROM objects WHERE kind = ?1 AND namespace = ?2 AND name = ?3"},
            {&delete_object_,
             "DELETE FROM objects WHERE kind = ?1 AND namespace = ?2 AND name = ?3"},
        });
  }

  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<SqliteStatement> insert_, uid_exists_, update_, load_journal_, append_,
      fold_nodes_, fold_journal_, fold_snapshot_, delete_header_, delete_journal_, delete_snapshot_,
      delete_snapshot_nodes_, insert_object_, update_object_, object_exists_, delete_object_;
};

class SqliteReader final : public ReadConnection {
 public:
  static Result<std::unique_ptr<ReadConnection>> Open(const std::string& path) {
    auto db = SqliteDb::Open(path);
    if (!db.ok()) return db.status();
    auto reader = std::unique_ptr<SqliteReader>(new SqliteReader(std::move(*db)));
    Status prepared = PrepareAll(
        *reader->db_,
        {
            {&reader->header_,
             "SELECT uid, namespace, name, labels, phase, created_at, "
             "finished_at, document, status FROM workflows "
             "WHERE namespace = ?1 AND name = ?2"},
            {&reader->snapshot_, "SELECT node_id, node FROM snapshot_nodes WHERE uid = ?1"},
            {&reader->journal_, "SELECT node_id, node FROM journal WHERE uid = ?1 ORDER BY seq"},
            {&reader->object_,
             std::string("SELECT ") + kObjectColumns +
                 " FROM objects WHERE kind = ?1 AND namespace = ?2 AND name = ?3"},
            {&reader->objects_, std::string("SELECT ") + kObjectColumns +
                                    " FROM objects WHERE kind = ?1 AND (?2 = '' OR namespace = ?2) "
                                    "ORDER BY name, namespace"},
        });
    if (!prepared.ok()) return prepared;
    return std::unique_ptr<ReadConnection>(std::move(reader));
  }

  Result<std::optional<HeaderRow>> Load(const std::string& namespace_, const std::string& name,
                                        const NodeSink& sink) override {
    // One read transaction: the header, snapshot and journal of one commit.
    if (Status s = db_->Exec("BEGIN"); !s) return s;
    auto loaded = LoadInTransaction(namespace_, name, sink);
    db_->Exec("COMMIT");
    return loaded;
  }

  Result<std::vector<HeaderRow>> List(const ListFilter& filter) override {
    std::string sql = std::string("SELECT ") + kHeaderColumns + " FROM workflows WHERE true";
    std::vector<std::variant<std::string_view, int64_t>> parameters;
    if (!filter.namespace_.empty()) {
      sql += " AND namespace = ?";
      parameters.emplace_back(filter.namespace_);
    }
    if (!filter.name_prefix.empty()) {
      sql += " AND instr(name, ?) = 1";
      parameters.emplace_back(filter.name_prefix);
    }
    if (!filter.phases.empty()) {
      sql += " AND phase IN (";
      for (size_t i = 0; i < filter.phases.size(); ++i) {
        sql += i ? ", ?" : "?";
        parameters.emplace_back(filter.phases[i]);
      }
      sql += ")";
    }
    for (const auto& [key, value] : filter.labels) {
      sql +=
          " AND EXISTS (SELECT 1 FROM json_each(workflows.labels) "
          "WHERE json_each.key = ? AND json_each.value = ?)";
      parameters.emplace_back(key);
      parameters.emplace_back(value);
    }
    if (filter.created_after) {
      sql += " AND created_at >= ?";
      parameters.emplace_back(*filter.created_after);
    }
    if (filter.completed) {
      sql += *filter.completed ? " AND finished_at IS NOT NULL" : " AND finished_at IS NULL";
    }
    sql += " ORDER BY created_at DESC, namespace, name";
    if (filter.limit > 0) {
      sql += " LIMIT ?";
      parameters.emplace_back(static_cast<int64_t>(filter.limit));
    }

    auto statement = db_->Prepare(sql);
    if (!statement.ok()) return statement.status();
    for (size_t i = 0; i < parameters.size(); ++i) {
      std::visit([&](auto value) { (*statement)->Bind(static_cast<int>(i + 1), value); },
                 parameters[i]);
    }
    std::vector<HeaderRow> rows;
    while (true) {
      auto row = (*statement)->Step();
      if (!row.ok()) return row.status();
      if (!*row) return rows;
      rows.push_back(ReadHeader(**statement));
    }
  }

  Result<std::optional<ObjectRow>> LoadObject(const std::string& kind,
                                              const std::string& namespace_,
                                              const std::string& name) override {
    SqliteStatement::Use use(*object_);
    BindObjectKey(*object_, kind, namespace_, name);
    auto found = object_->Step();
    if (!found.ok()) return found.status();
    if (!*found) return std::optional<ObjectRow>();
    return std::optional<ObjectRow>(ReadObject(*object_));
  }

  Result<std::vector<ObjectRow>> ListObjects(const std::string& kind,
                                             const std::string& namespace_) override {
    SqliteStatement::Use use(*objects_);
    objects_->Bind(1, kind);
    objects_->Bind(2, namespace_);
    std::vector<ObjectRow> rows;
    while (true) {
      auto row = objects_->Step();
      if (!row.ok()) return row.status();
      if (!*row) return rows;
      rows.push_back(ReadObject(*objects_));
    }
  }

  // A SQLite connection does not break; its errors are the file's.
  bool healthy() const override { return true; }

 private:
  explicit SqliteReader(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}

  Result<std::optional<HeaderRow>> LoadInTransaction(const std::string& namespace_,
                                                     const std::string& name,
                                                     const NodeSink& sink) {
    SqliteStatement::Use use_header(*header_);
    header_->Bind(1, namespace_);
    header_->Bind(2, name);
    auto found = header_->Step();
    if (!found.ok()) return found.status();
    if (!*found) return std::optional<HeaderRow>();
    HeaderRow row = ReadHeader(*header_);
    for (SqliteStatement* statement : {snapshot_.get(), journal_.get()}) {
      SqliteStatement::Use use(*statement);
      statement->Bind(1, row.uid);
      while (true) {
        auto node = statement->Step();
        if (!node.ok()) return node.status();
        if (!*node) break;
        sink(statement->Text(0), statement->Text(1));
      }
    }
    return std::optional<HeaderRow>(std::move(row));
  }

  std::unique_ptr<SqliteDb> db_;
  std::unique_ptr<SqliteStatement> header_, snapshot_, journal_, object_, objects_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path) {
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) {
    std::error_code error;
    std::filesystem::create_directories(parent, error);
    if (error)
      return Status::Error("cannot create the folder " + parent.string() + ": " + error.message());
  }
  auto writer = SqliteWriter::Open(path);
  if (!writer.ok()) return writer.status();
  Backend backend;
  backend.description = "store sqlite:" + path;
  backend.writer = std::move(*writer);
  backend.open_reader = [path] { return SqliteReader::Open(path); };
  return NewJournalStore(std::move(backend));
}

}  // namespace loom::store
