import CSQLiteReserve
import GRDB

/// Space written ahead at the end of the database file, so that checkpoints copy pages into
/// blocks the file system has already allocated.
///
/// The audit trail grows the database at the end. A checkpoint that writes past the end of the
/// file makes the file system allocate blocks, and the checkpoint's flush then has to write the
/// file's metadata as well as its pages: on this ext4, a 256 KiB write and flush took 0.18 ms
/// when it extended the file and 0.10 ms into blocks written before (`posix_fallocate`'s
/// unwritten blocks cost as much as extending). Under load the difference is larger, and the
/// writer's own checkpoint holds every request of its group while it flushes. Encrypt at 64
/// connections, alternating runs on fresh stores: p99 4.8–8.9 ms before, 4.6–5.6 ms with this
/// reserve, and 3.7 ms with a file allocated in full before the run, which shows what is left:
/// the zeros written ahead share the disk with the log (docs/performance.md, eleventh session).
///
/// Every connection of the store keeps the space: SQLite truncates the file to the database's
/// size after each complete checkpoint, and that truncation is skipped when it would shrink
/// the file (as with SQLite's own `SQLITE_FCNTL_CHUNK_SIZE`, pages past the size in the file's
/// header are never read). ``WALCheckpointer``'s connection tops the space up: each of its
/// checkpoints writes zeros past the end, `step` at most, until `target` bytes are ahead, while
/// it holds the checkpoint lock and before it flushes the file. SQLite's own growth of the file
/// in chunks is no substitute: it writes the whole chunk inside whichever checkpoint crosses
/// into it, the writer's included (8 MB chunks: p99 8–10 ms; 64 MB: 26–30 ms).
public enum DatabaseFileReserve {
    /// 16 MB: about half a second of Encrypt load at full speed.
    public static let defaultTarget: Int64 = 16 << 20
    /// 512 KB per checkpoint, about twice what one 10 ms pass of the checkpointer copies under
    /// full load: the space keeps up, and the pass holds the checkpoint lock (which the writer's
    /// own checkpoint then skips its turn on) only briefly for it.
    public static let defaultStep: Int64 = 512 << 10

    /// Keeps the space at the end of `db`'s file: the store's own connections.
    static func keep(_ db: Database) throws {
        try install(db, target: 0, step: 0)
    }

    /// Keeps the space and tops it up from this connection's checkpoints.
    static func grow(_ db: Database, target: Int64, step: Int64) throws {
        try install(db, target: target, step: step)
    }

    /// Bytes of the file past the database's own pages, as its header gives them.
    static func available(_ db: Database) -> Int64? {
        let bytes = trent_reserve_available(db.sqliteConnection)
        return bytes < 0 ? nil : bytes
    }

    private static func install(_ db: Database, target: Int64, step: Int64) throws {
        let code = trent_reserve_install(db.sqliteConnection, target, step)
        // An in-memory database has no file to keep space in.
        guard code != SQLITE_OK, code != SQLITE_NOTFOUND else { return }
        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "could not keep space at the end of the database file")
    }
}
