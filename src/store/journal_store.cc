// The shared Store: callers queue writes, one writer thread commits each
// batch of them in one transaction; see journal_store.h.
#include "store/journal_store.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <iterator>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/reader_pool.h"

namespace loom::store {
namespace {

// A workflow's journal is folded when it holds more rows than this...
constexpr int64_t kMinFoldRows = 1024;
// ...and more than this many times the nodes of its snapshot, so that the
// cost of a fold (reading the journal, rewriting the changed nodes, counting
// the snapshot) is at most a small constant per appended change.
constexpr int64_t kFoldFactor = 2;

// Writers wait when this much is queued and not yet taken by the writer,
// which bounds memory when callers outrun the disk.
constexpr size_t kMaxQueuedBytes = size_t{64} << 20;

// The writer forgets the journal states it tracks beyond this many
// workflows (reloading one costs one query), so a long-lived store does not
// grow with every workflow it has ever written.
constexpr size_t kMaxTrackedJournals = 10000;

// Sync() reports at most this many dropped changes in detail.
constexpr size_t kMaxComplaints = 10;

// A write waiting for the writer thread.
struct Op {
  enum class Kind {
    kCreate,
    kUpdate,
    kAppend,
    kDelete,
    kReplace,
    kCreateObject,
    kUpdateObject,
    kDeleteObject
  };
  Kind kind;
  HeaderRow header;                         // kCreate, kUpdate, kReplace (the new one)
  std::string uid;                          // kAppend, kDelete, kReplace (the new one)
  std::string old_uid;                      // kReplace
  std::vector<JournalRow> rows;             // kAppend, kReplace
  ObjectRow object;                         // k*Object (kDeleteObject: its key alone)
  std::optional<int64_t> expected_version;  // kUpdateObject
  // Read by the caller waiting for it: kCreate, kDelete, kReplace and k*Object...
  Status* outcome = nullptr;
  ObjectWrite* written = nullptr;  // ...and k*Object

  size_t bytes() const {
    size_t n = sizeof(Op) + uid.size() + old_uid.size() + header.labels.size() +
               header.document.size() + header.status.size() + object.document.size() +
               object.status.size();
    for (const JournalRow& row : rows) n += sizeof(row) + row.node_id.size() + row.node.size();
    return n;
  }
};

class JournalStore final : public Store {
 public:
  explicit JournalStore(Backend backend)
      : description_(std::move(backend.description)),
        writer_(std::move(backend.writer)),
        readers_(std::move(backend.open_reader)),
        thread_([this] { WriterLoop(); }) {}

  ~JournalStore() override {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    work_.notify_one();
    thread_.join();
  }

  Status Create(const WorkflowHeader& header) override {
    if (Status s = CheckHeader("Create", header); !s) return s;
    Op op{.kind = Op::Kind::kCreate, .header = EncodeHeader(header)};
    return EnqueueAndWait(std::move(op));
  }

  Status UpdateHeader(const WorkflowHeader& header) override {
    if (Status s = CheckHeader("UpdateHeader", header); !s) return s;
    return Enqueue(Op{.kind = Op::Kind::kUpdate, .header = EncodeHeader(header)});
  }

  Status Append(const std::string& uid, std::vector<NodeChange> changes) override {
    if (uid.empty()) return Status::Error("Append: the workflow uid is empty");
    if (changes.empty()) return Status::Ok();
    auto op = AppendOp(uid, std::move(changes));
    if (!op.ok()) return op.status();
    return Enqueue(std::move(*op));
  }

  Status Sync() override {
    std::unique_lock lock(mu_);
    uint64_t ticket = enqueued_;
    done_.wait(lock, [&] { return committed_ >= ticket; });
    if (!failed_.ok()) return failed_;
    if (complaints_.empty()) return Status::Ok();
    std::string message = description_ + ":";
    for (const std::string& complaint : complaints_) message += " " + complaint + ";";
    if (unlisted_complaints_ > 0) {
      message += " and " + std::to_string(unlisted_complaints_) + " more;";
    }
    message.pop_back();
    complaints_.clear();
    unlisted_complaints_ = 0;
    return Status::Error(message);
  }

