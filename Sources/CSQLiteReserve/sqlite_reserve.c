#include "sqlite_reserve.h"

#include <stddef.h>

/// A file's own method table: a copy of the VFS's, with three methods wrapped. The file's
/// `pMethods` points at `methods`, the first member, so the wrappers find the rest from it.
typedef struct ReserveMethods {
    sqlite3_io_methods methods;
    const sqlite3_io_methods *original;
    sqlite3_int64 target;
    sqlite3_int64 step;
} ReserveMethods;

static const ReserveMethods *reserve_of(sqlite3_file *file) {
    return (const ReserveMethods *)file->pMethods;
}

/// The database's size in bytes from its header (page size at offset 16, page count at 28), or
/// -1. Valid for any file written by SQLite 3.7.0 or later.
static sqlite3_int64 database_bytes(sqlite3_file *file, const sqlite3_io_methods *original) {
    unsigned char header[32];
    if (original->xRead(file, header, sizeof header, 0) != SQLITE_OK) return -1;
    sqlite3_int64 page_size = (header[16] << 8) | header[17];
    if (page_size == 1) page_size = 65536;
    sqlite3_int64 pages = ((sqlite3_int64)header[28] << 24) | (header[29] << 16) | (header[30] << 8) | header[31];
    if (page_size < 512 || pages == 0) return -1;
    return page_size * pages;
}

static sqlite3_int64 available(sqlite3_file *file, const sqlite3_io_methods *original) {
    sqlite3_int64 size = 0;
    if (original->xFileSize(file, &size) != SQLITE_OK) return -1;
    sqlite3_int64 used = database_bytes(file, original);
    return used < 0 ? -1 : size - used;
}

/// Zeros past the end of the file, up to the target. Called only while this connection holds
/// the checkpoint lock, so no other checkpoint writes the file meanwhile: in WAL mode only
/// checkpoints write it. A failure (a full disk) leaves the reserve as it is.
static void top_up(sqlite3_file *file, const ReserveMethods *reserve) {
    sqlite3_int64 have = available(file, reserve->original);
    sqlite3_int64 size = 0;
    if (have < 0 || have >= reserve->target || reserve->original->xFileSize(file, &size) != SQLITE_OK) return;
    sqlite3_int64 want = reserve->target - have;
    if (want > reserve->step) want = reserve->step;
    static const unsigned char zeros[65536];
    for (sqlite3_int64 written = 0; written < want; written += (sqlite3_int64)sizeof zeros) {
        int amount = (int)((want - written) < (sqlite3_int64)sizeof zeros ? (want - written) : (sqlite3_int64)sizeof zeros);
        if (reserve->original->xWrite(file, zeros, amount, size + written) != SQLITE_OK) return;
    }
}

static int reserve_truncate(sqlite3_file *file, sqlite3_int64 size) {
    const ReserveMethods *reserve = reserve_of(file);
    sqlite3_int64 current = 0;
    int rc = reserve->original->xFileSize(file, &current);
    if (rc != SQLITE_OK) return rc;
    // Pages past the database's size are never read: SQLite takes the size from the header.
    if (size <= current) return SQLITE_OK;
    return reserve->original->xTruncate(file, size);
}

static int reserve_file_control(sqlite3_file *file, int op, void *argument) {
    const ReserveMethods *reserve = reserve_of(file);
    if (op == SQLITE_FCNTL_CKPT_DONE && reserve->target > 0) top_up(file, reserve);
    return reserve->original->xFileControl(file, op, argument);
}

static int reserve_close(sqlite3_file *file) {
    const ReserveMethods *reserve = reserve_of(file);
    file->pMethods = reserve->original;
    int rc = reserve->original->xClose(file);
    sqlite3_free((void *)reserve);
    return rc;
}

int trent_reserve_install(sqlite3 *db, sqlite3_int64 target_bytes, sqlite3_int64 step_bytes) {
    sqlite3_file *file = NULL;
    int rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file);
    if (rc != SQLITE_OK) return rc;
    if (file == NULL || file->pMethods == NULL) return SQLITE_NOTFOUND;
    if (file->pMethods->xTruncate == reserve_truncate) return SQLITE_MISUSE;
    ReserveMethods *reserve = sqlite3_malloc(sizeof *reserve);
    if (reserve == NULL) return SQLITE_NOMEM;
    reserve->methods = *file->pMethods;
    reserve->original = file->pMethods;
    reserve->target = target_bytes;
    reserve->step = step_bytes > 0 ? step_bytes : 65536;
    reserve->methods.xTruncate = reserve_truncate;
    reserve->methods.xFileControl = reserve_file_control;
    reserve->methods.xClose = reserve_close;
    file->pMethods = &reserve->methods;
    return SQLITE_OK;
}

sqlite3_int64 trent_reserve_available(sqlite3 *db) {
    sqlite3_file *file = NULL;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || file == NULL || file->pMethods == NULL) {
        return -1;
    }
    const sqlite3_io_methods *original = file->pMethods->xTruncate == reserve_truncate ? reserve_of(file)->original : file->pMethods;
    return available(file, original);
}
