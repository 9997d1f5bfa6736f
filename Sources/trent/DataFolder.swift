import Foundation
import KMSCrypto
import KMSStorage

/// The files of a data folder: the SQLite database, the root key and the published public key
/// that signs audit digests.
struct DataFolder {
    let path: String
    var databasePath: String { path + "/trent.sqlite" }
    var rootKeyPath: String { path + "/root.key" }
    var auditPublicKeyPath: String { path + "/audit-public-key.pem" }

    /// Creates the folder (owner-only) if it does not exist.
    init(creating path: String) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// An existing data folder, as the `trent audit` commands read it.
    init(existing path: String) throws {
        guard FileManager.default.fileExists(atPath: path + "/trent.sqlite") else {
            throw DataFolderError.missing(path)
        }
        self.path = path
    }

    static func resolve(_ option: String?) -> String {
        option ?? ProcessInfo.processInfo.environment["TRENT_DATA"] ?? "./trent-data"
    }

    func openRepository() throws -> SQLiteKeyRepository {
        try SQLiteKeyRepository(path: databasePath)
    }

    func loadRootKey() throws -> FileRootKeyProvider {
        guard FileManager.default.fileExists(atPath: rootKeyPath) else { throw DataFolderError.missing(rootKeyPath) }
        return try FileRootKeyProvider.loadOrCreate(at: rootKeyPath).provider
    }
}

enum DataFolderError: Error, CustomStringConvertible {
    case missing(String)

    var description: String {
        switch self {
        case .missing(let path): "no Trent data at \(path)"
        }
    }
}
