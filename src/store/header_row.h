// A workflow header as the backends store it: its JSON fields as text,
// encoded on the caller's thread so that the writer thread only moves bytes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/json.h"
#include "base/result.h"
#include "store/store.h"

namespace loom::store {

struct HeaderRow {
  std::string uid;
  std::string namespace_;
  std::string name;
  std::string labels;  // JSON object of strings
  std::string phase;
  Millis created_at = 0;
  std::optional<Millis> finished_at;
  std::string document;  // JSON
  std::string status;    // JSON
};

HeaderRow EncodeHeader(const WorkflowHeader& header);
Result<WorkflowHeader> DecodeHeader(HeaderRow row);

// The JSON text of `value`. Invalid UTF-8 in a string (a step's stderr can
// hold anything) becomes U+FFFD instead of failing the write.
std::string DumpJson(const Json& value);

// Parses stored JSON text; `what` names it in the error.
Result<Json> ParseJson(std::string_view text, std::string_view what);

}  // namespace loom::store
