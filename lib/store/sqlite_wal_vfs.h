// The SQLite VFS the store opens its files with (see sqlite_wal_vfs.cc).
#ifndef SERVICEDESK_LIB_STORE_SQLITE_WAL_VFS_H_
#define SERVICEDESK_LIB_STORE_SQLITE_WAL_VFS_H_

namespace servicedesk::store_internal {

// Registers the VFS on first use (thread-safe) and returns its name, or
// nullptr if SQLite's default VFS cannot be wrapped (the caller then uses the
// default).
const char* WalVfsName();

}  // namespace servicedesk::store_internal

#endif  // SERVICEDESK_LIB_STORE_SQLITE_WAL_VFS_H_
