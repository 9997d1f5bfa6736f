import Foundation
import GRDB
import GRDBSQLite

/// The INSERT of one audit record, bound through SQLite's C API.
///
/// Every request appends a row on the group-commit thread. Bound through GRDB's
/// `StatementArguments`, the row's ten values became boxed `DatabaseValue`s bound inside ten
/// nested closures: 40 % of the row's cost on that thread (`perf`, Encrypt at 64 connections),
/// more than SQLite's own insert. Here the statement is still GRDB's cached one, so GRDB keeps
/// its view of the transaction; only the binding is done by hand.
enum AuditRowInsert {
    static let sql = """
        INSERT INTO audit_records (seq, event_time, event_name, principal_arn, key_arn,
            secondary_key_arn, error_code, record, previous_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func execute(
        _ statement: Statement, sequence: Int64, entry: AuditEntry, previousHash: Data, hash: Data
    ) throws {
        // Resets the statement and clears the previous row's bindings; GRDB then takes the
        // statement's arguments as bound.
        statement.setUncheckedArguments(StatementArguments())
        let handle = statement.sqliteStatement
        // The blobs are bound in place, valid only while they are being read: no binding
        // outlives this call.
        defer { sqlite3_clear_bindings(handle) }
        let binder = Binder(handle: handle)
        try binder.check(sqlite3_bind_int64(handle, 1, sequence))
        try binder.check(sqlite3_bind_double(handle, 2, entry.eventTime.timeIntervalSince1970))
        try binder.text(entry.eventName, at: 3)
        try binder.text(entry.principalArn, at: 4)
        try binder.text(entry.keyArn, at: 5)
        try binder.text(entry.secondaryKeyArn, at: 6)
        try binder.text(entry.errorCode, at: 7)
        try entry.record.withUnsafeBytes { record in
            try previousHash.withUnsafeBytes { previousHash in
                try hash.withUnsafeBytes { hash in
                    try binder.blob(record, at: 8)
                    try binder.blob(previousHash, at: 9)
                    try binder.blob(hash, at: 10)
                    try statement.execute()
                }
            }
        }
    }

    private struct Binder {
        let handle: SQLiteStatement

        /// Tells SQLite to copy the value: a Swift string's bytes have no lasting address.
        private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

        func check(_ code: CInt) throws {
            guard code == SQLITE_OK else {
                throw DatabaseError(
                    resultCode: ResultCode(rawValue: code),
                    message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))))
            }
        }

        func text(_ value: String?, at index: CInt) throws {
            guard var value else { return try check(sqlite3_bind_null(handle, index)) }
            try value.withUTF8 { utf8 in
                try check(sqlite3_bind_text(handle, index, utf8.baseAddress, CInt(utf8.count), Self.transient))
            }
        }

        /// Bound in place (SQLITE_STATIC): `bytes` must stay valid until the statement has run.
        func blob(_ bytes: UnsafeRawBufferPointer, at index: CInt) throws {
            guard let address = bytes.baseAddress else { return try check(sqlite3_bind_zeroblob(handle, index, 0)) }
            try check(sqlite3_bind_blob(handle, index, address, CInt(bytes.count), nil))
        }
    }
}