  Result<std::optional<StoredWorkflow>> Get(const std::string& namespace_,
                                            const std::string& name) override {
    auto connection = readers_.Take();
    if (!connection.ok()) return Failed("reading " + namespace_ + "/" + name, connection.status());
    // The latest text of each node; superseded states are never parsed.
    std::unordered_map<std::string, std::string> latest;
    auto row =
        (*connection)->Load(namespace_, name, [&](std::string_view id, std::string_view node) {
          latest[std::string(id)].assign(node);
        });
    readers_.Give(std::move(*connection));
    if (!row.ok()) return Failed("reading " + namespace_ + "/" + name, row.status());
    if (!row->has_value()) return std::optional<StoredWorkflow>();

    StoredWorkflow workflow;
    auto header = DecodeHeader(std::move(**row));
    if (!header.ok()) return Failed("reading " + namespace_ + "/" + name, header.status());
    workflow.header = std::move(*header);
    for (auto& [id, text] : latest) {
      auto node = ParseJson(text, "node " + id);
      if (!node.ok()) return Failed("reading " + namespace_ + "/" + name, node.status());
      workflow.nodes.emplace(id, std::move(*node));
    }
    return std::optional<StoredWorkflow>(std::move(workflow));
  }

  Result<std::vector<WorkflowHeader>> List(const ListFilter& filter) override {
    auto connection = readers_.Take();
    if (!connection.ok()) return Failed("listing workflows", connection.status());
    auto rows = (*connection)->List(filter);
    readers_.Give(std::move(*connection));
    if (!rows.ok()) return Failed("listing workflows", rows.status());
    std::vector<WorkflowHeader> headers;
    headers.reserve(rows->size());
    for (HeaderRow& row : *rows) {
      auto header = DecodeHeader(std::move(row));
      if (!header.ok()) return Failed("listing workflows", header.status());
      headers.push_back(std::move(*header));
    }
    return headers;
  }

  Status Delete(const std::string& uid) override {
    if (uid.empty()) return Status::Error("Delete: the workflow uid is empty");
    return EnqueueAndWait(Op{.kind = Op::Kind::kDelete, .uid = uid});
  }

  Status Replace(const std::string& old_uid, const WorkflowHeader& header,
                 std::vector<NodeChange> nodes) override {
    if (old_uid.empty()) return Status::Error("Replace: the old workflow uid is empty");
    if (Status s = CheckHeader("Replace", header); !s) return s;
    auto op = AppendOp(header.uid, std::move(nodes));
    if (!op.ok()) return op.status();
    op->kind = Op::Kind::kReplace;
    op->old_uid = old_uid;
    op->header = EncodeHeader(header);
    return EnqueueAndWait(std::move(*op));
  }

  Result<ObjectWrite> CreateObject(const StoredObject& object) override {
    if (Status s = CheckObject("CreateObject", object.kind, object.name); !s) return s;
    if (object.uid.empty()) return Status::Error("CreateObject: the object uid is empty");
    Op op{.kind = Op::Kind::kCreateObject, .object = EncodeObject(object)};
    op.object.version = 1;
    return EnqueueObjectAndWait(std::move(op));
  }

  Result<ObjectWrite> UpdateObject(const StoredObject& object,
                                   std::optional<int64_t> expected_version) override {
    if (Status s = CheckObject("UpdateObject", object.kind, object.name); !s) return s;
    return EnqueueObjectAndWait(Op{.kind = Op::Kind::kUpdateObject,
                                   .object = EncodeObject(object),
                                   .expected_version = expected_version});
  }

  Result<std::optional<StoredObject>> GetObject(const std::string& kind,
                                                const std::string& namespace_,
                                                const std::string& name) override {
    std::string doing = "reading " + kind + " " + namespace_ + "/" + name;
    auto connection = readers_.Take();
    if (!connection.ok()) return Failed(doing, connection.status());
    auto row = (*connection)->LoadObject(kind, namespace_, name);
    readers_.Give(std::move(*connection));
    if (!row.ok()) return Failed(doing, row.status());
    if (!row->has_value()) return std::optional<StoredObject>();
    auto object = DecodeObject(std::move(**row));
    if (!object.ok()) return Failed(doing, object.status());
    return std::optional<StoredObject>(std::move(*object));
  }

