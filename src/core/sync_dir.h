// Durability of a directory entry: after creating or renaming a file, the directory itself must
// be synced, or a power loss can forget the new name even though the file's bytes are on disk.
//
// Thread safety: a free function.
#pragma once

#include <string>

namespace ncbnet {

// fsyncs the directory that holds `path` ("." when `path` has no '/'). Best effort: a file
// system that cannot sync a directory (some network file systems) is not an error here.
void SyncDirectoryOf(const std::string& path);

}  // namespace ncbnet
