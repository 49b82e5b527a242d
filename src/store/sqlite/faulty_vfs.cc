#include "store/sqlite/faulty_vfs.h"

namespace ncbnet::store::testing_support {

// The wrapper's file: SQLite allocates szOsFile bytes for it; the real file follows.
struct FaultyVfs::File {
  sqlite3_file base;
  FaultyVfs* owner;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

namespace {

FaultyVfs::File* Wrapped(sqlite3_file* f) { return reinterpret_cast<FaultyVfs::File*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Wrapped(f)->real(); }

// Every method but xWrite and xSync goes straight to the real file.
int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int Read(sqlite3_file* f, void* p, int n, sqlite3_int64 o) {
  return Real(f)->pMethods->xRead(Real(f), p, n, o);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  return Real(f)->pMethods->xTruncate(Real(f), size);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** p) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, p);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}

}  // namespace

FaultyVfs::FaultyVfs() {
  real_ = sqlite3_vfs_find(nullptr);
  methods_.iVersion = 2;  // no memory-mapped I/O: every write goes through xWrite
  methods_.xClose = Close;
  methods_.xRead = Read;
  methods_.xWrite = Write;
  methods_.xTruncate = Truncate;
  methods_.xSync = Sync;
  methods_.xFileSize = FileSize;
  methods_.xLock = Lock;
  methods_.xUnlock = Unlock;
  methods_.xCheckReservedLock = CheckReservedLock;
  methods_.xFileControl = FileControl;
  methods_.xSectorSize = SectorSize;
  methods_.xDeviceCharacteristics = DeviceCharacteristics;
  methods_.xShmMap = ShmMap;
  methods_.xShmLock = ShmLock;
  methods_.xShmBarrier = ShmBarrier;
  methods_.xShmUnmap = ShmUnmap;
  vfs_ = *real_;
  vfs_.zName = "ncbnet-faulty";
  vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
  vfs_.pAppData = this;
  vfs_.xOpen = Open;
  sqlite3_vfs_register(&vfs_, /*makeDflt=*/1);
}

FaultyVfs::~FaultyVfs() {
  sqlite3_vfs_unregister(&vfs_);
  sqlite3_vfs_register(real_, /*makeDflt=*/1);
}

int FaultyVfs::Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags, int* out) {
  auto* self = static_cast<FaultyVfs*>(vfs->pAppData);
  File* f = Wrapped(file);
  f->owner = self;
  const int rc = self->real_->xOpen(self->real_, name, f->real(), flags, out);
  // SQLite calls xClose only when pMethods is set: leave it null if the real open failed.
  f->base.pMethods = rc == SQLITE_OK && f->real()->pMethods != nullptr ? &self->methods_ : nullptr;
  if (rc == SQLITE_OK) self->opens_.fetch_add(1);
  return rc;
}

int FaultyVfs::Write(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  FaultyVfs* self = Wrapped(file)->owner;
  const Fault fault = self->fault_.load();
  if (fault == Fault::kWriteFull || fault == Fault::kWriteIoError) {
    self->faults_.fetch_add(1);
    return fault == Fault::kWriteFull ? SQLITE_FULL : SQLITE_IOERR_WRITE;
  }
  return Real(file)->pMethods->xWrite(Real(file), data, amount, offset);
}

int FaultyVfs::Sync(sqlite3_file* file, int flags) {
  FaultyVfs* self = Wrapped(file)->owner;
  if (self->fault_.load() == Fault::kSyncFails) {
    self->faults_.fetch_add(1);
    return SQLITE_IOERR_FSYNC;
  }
  return Real(file)->pMethods->xSync(Real(file), flags);
}

}  // namespace ncbnet::store::testing_support
