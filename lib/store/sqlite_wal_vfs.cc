// A VFS over SQLite's default one that writes a commit's WAL frames with one
// system call instead of two per frame.
//
// SQLite appends a WAL frame as a 24-byte frame header and then the page, two
// pwrite calls, and a commit of a service request writes a dozen frames. On a
// virtual machine a system call costs more than the copy it makes, so those
// calls were the largest cost of a small transaction. This VFS collects
// contiguous writes to a WAL file in a buffer and writes it out with one
// pwrite:
//   - when the page of a commit frame (a frame header whose "database size
//     after commit" field is non-zero) is written: inside that xWrite, so an
//     I/O error or a full disk fails the commit as before;
//   - before any other call on the WAL file (a non-contiguous write, read,
//     sync, truncate, size, lock, close), so SQLite never sees the file
//     without its own writes;
//   - before any shared-memory call (barrier, lock, map, unmap) on the
//     connection's database file, found with sqlite3_database_file_object.
//     This is what makes the buffer invisible: SQLite publishes a commit by
//     writing the wal-index header around a barrier, and releases the WAL
//     write lock with a lock call, so every frame is in the file before a
//     reader can learn of it or another writer can append. It also covers
//     writes no page follows (the checksum rewrite after frames were
//     overwritten in place, the tail of a padding frame split around a sync)
//     and frames left by a rolled-back transaction.
// Only WAL files are buffered; the database file and journals pass through.
// A connection's files are used by one thread at a time (the store's rule),
// so they need no lock.
#include "lib/store/sqlite_wal_vfs.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <mutex>