  Result<std::vector<StoredObject>> ListObjects(const std::string& kind,
                                                const std::string& namespace_) override {
    std::string doing = "listing " + kind + " objects";
    auto connection = readers_.Take();
    if (!connection.ok()) return Failed(doing, connection.status());
    auto rows = (*connection)->ListObjects(kind, namespace_);
    readers_.Give(std::move(*connection));
    if (!rows.ok()) return Failed(doing, rows.status());
    std::vector<StoredObject> objects;
    objects.reserve(rows->size());
    for (ObjectRow& row : *rows) {
      auto object = DecodeObject(std::move(row));
      if (!object.ok()) return Failed(doing, object.status());
      objects.push_back(std::move(*object));
    }
    return objects;
  }

  Result<ObjectWrite> DeleteObject(const std::string& kind, const std::string& namespace_,
                                   const std::string& name) override {
    if (Status s = CheckObject("DeleteObject", kind, name); !s) return s;
    Op op{.kind = Op::Kind::kDeleteObject};
    op.object.kind = kind;
    op.object.namespace_ = namespace_;
    op.object.name = name;
    return EnqueueObjectAndWait(std::move(op));
  }

 private:
  static Status CheckObject(const char* call, const std::string& kind, const std::string& name) {
    if (kind.empty() || name.empty()) {
      return Status::Error(std::string(call) + ": an object needs a kind and a name");
    }
    return Status::Ok();
  }

  static Status CheckHeader(const char* call, const WorkflowHeader& header) {
    if (header.uid.empty()) return Status::Error(std::string(call) + ": the workflow uid is empty");
    if (header.namespace_.empty() || header.name.empty()) {
      return Status::Error(std::string(call) + ": workflow " + header.uid +
                           " needs a namespace and a name");
    }
    return Status::Ok();
  }

  Status Failed(const std::string& doing, const Status& why) const {
    return Status::Error(description_ + ": " + doing + ": " + why.message());
  }

  static Result<Op> AppendOp(const std::string& uid, std::vector<NodeChange> changes) {
    Op op{.kind = Op::Kind::kAppend, .uid = uid};
    op.rows.reserve(changes.size());
    for (NodeChange& change : changes) {
      if (change.node_id.empty()) return Status::Error("Append: a node id is empty");
      op.rows.push_back({std::move(change.node_id), DumpJson(change.node)});
    }
    return op;
  }

  // Queues `op`; the sticky error instead if there is one.
  Status Enqueue(Op op) {
    std::unique_lock lock(mu_);
    return EnqueueLocked(lock, std::move(op)).status();
  }

  // Queues `op` and waits until the writer has committed it.
  Status EnqueueAndWait(Op op) {
    Status outcome;
    op.outcome = &outcome;
    std::unique_lock lock(mu_);
    auto ticket = EnqueueLocked(lock, std::move(op));
    if (!ticket.ok()) return ticket.status();
    done_.wait(lock, [&] { return committed_ >= *ticket; });
    return outcome;
  }

  // Queues an object write and waits until the writer has committed it.
  Result<ObjectWrite> EnqueueObjectAndWait(Op op) {
    ObjectWrite written = ObjectWrite::kDone;
    op.written = &written;
    if (Status s = EnqueueAndWait(std::move(op)); !s) return s;
    return written;
  }

  Result<uint64_t> EnqueueLocked(std::unique_lock<std::mutex>& lock, Op op) {
    size_t bytes = op.bytes();
    room_.wait(lock, [&] { return queued_bytes_ < kMaxQueuedBytes || !failed_.ok(); });
    if (!failed_.ok()) return failed_;
    queued_bytes_ += bytes;
    queue_.push_back(std::move(op));
    work_.notify_one();
    return ++enqueued_;
  }

