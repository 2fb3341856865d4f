// The PostgreSQL backend's schema and SQL; the group commit and the folding
// policy are the journal store's (journal_store.h).
#include "store/postgres_store.h"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/backend.h"
#include "store/journal_store.h"
#include "store/pg_conn.h"
#include "store/url.h"

namespace loom::store {
namespace {

// The schema as steps: kMigrations[i] takes a database from loom_meta's
// schema_version i (0: no loom_meta) to i + 1. A new database runs them all.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE loom_meta (
  key text PRIMARY KEY,
  value text NOT NULL);
CREATE TABLE workflows (
  uid text PRIMARY KEY,
  namespace text NOT NULL,
  name text NOT NULL,
  labels jsonb NOT NULL,
  phase text NOT NULL,
  created_at bigint NOT NULL,
  finished_at bigint,
  document jsonb NOT NULL,
  status jsonb NOT NULL,
  UNIQUE (namespace, name));
CREATE INDEX workflows_by_created_at ON workflows (created_at);
CREATE TABLE journal (
  uid text NOT NULL,
  seq bigint NOT NULL,
  node_id text NOT NULL,
  node jsonb NOT NULL,
  PRIMARY KEY (uid, seq));
CREATE TABLE snapshots (
  uid text PRIMARY KEY,
  seq bigint NOT NULL,
  node_count bigint NOT NULL);
CREATE TABLE snapshot_nodes (
  uid text NOT NULL,
  node_id text NOT NULL,
  node jsonb NOT NULL,
  PRIMARY KEY (uid, node_id));
)sql",
    R"sql(
CREATE TABLE objects (
  kind text NOT NULL,
  namespace text NOT NULL,
  name text NOT NULL,
  uid text NOT NULL,
  created_at bigint NOT NULL,
  version bigint NOT NULL,
  document jsonb NOT NULL,
  status jsonb NOT NULL,
  PRIMARY KEY (kind, namespace, name));
)sql",
};

constexpr int64_t kSchemaVersion = std::size(kMigrations);

// Serialises schema creation between processes that open a new database at
// once (CREATE TABLE IF NOT EXISTS alone races). Any fixed number will do.
constexpr const char* kSchemaLock = "SELECT pg_advisory_xact_lock(7163255245071658829)";

constexpr const char* kHeaderColumns =
    "uid, namespace, name, labels::text, phase, created_at, finished_at, document::text, "
    "status::text";

// The header columns (kHeaderColumns) of row `i`.
HeaderRow ReadHeader(const PgResult& result, int i) {
  HeaderRow row;
  row.uid = result.Text(i, 0);
  row.namespace_ = result.Text(i, 1);
  row.name = result.Text(i, 2);
  row.labels = result.Text(i, 3);
  row.phase = result.Text(i, 4);
  row.created_at = result.Int(i, 5);
  if (!result.IsNull(i, 6)) row.finished_at = result.Int(i, 6);
  row.document = result.Text(i, 7);
  row.status = result.Text(i, 8);
  return row;
}

// The columns of the object queries' rows, row `i`.
ObjectRow ReadObject(const PgResult& result, int i) {
  ObjectRow row;
  row.kind = result.Text(i, 0);
  row.namespace_ = result.Text(i, 1);
  row.name = result.Text(i, 2);
  row.uid = result.Text(i, 3);
  row.created_at = result.Int(i, 4);
  row.version = result.Int(i, 5);
  row.document = result.Text(i, 6);
  row.status = result.Text(i, 7);
  return row;
}