namespace servicedesk::store_internal {
namespace {

constexpr size_t kFrameHeaderBytes = 24;
// A commit's frames rarely exceed this; a longer run is written in pieces.
// Below 128 KiB: the unix VFS masks a write's length to 17 bits, so a write
// of 128 KiB came back short, as SQLITE_FULL.
constexpr size_t kBufferBytes = 120 * 1024;

struct WalFile {
  sqlite3_file base;   // first: SQLite sees a WalFile as a sqlite3_file
  sqlite3_file* real;  // the default VFS's file, placed after this struct
  bool is_wal;
  bool commit_page_next;  // the last write was a commit frame's header
  unsigned char* buf;     // allocated on first use
  size_t len;
  sqlite3_int64 offset;  // of buf[0] in the file
  WalFile* wal;          // a database file's open WAL, if any
  WalFile* db;           // a WAL file's database file
};
static_assert(sizeof(WalFile) % 8 == 0, "the real file follows, aligned");

sqlite3_vfs* g_real = nullptr;

WalFile* Self(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

// Writes out the buffer; on failure keeps it, so nothing is dropped and the
// next flush tries again.
int Flush(WalFile* w) {
  if (w->len == 0) return SQLITE_OK;
  int rc = w->real->pMethods->xWrite(w->real, w->buf, static_cast<int>(w->len),
                                     w->offset);
  if (rc == SQLITE_OK) w->len = 0;
  return rc;
}

// For methods other than xWrite: any I/O error, so that SQLite rolls the
// whole transaction back (a full disk reported from a read would roll back
// only the statement).
int FlushBeforeOther(WalFile* w) {
  return Flush(w) == SQLITE_OK ? SQLITE_OK : SQLITE_IOERR_WRITE;
}

// Before a shared-memory call on a database file: its WAL's frames reach the
// file.
int FlushWalOf(WalFile* db) {
  return db->wal == nullptr ? SQLITE_OK : FlushBeforeOther(db->wal);
}

int Close(sqlite3_file* f) {
  WalFile* w = Self(f);
  int rc = Flush(w);
  if (w->db != nullptr && w->db->wal == w) w->db->wal = nullptr;
  if (w->wal != nullptr && w->wal->db == w) w->wal->db = nullptr;
  sqlite3_free(w->buf);
  w->buf = nullptr;
  int rc2 = w->real->pMethods->xClose(w->real);
  return rc != SQLITE_OK ? rc : rc2;
}

int Read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xRead(w->real, buf, amt, off);
}

// Bytes 4..8 of a frame header: the database size after a commit, 0 for the
// other frames of a transaction.
bool IsCommitFrameHeader(const void* data, size_t n) {
  if (n != kFrameHeaderBytes) return false;
  const auto* b = static_cast<const unsigned char*>(data);
  return (b[4] | b[5] | b[6] | b[7]) != 0;
}

int Write(sqlite3_file* f, const void* data, int amt, sqlite3_int64 off) {
  WalFile* w = Self(f);
  if (!w->is_wal) return w->real->pMethods->xWrite(w->real, data, amt, off);
  const size_t n = static_cast<size_t>(amt);
  const bool commit_page = w->commit_page_next;
  w->commit_page_next = IsCommitFrameHeader(data, n);
  const bool continues = w->len > 0 && off == w->offset + w->len;
  if (!continues || w->len + n > kBufferBytes) {
    if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  }
  if (w->buf == nullptr)
    w->buf = static_cast<unsigned char*>(sqlite3_malloc64(kBufferBytes));
  if (w->buf == nullptr || n > kBufferBytes)
    return w->real->pMethods->xWrite(w->real, data, amt, off);
  if (w->len == 0) w->offset = off;
  std::memcpy(w->buf + w->len, data, n);
  w->len += n;
  return commit_page ? Flush(w) : SQLITE_OK;
}

// The remaining methods write the buffer out first, then pass through.
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xTruncate(w->real, size);
}
int Sync(sqlite3_file* f, int flags) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xSync(w->real, flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFileSize(w->real, size);
}
int Lock(sqlite3_file* f, int level) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xLock(w->real, level);
}
int Unlock(sqlite3_file* f, int level) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xUnlock(w->real, level);
}
int CheckReservedLock(sqlite3_file* f, int* out) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xCheckReservedLock(w->real, out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFileControl(w->real, op, arg);
}
int SectorSize(sqlite3_file* f) {
  return Self(f)->real->pMethods->xSectorSize(Self(f)->real);
}
int DeviceCharacteristics(sqlite3_file* f) {
  return Self(f)->real->pMethods->xDeviceCharacteristics(Self(f)->real);
}
int ShmMap(sqlite3_file* f, int region, int size, int extend,
           void volatile** out) {
  WalFile* w = Self(f);
  if (int rc = FlushWalOf(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xShmMap(w->real, region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  WalFile* w = Self(f);
  int rc = FlushWalOf(w);
  if (rc != SQLITE_OK && (flags & SQLITE_SHM_UNLOCK) != 0) {
    // Still release the lock: frames left unwritten here were never
    // published (a commit's were written by its own xWrite), and must not be
    // written later over another writer's.
    if (w->wal != nullptr) w->wal->len = 0;
    w->real->pMethods->xShmLock(w->real, offset, n, flags);
    return rc;
  }
  if (rc != SQLITE_OK) return rc;
  return w->real->pMethods->xShmLock(w->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) {
  WalFile* w = Self(f);
  // Cannot report an error; a failed flush keeps the buffer, and the lock
  // call that ends the write transaction reports it.
  FlushWalOf(w);
  w->real->pMethods->xShmBarrier(w->real);
}
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  WalFile* w = Self(f);
  if (int rc = FlushWalOf(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xShmUnmap(w->real, delete_flag);
}
int Fetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** out) {
  WalFile* w = Self(f);
  *out = nullptr;
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFetch(w->real, off, amt, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  WalFile* w = Self(f);
  if (int rc = FlushBeforeOther(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xUnfetch(w->real, off, p);
}

const sqlite3_io_methods kMethodsV3 = {
    3,
    Close,
    Read,
    Write,
    Truncate,
    Sync,
    FileSize,
    Lock,
    Unlock,
    CheckReservedLock,
    FileControl,
    SectorSize,
    DeviceCharacteristics,
    ShmMap,
    ShmLock,
    ShmBarrier,
    ShmUnmap,
    Fetch,
    Unfetch,
};

// kMethodsV3 at versions 1, 2 and 3 (filled once, at registration): a file
// advertises no more than the wrapped file does, since SQLite calls the
// shared-memory methods only from version 2 and the fetch methods only from 3.
sqlite3_io_methods g_methods[3];

const sqlite3_io_methods* MethodsFor(const sqlite3_io_methods* real) {
  const int v = std::clamp(real->iVersion, 1, 3);
  return &g_methods[v - 1];
}

bool IsOurs(const sqlite3_file* f) {
  for (const sqlite3_io_methods& m : g_methods)
    if (f->pMethods == &m) return true;
  return false;
}

int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags,
         int* out_flags) {
  WalFile* w = Self(f);
  w->base.pMethods = nullptr;
  w->real = reinterpret_cast<sqlite3_file*>(w + 1);
  w->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  w->commit_page_next = false;
  w->buf = nullptr;
  w->len = 0;
  w->offset = 0;
  w->wal = nullptr;
  w->db = nullptr;
  std::memset(w->real, 0, static_cast<size_t>(g_real->szOsFile));
  int rc = g_real->xOpen(g_real, name, w->real, flags, out_flags);
  // SQLite calls xClose after a failed xOpen only if pMethods is set; the
  // default VFS leaves its own unset then.
  if (w->real->pMethods != nullptr)
    w->base.pMethods = MethodsFor(w->real->pMethods);
  if (rc == SQLITE_OK && w->is_wal && name != nullptr) {
    // The database file was opened through this VFS too (same connection).
    sqlite3_file* db = sqlite3_database_file_object(name);
    if (db != nullptr && db->pMethods != nullptr && IsOurs(db)) {
      w->db = Self(db);
      w->db->wal = w;
    }
  }
  if (rc == SQLITE_OK && w->is_wal && w->db == nullptr) {
    // Without the link nothing would flush before a commit is published.
    w->is_wal = false;
  }
  return rc;
}

// The rest of the VFS is the default one's.
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_real->xDelete(g_real, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) {
  return g_real->xDlOpen(g_real, name);
}
void DlError(sqlite3_vfs*, int n, char* out) {
  g_real->xDlError(g_real, n, out);
}
void (*DlSym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return g_real->xDlSym(g_real, h, sym);
}
void DlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int Randomness(sqlite3_vfs*, int n, char* out) {
  return g_real->xRandomness(g_real, n, out);
}
int Sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int CurrentTime(sqlite3_vfs*, double* out) {
  return g_real->xCurrentTime(g_real, out);
}
int GetLastError(sqlite3_vfs*, int n, char* out) {
  return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_real->xCurrentTimeInt64(g_real, out);
}

}  // namespace

const char* WalVfsName() {
  static std::once_flag once;
  static sqlite3_vfs vfs;
  static bool registered = false;
  std::call_once(once, [] {
    g_real = sqlite3_vfs_find(nullptr);
    for (int v = 1; v <= 3; ++v) {
      g_methods[v - 1] = kMethodsV3;
      g_methods[v - 1].iVersion = v;
    }
    if (g_real == nullptr || g_real->iVersion < 2) return;
    std::memset(&vfs, 0, sizeof(vfs));
    vfs.iVersion = 2;
    vfs.szOsFile = static_cast<int>(sizeof(WalFile)) + g_real->szOsFile;
    vfs.mxPathname = g_real->mxPathname;
    vfs.zName = "servicedesk-wal";
    vfs.xOpen = Open;
    vfs.xDelete = Delete;
    vfs.xAccess = Access;
    vfs.xFullPathname = FullPathname;
    vfs.xDlOpen = DlOpen;
    vfs.xDlError = DlError;
    vfs.xDlSym = DlSym;
    vfs.xDlClose = DlClose;
    vfs.xRandomness = Randomness;
    vfs.xSleep = Sleep;
    vfs.xCurrentTime = CurrentTime;
    vfs.xGetLastError = GetLastError;
    vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    registered = sqlite3_vfs_register(&vfs, /*makeDflt=*/0) == SQLITE_OK;
  });
  return registered ? "servicedesk-wal" : nullptr;
}

}  // namespace servicedesk::store_internal
