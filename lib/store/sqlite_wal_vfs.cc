// A VFS over SQLite's default one that writes each WAL frame with one
// system call instead of two.
//
// SQLite appends a WAL frame as a 24-byte frame header followed, at the next
// offset, by the page. A commit of a service request writes a dozen frames,
// and on a virtual machine a system call costs more than the copy it makes,
// so the pair is the dominant cost of a small transaction. This VFS holds a
// 24-byte write to a WAL file back and, when the next call is the write that
// continues it, issues both as one pwrite. Every other call on the file (a
// non-contiguous write, read, sync, truncate, size, lock, file control,
// close) writes the held header first, so nothing can observe the file
// without it. SQLite publishes a commit to readers (the wal-index header)
// only after the page write of its last frame has returned, which always
// carries the held header with it.
#include "lib/store/sqlite_wal_vfs.h"

#include <sqlite3.h>

#include <cstring>
#include <mutex>
#include <new>

namespace servicedesk::store_internal {
namespace {

constexpr int kFrameHeaderBytes = 24;
// SQLite's largest page.
constexpr int kMaxPageBytes = 65536;

struct WalFile {
  sqlite3_file base;   // first: SQLite sees a WalFile as a sqlite3_file
  sqlite3_file* real;  // the default VFS's file, placed after this struct
  bool is_wal;
  bool held;
  sqlite3_int64 held_offset;
  unsigned char header[kFrameHeaderBytes];
  unsigned char* joined;  // header + page buffer, allocated on first use
};

sqlite3_vfs* g_real = nullptr;

WalFile* Self(sqlite3_file* f) { return reinterpret_cast<WalFile*>(f); }

int Flush(WalFile* w) {
  if (!w->held) return SQLITE_OK;
  w->held = false;
  return w->real->pMethods->xWrite(w->real, w->header, kFrameHeaderBytes,
                                   w->held_offset);
}

int Close(sqlite3_file* f) {
  WalFile* w = Self(f);
  int rc = Flush(w);
  int rc2 = w->real->pMethods->xClose(w->real);
  sqlite3_free(w->joined);
  w->joined = nullptr;
  return rc != SQLITE_OK ? rc : rc2;
}

int Read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xRead(w->real, buf, amt, off);
}

int Write(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  WalFile* w = Self(f);
  if (w->held && off == w->held_offset + kFrameHeaderBytes &&
      amt <= kMaxPageBytes) {
    if (w->joined == nullptr) {
      w->joined = static_cast<unsigned char*>(
          sqlite3_malloc(kFrameHeaderBytes + kMaxPageBytes));
    }
    if (w->joined != nullptr) {
      std::memcpy(w->joined, w->header, kFrameHeaderBytes);
      std::memcpy(w->joined + kFrameHeaderBytes, buf, amt);
      w->held = false;
      return w->real->pMethods->xWrite(w->real, w->joined,
                                       kFrameHeaderBytes + amt, w->held_offset);
    }
  }
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  if (w->is_wal && amt == kFrameHeaderBytes) {
    std::memcpy(w->header, buf, kFrameHeaderBytes);
    w->held_offset = off;
    w->held = true;
    return SQLITE_OK;
  }
  return w->real->pMethods->xWrite(w->real, buf, amt, off);
}

// The remaining methods write the held header, then pass through.
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xTruncate(w->real, size);
}
int Sync(sqlite3_file* f, int flags) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xSync(w->real, flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFileSize(w->real, size);
}
int Lock(sqlite3_file* f, int level) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xLock(w->real, level);
}
int Unlock(sqlite3_file* f, int level) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xUnlock(w->real, level);
}
int CheckReservedLock(sqlite3_file* f, int* out) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xCheckReservedLock(w->real, out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
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
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xShmMap(w->real, region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xShmLock(w->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) {
  WalFile* w = Self(f);
  Flush(w);
  w->real->pMethods->xShmBarrier(w->real);
}
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  WalFile* w = Self(f);
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xShmUnmap(w->real, delete_flag);
}
int Fetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** out) {
  WalFile* w = Self(f);
  *out = nullptr;
  if (w->real->pMethods->iVersion < 3) return SQLITE_OK;  // no map: read
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xFetch(w->real, off, amt, out);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) {
  WalFile* w = Self(f);
  if (w->real->pMethods->iVersion < 3) return SQLITE_OK;
  if (int rc = Flush(w); rc != SQLITE_OK) return rc;
  return w->real->pMethods->xUnfetch(w->real, off, p);
}

const sqlite3_io_methods kMethods = {
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

int Open(sqlite3_vfs* vfs, const char* name, sqlite3_file* f, int flags,
         int* out_flags) {
  WalFile* w = Self(f);
  w->base.pMethods = nullptr;
  w->real = reinterpret_cast<sqlite3_file*>(w + 1);
  w->is_wal = (flags & SQLITE_OPEN_WAL) != 0;
  w->held = false;
  w->held_offset = 0;
  w->joined = nullptr;
  int rc = g_real->xOpen(g_real, name, w->real, flags, out_flags);
  // On failure SQLite calls xClose only if pMethods is set; the default VFS
  // leaves its own pMethods null then.
  if (w->real->pMethods != nullptr) w->base.pMethods = &kMethods;
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
