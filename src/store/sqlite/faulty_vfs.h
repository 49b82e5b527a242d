// A fault-injecting SQLite VFS for tests (the LevelDB `Env` seam, at SQLite's level): it wraps
// the default VFS, becomes the default while it lives, and fails every xSync or xWrite with the
// error a test sets, as a failing disk would (EIO), a full one (ENOSPC), or an fsync that
// reports a lost write. It counts the files it opens, so a test sees a connection reopened.
//
// Thread safety: the fault and the counters are atomics; one FaultyVfs at a time per process.
#pragma once

#include <atomic>

#include <sqlite3.h>

namespace ncbnet::store::testing_support {

class FaultyVfs {
 public:
  enum class Fault { kNone, kSyncFails, kWriteFull, kWriteIoError };

  FaultyVfs();   // registers itself as SQLite's default VFS
  ~FaultyVfs();  // puts the previous default back
  FaultyVfs(const FaultyVfs&) = delete;
  FaultyVfs& operator=(const FaultyVfs&) = delete;

  void Inject(Fault fault) { fault_.store(fault); }
  int opens() const { return opens_.load(); }
  int faults() const { return faults_.load(); }

  struct File;  // the wrapper around one real file (faulty_vfs.cc)

 private:
  static int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out);
  static int Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset);
  static int Sync(sqlite3_file* file, int flags);

  sqlite3_vfs vfs_{};
  sqlite3_vfs* real_ = nullptr;
  sqlite3_io_methods methods_{};
  std::atomic<Fault> fault_{Fault::kNone};
  std::atomic<int> opens_{0};
  std::atomic<int> faults_{0};
};

}  // namespace ncbnet::store::testing_support