  void WriterLoop() {
    std::unique_lock lock(mu_);
    while (true) {
      work_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything is committed
      std::vector<Op> batch;
      batch.swap(queue_);
      uint64_t last = enqueued_;
      queued_bytes_ = 0;
      Status failed = failed_;
      room_.notify_all();
      lock.unlock();

      std::vector<std::string> complaints;
      Status status = failed.ok() ? Commit(batch, complaints) : failed;
      if (!status.ok()) {
        for (Op& op : batch) {
          if (op.outcome) *op.outcome = status;
        }
      }

      lock.lock();
      if (!status.ok()) {
        failed_ = status;
        room_.notify_all();
      }
      for (std::string& complaint : complaints) {
        if (complaints_.size() < kMaxComplaints) {
          complaints_.push_back(std::move(complaint));
        } else {
          ++unlisted_complaints_;
        }
      }
      committed_ = last;
      done_.notify_all();
    }
  }

  // The writer thread's work from here on: one batch, one transaction.
  Status Commit(std::vector<Op>& batch, std::vector<std::string>& complaints) {
    if (journals_.size() > kMaxTrackedJournals) journals_.clear();
    Status status = writer_->Begin();
    if (status.ok()) status = Apply(batch, complaints);
    if (status.ok()) status = writer_->Commit();
    if (status.ok()) return status;
    writer_->Rollback();
    journals_.clear();
    return Failed("commit failed, the last writes are lost; reopen the store", status);
  }

  Status Apply(std::vector<Op>& batch, std::vector<std::string>& complaints) {
    // Appends are gathered per workflow so that the backend writes each
    // workflow's rows in one go; only Create and Delete must see the appends
    // queued before them, so those flush what is gathered.
    std::unordered_map<std::string, std::vector<JournalRow>> appends;
    for (Op& op : batch) {
      switch (op.kind) {
        case Op::Kind::kAppend: {
          std::vector<JournalRow>& rows = appends[op.uid];
          if (rows.empty()) {
            rows = std::move(op.rows);
          } else {
            std::move(op.rows.begin(), op.rows.end(), std::back_inserter(rows));
          }
          break;
        }
        case Op::Kind::kUpdate: {
          auto updated = writer_->UpdateWorkflow(op.header);
          if (!updated.ok()) return updated.status();
          if (!*updated) {
            complaints.push_back("UpdateHeader: no workflow " + op.header.namespace_ + "/" +
                                 op.header.name + " with uid " + op.header.uid +
                                 ", header dropped");
          }
          break;
        }
        case Op::Kind::kCreate: {
          if (Status s = FlushAppends(appends, complaints); !s) return s;
          auto inserted = writer_->InsertWorkflow(op.header);
          if (!inserted.ok()) return inserted.status();
          *op.outcome = CreateOutcome(*inserted, op.header);
          break;
        }
        case Op::Kind::kDelete: {
          if (Status s = FlushAppends(appends, complaints); !s) return s;
          if (Status s = writer_->DeleteWorkflow(op.uid); !s) return s;
          journals_.erase(op.uid);
          break;
        }
        case Op::Kind::kReplace: {
          if (Status s = FlushAppends(appends, complaints); !s) return s;
          if (Status s = ApplyReplace(op, op.outcome); !s) return s;
          if (op.outcome->ok() && !op.rows.empty()) appends[op.uid] = std::move(op.rows);
          break;
        }
        case Op::Kind::kCreateObject:
        case Op::Kind::kUpdateObject:
        case Op::Kind::kDeleteObject: {
          auto written = ApplyObject(op);
          if (!written.ok()) return written.status();
          *op.written = *written;
          break;
        }
      }
    }
    return FlushAppends(appends, complaints);
  }

  // The old workflow goes only when the new uid is free (so the insert
  // cannot fail for it); the name is free once the old one, its holder, is gone.
  // Returns an error of the database (the transaction fails); `outcome`
  // gets the caller's (a taken uid or name).
  Status ApplyReplace(const Op& op, Status* outcome) {
    auto taken = Journal(op.uid);
    if (!taken.ok()) return taken.status();
    if (*taken != nullptr) {
      *outcome = CreateOutcome(InsertOutcome::kUidTaken, op.header);
      return Status::Ok();
    }
    if (Status s = writer_->DeleteWorkflow(op.old_uid); !s) return s;
    journals_.erase(op.old_uid);
    auto inserted = writer_->InsertWorkflow(op.header);
    if (!inserted.ok()) return inserted.status();
    *outcome = CreateOutcome(*inserted, op.header);
    return Status::Ok();
  }

