#ifndef TRENT_SQLITE_RESERVE_H
#define TRENT_SQLITE_RESERVE_H

#include <sqlite3.h>

/// Keeps space written ahead at the end of a connection's main database file. See
/// Sources/KMSStorage/DatabaseFileReserve.swift for why.
///
/// Once installed, truncations that would shrink the file are skipped: SQLite truncates the file
/// to the database's size at the end of every complete checkpoint, which would give the reserve
/// back. With `target_bytes` > 0, each checkpoint this connection runs also tops the reserve up
/// towards `target_bytes`, at most `step_bytes` at a time, by writing zeros past the end of the
/// file while it still holds the checkpoint lock, before the checkpoint's own flush of the file.
///
/// Returns an SQLite result code: SQLITE_NOTFOUND when the connection has no main database file
/// (an in-memory database), SQLITE_MISUSE when it is already installed.
int trent_reserve_install(sqlite3 *db, sqlite3_int64 target_bytes, sqlite3_int64 step_bytes);

/// The bytes of the main database file past the database's own pages, as the file's header
/// gives them; -1 when the header cannot be read.
sqlite3_int64 trent_reserve_available(sqlite3 *db);

#endif
