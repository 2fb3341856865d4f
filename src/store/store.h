// The store: where Loom keeps every workflow it has run or is running, so
// `loom list`, `get` and `logs` work after the run and a server can restart
// without losing work.
//
// A workflow is one header row (name, labels, phase, the document as
// submitted, the status without its nodes) plus its nodes. Nodes are kept as
// a journal of changes: each change appends the node's whole new state (as
// JSON, Argo's NodeStatus shape), never rewriting the other nodes, so a
// change to one node of a 100,000-node workflow costs what it costs in a
// 10-node one. Now and then the journal of a workflow is folded into a
// snapshot (its latest node states) and the folded entries are dropped;
// loading is snapshot + the journal after it.
//
// Writes are group-committed: Append() queues and returns; a writer commits
// what is queued in one transaction. Sync() waits until everything queued
// before it is durable. Reads see only what is committed.
//
// Backends: SQLite (embedded default, one file, WAL) and PostgreSQL
// (a shared server). Open() picks one from a URL.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/json.h"
#include "base/result.h"

namespace loom::store {

// Milliseconds since the Unix epoch (UTC).
using Millis = int64_t;

// What identifies and describes a workflow: everything but its nodes.
struct WorkflowHeader {
  std::string uid;  // unique for the life of the store; the key of everything else
  std::string namespace_ = "default";
  std::string name;  // unique within its namespace
  std::map<std::string, std::string> labels;
  std::string phase;  // "Pending", "Running", "Succeeded", "Failed", "Error"
  Millis created_at = 0;
  std::optional<Millis> finished_at;
  Json document = Json::object();  // the Workflow as submitted: apiVersion, kind, metadata, spec
  Json status = Json::object();    // Argo's Workflow.status without `nodes`
};

// One node's new state.
struct NodeChange {
  std::string node_id;
  Json node;  // Argo's NodeStatus shape
};

// A workflow as loaded: its header and the latest state of each node.
struct StoredWorkflow {
  WorkflowHeader header;
  std::map<std::string, Json> nodes;  // by node id
};

// Which workflows List() returns. Empty fields match everything.
struct ListFilter {
  std::string namespace_;                     // "" = every namespace
  std::string name_prefix;                    // name starts with this
  std::vector<std::string> phases;            // phase is one of these
  std::map<std::string, std::string> labels;  // every label equals
  std::optional<Millis> created_after;        // created at or after
  std::optional<bool> completed;              // finished_at set (true) or not (false)
  size_t limit = 0;                           // at most this many (0 = all), newest first
};

// An object other than a workflow, kept whole because it is small: a
// WorkflowTemplate, a ClusterWorkflowTemplate or a CronWorkflow.
struct StoredObject {
  std::string kind;  // "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"
  std::string namespace_ = "default";  // "" for cluster-scoped kinds
  std::string name;                    // unique within its kind and namespace
  std::string uid;
  Millis created_at = 0;
  // Counts the object's writes: 1 when created, +1 by each update. An update
  // that names the version it read fails with kConflict if another write came
  // first (a CronWorkflow's status is written by the server while a user may
  // be replacing its spec).
  int64_t version = 0;
  Json document = Json::object();  // apiVersion, kind, metadata, spec
  Json status = Json::object();    // CronWorkflow: Argo's CronWorkflowStatus; else {}
};

// What a write of an object did; errors of the store itself are Status errors.
enum class ObjectWrite { kDone, kExists, kMissing, kConflict };

class Store {
 public:
  virtual ~Store() = default;

  // Adds a workflow. Fails if its uid, or its name in its namespace, exists.
  // Durable when it returns.
  virtual Status Create(const WorkflowHeader& header) = 0;

  // Replaces the header of an existing workflow (phase, labels, status,
  // finished_at...; uid, namespace and name must match). Group-committed.
  virtual Status UpdateHeader(const WorkflowHeader& header) = 0;

  // Appends node changes of workflow `uid` to its journal. Group-committed:
  // queued now, durable by the next Sync() return.
  virtual Status Append(const std::string& uid, std::vector<NodeChange> changes) = 0;

  // Waits until everything queued before the call is committed durably.
  virtual Status Sync() = 0;

  // The workflow named `name` in `namespace_`, with its nodes; nullopt if none.
  virtual Result<std::optional<StoredWorkflow>> Get(const std::string& namespace_,
                                                    const std::string& name) = 0;

  // Headers of the matching workflows, newest (created_at) first.
  virtual Result<std::vector<WorkflowHeader>> List(const ListFilter& filter) = 0;

  // Removes a workflow and its nodes. Deleting a missing workflow is not an error.
  virtual Status Delete(const std::string& uid) = 0;

  // Delete(old_uid), then Create(header) holding `nodes`, in one transaction:
  // a crash leaves the old workflow or the new one, never neither (a retry
  // replaces a workflow under its name). `old_uid` must be the workflow that
  // has header's namespace and name; header.uid must be new, else nothing
  // changes and the error says so. Durable when it returns.
  virtual Status Replace(const std::string& old_uid, const WorkflowHeader& header,
                         std::vector<NodeChange> nodes) = 0;

  // Objects. Durable when these return. CreateObject fails with kExists if
  // kind/namespace/name is taken; it sets version 1 and keeps the given uid
  // and created_at. UpdateObject replaces document and status of an existing
  // one (kMissing if none); when `expected_version` is set and differs from
  // the stored version it changes nothing and returns kConflict.
  virtual Result<ObjectWrite> CreateObject(const StoredObject& object) = 0;
  virtual Result<ObjectWrite> UpdateObject(const StoredObject& object,
                                           std::optional<int64_t> expected_version) = 0;
  virtual Result<std::optional<StoredObject>> GetObject(const std::string& kind,
                                                        const std::string& namespace_,
                                                        const std::string& name) = 0;
  // Every object of `kind` in `namespace_` ("" = every namespace), by name.
  virtual Result<std::vector<StoredObject>> ListObjects(const std::string& kind,
                                                        const std::string& namespace_) = 0;
  // kMissing if there was none.
  virtual Result<ObjectWrite> DeleteObject(const std::string& kind, const std::string& namespace_,
                                           const std::string& name) = 0;
};

// Opens (creating if needed) the store at `url`:
//   a file path, or sqlite:PATH       SQLite database file
//   postgres://... or postgresql://...  PostgreSQL (libpq connection URI)
Result<std::unique_ptr<Store>> Open(const std::string& url);

}  // namespace loom::store
