// Encoding and decoding of header rows; see header_row.h.
#include "store/header_row.h"

#include <utility>

namespace loom::store {

std::string DumpJson(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<Json> ParseJson(std::string_view text, std::string_view what) {
  Json value = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return Status::Error("stored " + std::string(what) + " is not JSON");
  return value;
}

HeaderRow EncodeHeader(const WorkflowHeader& header) {
  HeaderRow row;
  row.uid = header.uid;
  row.namespace_ = header.namespace_;
  row.name = header.name;
  row.labels = DumpJson(Json(header.labels));
  row.phase = header.phase;
  row.created_at = header.created_at;
  row.finished_at = header.finished_at;
  row.document = DumpJson(header.document);
  row.status = DumpJson(header.status);
  return row;
}

Result<WorkflowHeader> DecodeHeader(HeaderRow row) {
  WorkflowHeader header;
  header.uid = std::move(row.uid);
  header.namespace_ = std::move(row.namespace_);
  header.name = std::move(row.name);
  header.phase = std::move(row.phase);
  header.created_at = row.created_at;
  header.finished_at = row.finished_at;
  auto labels = ParseJson(row.labels, "labels");
  if (!labels.ok()) return labels.status();
  if (!labels->is_object()) return Status::Error("stored labels are not a JSON object");
  for (const auto& [key, value] : labels->items()) {
    header.labels[key] = value.is_string() ? value.get<std::string>() : value.dump();
  }
  auto document = ParseJson(row.document, "document");
  if (!document.ok()) return document.status();
  header.document = std::move(*document);
  auto status = ParseJson(row.status, "status");
  if (!status.ok()) return status.status();
  header.status = std::move(*status);
  return header;
}

}  // namespace loom::store