// The `field` of each row as a PostgreSQL array literal of quoted elements.
std::string ArrayLiteral(const std::vector<JournalRow>& rows, std::string JournalRow::*field) {
  std::string array = "{";
  for (const JournalRow& row : rows) {
    if (array.size() > 1) array += ',';
    array += '"';
    for (char c : row.*field) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  array += '}';
  return array;
}

Status PrepareAll(PgConn& conn, std::initializer_list<std::pair<const char*, const char*>> sqls) {
  for (auto [name, sql] : sqls) {
    if (Status s = conn.Prepare(name, sql); !s)
      return Status::Error(std::string(sql) + ": " + s.message());
  }
  return Status::Ok();
}

// loom_meta's schema_version; 0 when there is no loom_meta yet.
Result<int64_t> SchemaVersion(PgConn& conn) {
  auto exists = conn.Query("SELECT to_regclass('loom_meta') IS NOT NULL", {});
  if (!exists.ok()) return exists.status();
  if (exists->Text(0, 0) != "t") return 0;
  auto version = conn.Query("SELECT value::bigint FROM loom_meta WHERE key = 'schema_version'", {});
  if (!version.ok()) return version.status();
  if (version->rows() != 1) return Status::Error("loom_meta holds no schema_version");
  return version->Int(0, 0);
}

Status MigrateInTransaction(PgConn& conn) {
  if (Status s = conn.Exec(kSchemaLock); !s) return s;
  auto version = SchemaVersion(conn);
  if (!version.ok()) return version.status();
  if (*version > kSchemaVersion) {
    return Status::Error("the database has schema version " + std::to_string(*version) +
                         ", newer than this Loom knows (" + std::to_string(kSchemaVersion) + ")");
  }
  if (*version == kSchemaVersion) return Status::Ok();
  for (int64_t step = *version; step < kSchemaVersion; ++step) {
    if (Status s = conn.Exec(kMigrations[step]); !s) return s;
  }
  std::string latest = std::to_string(kSchemaVersion);
  return conn
      .Query(
          "INSERT INTO loom_meta (key, value) VALUES ('schema_version', $1) "
          "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
          {latest})
      .status();
}

Status Migrate(PgConn& conn) {
  if (Status s = conn.Exec("BEGIN"); !s) return s;
  Status status = MigrateInTransaction(conn);
  if (status.ok()) return conn.Exec("COMMIT");
  conn.Exec("ROLLBACK");
  return status;
}

class PostgresWriter final : public WriteConnection {
 public:
  static Result<std::unique_ptr<PostgresWriter>> Open(const std::string& uri) {
    auto conn = PgConn::Connect(uri);
    if (!conn.ok()) return conn.status();
    if (Status s = Migrate(**conn); !s) return s;
    Status prepared = PrepareAll(
        **conn,
        {
            {"insert",
             "INSERT INTO workflows (uid, namespace, name, labels, phase, created_at, "
             "finished_at, document, status) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, "
             "$8::jsonb, $9::jsonb) ON CONFLICT DO NOTHING"},
            {"uid_exists", "SELECT 1 FROM workflows WHERE uid = $1"},
            {"update",
             "UPDATE workflows SET labels = $4::jsonb, phase = $5, created_at = $6, "
             "finished_at = $7, document = $8::jsonb, status = $9::jsonb "
             "WHERE uid = $1 AND namespace = $2 AND name = $3"},
            {"load_journal",
             "SELECT coalesce((SELECT seq FROM snapshots WHERE uid = $1), 0), "
             "coalesce((SELECT node_count FROM snapshots WHERE uid = $1), 0), "
             "(SELECT count(*) FROM journal WHERE uid = $1), "
             "coalesce((SELECT max(seq) FROM journal WHERE uid = $1), 0) "
             "FROM workflows WHERE uid = $1"},
            // A workflow's rows of one commit in one statement: one round
            // trip, however many changes.
            {"append",
             "INSERT INTO journal (uid, seq, node_id, node) "
             "SELECT $1, $2::bigint + t.ord - 1, t.node_id, t.node::jsonb "
             "FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS t(node_id, node, ord)"},
            // ON CONFLICT may touch a row once per statement: one state per node.
            {"fold_nodes",
             "INSERT INTO snapshot_nodes (uid, node_id, node) "
             "SELECT DISTINCT ON (node_id) uid, node_id, node FROM journal "
             "WHERE uid = $1 AND seq <= $2 ORDER BY node_id, seq DESC "
             "ON CONFLICT (uid, node_id) DO UPDATE SET node = EXCLUDED.node"},
            {"fold_journal", "DELETE FROM journal WHERE uid = $1 AND seq <= $2"},
            {"fold_snapshot",
             "INSERT INTO snapshots (uid, seq, node_count) "
             "VALUES ($1, $2, (SELECT count(*) FROM snapshot_nodes WHERE uid = $1)) "
             "ON CONFLICT (uid) DO UPDATE SET seq = EXCLUDED.seq, "
             "node_count = EXCLUDED.node_count RETURNING node_count"},
            {"delete_header", "DELETE FROM workflows WHERE uid = $1"},
            {"delete_journal", "DELETE FROM journal WHERE uid = $1"},
            {"delete_snapshot", "DELETE FROM snapshots WHERE uid = $1"},
            {"delete_snapshot_nodes", "DELETE FROM snapshot_nodes WHERE uid = $1"},
            {"insert_object",
             "INSERT INTO objects (kind, namespace, name, uid, created_at, version, document, "
             "status) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb) "
             "ON CONFLICT DO NOTHING"},
            {"update_object",
             "UPDATE objects SET document = $4::jsonb, status = $5::jsonb, version = version + 1 "
             "WHERE kind = $1 AND namespace = $2 AND name = $3 "
             "AND ($6::bigint IS NULL OR version = $6::bigint)"},
            {"object_exists",
             "SELECT 1 FROM objects WHERE kind = $1 AND namespace = $2 AND name = $3"},
            {"delete_object",
             "DELETE FROM objects WHERE kind = $1 AND namespace = $2 AND name = $3"},
        });
    if (!prepared.ok()) return prepared;
    return std::unique_ptr<PostgresWriter>(new PostgresWriter(std::move(*conn)));
  }

  Status Begin() override { return conn_->Exec("BEGIN"); }
  Status Commit() override { return conn_->Exec("COMMIT"); }
  void Rollback() override { conn_->Exec("ROLLBACK"); }

  Result<InsertOutcome> InsertWorkflow(const HeaderRow& row) override {
    auto inserted = RunWithHeader("insert", row);
    if (!inserted.ok()) return inserted.status();
    if (inserted->changed() > 0) return InsertOutcome::kInserted;
    auto found = conn_->Run("uid_exists", {row.uid});
    if (!found.ok()) return found.status();
    return found->rows() > 0 ? InsertOutcome::kUidTaken : InsertOutcome::kNameTaken;
  }

  Result<bool> UpdateWorkflow(const HeaderRow& row) override {
    auto updated = RunWithHeader("update", row);
    if (!updated.ok()) return updated.status();
    return updated->changed() > 0;
  }

  Result<std::optional<JournalState>> LoadJournal(const std::string& uid) override {
    auto loaded = conn_->Run("load_journal", {uid});
    if (!loaded.ok()) return loaded.status();
    if (loaded->rows() == 0) return std::optional<JournalState>();
    JournalState state;
    state.snapshot_nodes = loaded->Int(0, 1);
    state.journal_rows = loaded->Int(0, 2);
    state.last_seq = std::max(loaded->Int(0, 0), loaded->Int(0, 3));
    return std::optional<JournalState>(state);
  }

  Status AppendJournal(const std::string& uid, int64_t first_seq,
                       const std::vector<JournalRow>& rows) override {
    std::string seq = std::to_string(first_seq);
    std::string ids = ArrayLiteral(rows, &JournalRow::node_id);
    std::string nodes = ArrayLiteral(rows, &JournalRow::node);
    return conn_->Run("append", {uid, seq, ids, nodes}).status();
  }

  Result<int64_t> Fold(const std::string& uid, int64_t upto) override {
    std::string seq = std::to_string(upto);
    for (const char* statement : {"fold_nodes", "fold_journal"}) {
      if (Status s = conn_->Run(statement, {uid, seq}).status(); !s) return s;
    }
    auto snapshot = conn_->Run("fold_snapshot", {uid, seq});
    if (!snapshot.ok()) return snapshot.status();
    return snapshot->Int(0, 0);
  }

  Status DeleteWorkflow(const std::string& uid) override {
    for (const char* statement :
         {"delete_header", "delete_journal", "delete_snapshot", "delete_snapshot_nodes"}) {
      if (Status s = conn_->Run(statement, {uid}).status(); !s) return s;
    }
    return Status::Ok();
  }

  Result<bool> InsertObject(const ObjectRow& row) override {
    std::string created_at = std::to_string(row.created_at);
    std::string version = std::to_string(row.version);
    auto inserted = conn_->Run("insert_object", {row.kind, row.namespace_, row.name, row.uid,
                                                 created_at, version, row.document, row.status});
    if (!inserted.ok()) return inserted.status();
    return inserted->changed() > 0;
  }

  Result<ObjectWrite> UpdateObject(const ObjectRow& row,
                                   std::optional<int64_t> expected_version) override {
    std::string expected = expected_version ? std::to_string(*expected_version) : "";
    PgParam version = expected_version ? PgParam(expected) : PgParam(nullptr);
    auto updated = conn_->Run(
        "update_object", {row.kind, row.namespace_, row.name, row.document, row.status, version});
    if (!updated.ok()) return updated.status();
    if (updated->changed() > 0) return ObjectWrite::kDone;
    auto found = conn_->Run("object_exists", {row.kind, row.namespace_, row.name});
    if (!found.ok()) return found.status();
    return found->rows() > 0 ? ObjectWrite::kConflict : ObjectWrite::kMissing;
  }

  Result<bool> DeleteObject(const std::string& kind, const std::string& namespace_,
                            const std::string& name) override {
    auto deleted = conn_->Run("delete_object", {kind, namespace_, name});
    if (!deleted.ok()) return deleted.status();
    return deleted->changed() > 0;
  }

 private:
  explicit PostgresWriter(std::unique_ptr<PgConn> conn) : conn_(std::move(conn)) {}

  Result<PgResult> RunWithHeader(const char* statement, const HeaderRow& row) {
    std::string created_at = std::to_string(row.created_at);
    std::string finished_at = row.finished_at ? std::to_string(*row.finished_at) : "";
    PgParam finished = row.finished_at ? PgParam(finished_at) : PgParam(nullptr);
    return conn_->Run(statement, {row.uid, row.namespace_, row.name, row.labels, row.phase,
                                  created_at, finished, row.document, row.status});
  }

  std::unique_ptr<PgConn> conn_;
};

class PostgresReader final : public ReadConnection {
 public:
  static Result<std::unique_ptr<ReadConnection>> Open(const std::string& uri) {
    auto conn = PgConn::Connect(uri);
    if (!conn.ok()) return conn.status();
    Status prepared = PrepareAll(
        **conn,
        {
            {"header",
             "SELECT uid, namespace, name, labels::text, phase, created_at, "
             "finished_at, document::text, status::text FROM workflows "
             "WHERE namespace = $1 AND name = $2"},
            {"snapshot", "SELECT node_id, node::text FROM snapshot_nodes WHERE uid = $1"},
            {"journal", "SELECT node_id, node::text FROM journal WHERE uid = $1 ORDER BY seq"},
            {"object",
             "SELECT kind, namespace, name, uid, created_at, version, document::text, "
             "status::text FROM objects WHERE kind = $1 AND namespace = $2 AND name = $3"},
            // Byte order, as SQLite sorts, whatever the database's collation.
            {"objects",
             "SELECT kind, namespace, name, uid, created_at, version, document::text, "
             "status::text FROM objects WHERE kind = $1 AND ($2 = '' OR namespace = $2) "
             "ORDER BY name COLLATE \"C\", namespace COLLATE \"C\""},
        });
    if (!prepared.ok()) return prepared;
    return std::unique_ptr<ReadConnection>(new PostgresReader(std::move(*conn)));
  }

  Result<std::optional<HeaderRow>> Load(const std::string& namespace_, const std::string& name,
                                        const NodeSink& sink) override {
    // One snapshot of the database for the header, snapshot and journal.
    if (Status s = conn_->Exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s) return s;
    auto loaded = LoadInTransaction(namespace_, name, sink);
    conn_->Exec("COMMIT");
    return loaded;
  }

  Result<std::vector<HeaderRow>> List(const ListFilter& filter) override {
    std::string sql = std::string("SELECT ") + kHeaderColumns + " FROM workflows WHERE true";
    std::vector<std::string> texts;  // the parameters, $1 first
    auto parameter = [&](std::string value) {
      texts.push_back(std::move(value));
      return "$" + std::to_string(texts.size());
    };
    if (!filter.namespace_.empty()) sql += " AND namespace = " + parameter(filter.namespace_);
    if (!filter.name_prefix.empty()) {
      sql += " AND starts_with(name, " + parameter(filter.name_prefix) + ")";
    }
    if (!filter.phases.empty()) {
      sql += " AND phase IN (";
      for (size_t i = 0; i < filter.phases.size(); ++i) {
        sql += (i ? ", " : "") + parameter(filter.phases[i]);
      }
      sql += ")";
    }
    if (!filter.labels.empty()) {
      sql += " AND labels @> " + parameter(DumpJson(Json(filter.labels))) + "::jsonb";
    }
    if (filter.created_after) {
      sql += " AND created_at >= " + parameter(std::to_string(*filter.created_after));
    }
    if (filter.completed) {
      sql += *filter.completed ? " AND finished_at IS NOT NULL" : " AND finished_at IS NULL";
    }
    // Byte order on ties, as SQLite sorts, whatever the database's collation.
    sql += " ORDER BY created_at DESC, namespace COLLATE \"C\", name COLLATE \"C\"";
    if (filter.limit > 0) sql += " LIMIT " + parameter(std::to_string(filter.limit));

    std::vector<PgParam> params(texts.begin(), texts.end());
    auto result = conn_->Query(sql, params);
    if (!result.ok()) return result.status();
    std::vector<HeaderRow> rows;
    rows.reserve(result->rows());
    for (int i = 0; i < result->rows(); ++i) rows.push_back(ReadHeader(*result, i));
    return rows;
  }

  Result<std::optional<ObjectRow>> LoadObject(const std::string& kind,
                                              const std::string& namespace_,
                                              const std::string& name) override {
    auto found = conn_->Run("object", {kind, namespace_, name});
    if (!found.ok()) return found.status();
    if (found->rows() == 0) return std::optional<ObjectRow>();
    return std::optional<ObjectRow>(ReadObject(*found, 0));
  }

  Result<std::vector<ObjectRow>> ListObjects(const std::string& kind,
                                             const std::string& namespace_) override {
    auto found = conn_->Run("objects", {kind, namespace_});
    if (!found.ok()) return found.status();
    std::vector<ObjectRow> rows;
    rows.reserve(found->rows());
    for (int i = 0; i < found->rows(); ++i) rows.push_back(ReadObject(*found, i));
    return rows;
  }

  bool healthy() const override { return conn_->healthy(); }

 private:
  explicit PostgresReader(std::unique_ptr<PgConn> conn) : conn_(std::move(conn)) {}

  Result<std::optional<HeaderRow>> LoadInTransaction(const std::string& namespace_,
                                                     const std::string& name,
                                                     const NodeSink& sink) {
    auto header = conn_->Run("header", {namespace_, name});
    if (!header.ok()) return header.status();
    if (header->rows() == 0) return std::optional<HeaderRow>();
    HeaderRow row = ReadHeader(*header, 0);
    for (const char* statement : {"snapshot", "journal"}) {
      auto nodes = conn_->Run(statement, {row.uid});
      if (!nodes.ok()) return nodes.status();
      for (int i = 0; i < nodes->rows(); ++i) sink(nodes->Text(i, 0), nodes->Text(i, 1));
    }
    return std::optional<HeaderRow>(std::move(row));
  }

  std::unique_ptr<PgConn> conn_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const std::string& uri) {
  auto writer = PostgresWriter::Open(uri);
  if (!writer.ok()) return Status::Error(RedactPassword(writer.error(), uri));
  Backend backend;
  backend.description = "store " + RedactUrl(uri);
  backend.writer = std::move(*writer);
  backend.open_reader = [uri]() -> Result<std::unique_ptr<ReadConnection>> {
    auto reader = PostgresReader::Open(uri);
    if (!reader.ok()) return Status::Error(RedactPassword(reader.error(), uri));
    return reader;
  };
  return NewJournalStore(std::move(backend));
}

}  // namespace loom::store
