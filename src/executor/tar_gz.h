// Reading and writing .tar.gz archives the way Argo stores artifacts: a tar
// (GNU long names, so any path length) compressed with gzip, holding one
// top-level entry named after the archived file or directory.
#pragma once

#include <string>

#include "base/result.h"

namespace loom::executor {

// Archives the file or directory at `source` into the .tar.gz `archive`; the
// top-level entry is named after source's basename ("dir/", "dir/a.txt", ...).
Status WriteTarGz(const std::string& source, const std::string& archive);

// Unpacks `archive` into the folder `dir` (created if missing). Entries that
// would land outside `dir` (absolute, "..") are refused.
Status ExtractTarGz(const std::string& archive, const std::string& dir);

}  // namespace loom::executor