  // Objects have no journal: their writes need not see the queued appends.
  Result<ObjectWrite> ApplyObject(const Op& op) {
    const ObjectRow& object = op.object;
    switch (op.kind) {
      case Op::Kind::kCreateObject: {
        auto inserted = writer_->InsertObject(object);
        if (!inserted.ok()) return inserted.status();
        return *inserted ? ObjectWrite::kDone : ObjectWrite::kExists;
      }
      case Op::Kind::kUpdateObject:
        return writer_->UpdateObject(object, op.expected_version);
      default: {
        auto deleted = writer_->DeleteObject(object.kind, object.namespace_, object.name);
        if (!deleted.ok()) return deleted.status();
        return *deleted ? ObjectWrite::kDone : ObjectWrite::kMissing;
      }
    }
  }

  Status CreateOutcome(InsertOutcome inserted, const HeaderRow& header) const {
    switch (inserted) {
      case InsertOutcome::kInserted:
        return Status::Ok();
      case InsertOutcome::kUidTaken:
        return Status::Error(description_ + ": Create: a workflow with uid " + header.uid +
                             " already exists");
      case InsertOutcome::kNameTaken:
        break;
    }
    return Status::Error(description_ + ": Create: workflow " + header.namespace_ + "/" +
                         header.name + " already exists");
  }

  Status FlushAppends(std::unordered_map<std::string, std::vector<JournalRow>>& appends,
                      std::vector<std::string>& complaints) {
    for (auto& [uid, rows] : appends) {
      auto state = Journal(uid);
      if (!state.ok()) return state.status();
      if (*state == nullptr) {
        complaints.push_back("Append: no workflow with uid " + uid + ", " +
                             std::to_string(rows.size()) + " node changes dropped");
        continue;
      }
      JournalState& journal = **state;
      if (Status s = writer_->AppendJournal(uid, journal.last_seq + 1, rows); !s) return s;
      auto count = static_cast<int64_t>(rows.size());
      journal.last_seq += count;
      journal.journal_rows += count;
      if (journal.journal_rows > std::max(kMinFoldRows, kFoldFactor * journal.snapshot_nodes)) {
        auto nodes = writer_->Fold(uid, journal.last_seq);
        if (!nodes.ok()) return nodes.status();
        journal.snapshot_nodes = *nodes;
        journal.journal_rows = 0;
      }
    }
    appends.clear();
    return Status::Ok();
  }

  // The tracked journal state of `uid`, loaded if need be; null if there is
  // no such workflow.
  Result<JournalState*> Journal(const std::string& uid) {
    auto it = journals_.find(uid);
    if (it != journals_.end()) return &it->second;
    auto loaded = writer_->LoadJournal(uid);
    if (!loaded.ok()) return loaded.status();
    if (!loaded->has_value()) return static_cast<JournalState*>(nullptr);
    return &journals_.emplace(uid, **loaded).first->second;
  }

  const std::string description_;
  const std::unique_ptr<WriteConnection> writer_;  // the writer thread's alone
  ReaderPool readers_;

  std::mutex mu_;
  std::condition_variable work_;  // the writer: something is queued, or stop
  std::condition_variable done_;  // callers: committed_ moved
  std::condition_variable room_;  // callers: queued_bytes_ fell (or failed_ was set)
  std::vector<Op> queue_;
  size_t queued_bytes_ = 0;
  uint64_t enqueued_ = 0;   // ops ever queued; an op's ticket is its number
  uint64_t committed_ = 0;  // every op up to this ticket is done (committed, or failed)
  Status failed_;           // sticky: the first failed commit
  std::vector<std::string> complaints_;  // dropped changes, for the next Sync()
  size_t unlisted_complaints_ = 0;
  bool stopping_ = false;

  // The writer thread's alone.
  std::unordered_map<std::string, JournalState> journals_;

  std::thread thread_;  // last: starts once everything above is constructed
};

}  // namespace

std::unique_ptr<Store> NewJournalStore(Backend backend) {
  return std::make_unique<JournalStore>(std::move(backend));
}

}  // namespace loom::store
