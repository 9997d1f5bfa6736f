#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// How a principal change made by one process (`trent iam …`) reaches a running server at once.
///
/// After committing a change, the writer appends one byte to a file beside the database; the
/// server looks at that file for every authenticated request (once for all the requests that
/// had arrived before it looked, see `PrincipalDirectory`) and drops its principal caches when
/// the file's identity, size or modification time differ from what it saw last. The size alone
/// grows with every change, so two changes within one tick of the file system's coarse clock
/// are still told apart.
///
/// Why a file and not SQLite: the cheap SQLite signal, `PRAGMA data_version`, changes with every
/// commit of any other connection, and the server's own writer commits an audit record on every
/// request, so it would fire on every request (and needs a connection of its own, behind a
/// lock). Reading a version row instead costs a read transaction on the pool and a thread hop:
/// `trent-microbench sqlite.read-transaction` measured about 135 µs on the 2-core build machine
/// under load. A `stat` of the file's path measured 1.2 µs there (`trent-microbench
/// principals`); under load perf put it at 2.5 % of the event loops' time, most of it walking
/// the path. So the file is kept open and `fstat`ed instead, which also sees appends made
/// through other descriptors. A file deleted or renamed over since it was opened has no links
/// left (`st_nlink` 0): then the path is opened again, so a file made anew is followed too. An
/// mmap'ed counter would be cheaper still, but needs atomics on memory shared between
/// processes.
///
/// The signal follows the commit, so a server that sees it reads the new rows. A writer killed
/// between its commit and its signal leaves running servers on the old principals until the
/// next change or restart.
final class PrincipalChangeFile: Sendable {
    let path: String
    /// The file, open for `fstat`; -1 while it is missing. Behind a lock because a deleted file
    /// is closed and opened again by whichever request notices.
    private let watched: Mutex<Int32>

    /// Creates the file (owner-only) if it does not exist and can be made; a missing file only
    /// reads as one stamp until the first change creates it.
    init(path: String) {
        self.path = path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        if descriptor >= 0 { close(descriptor) }
        watched = Mutex(open(path, O_RDONLY | O_CLOEXEC))
    }

    deinit {
        watched.withLock { descriptor in
            if descriptor >= 0 { close(descriptor) }
        }
    }

    /// Tells every watcher that principals changed.
    func signal() throws {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PrincipalChangeFileError.cannotOpen(path, errno) }
        defer { close(descriptor) }
        var byte: UInt8 = 0x2E
        guard write(descriptor, &byte, 1) == 1 else { throw PrincipalChangeFileError.cannotWrite(path, errno) }
    }

    /// The file's identity, size and modification time; all zero while it is missing (so a
    /// deleted file reads as one more change, then as none until it comes back).
    func stamp() -> PrincipalChangeStamp {
        watched.withLock { descriptor in
            var info = stat()
            if descriptor >= 0, fstat(descriptor, &info) == 0, info.st_nlink > 0 { return Self.stamp(info) }
            // Missing when last looked for, or unlinked since: look the path up again.
            if descriptor >= 0 { close(descriptor) }
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0, fstat(descriptor, &info) == 0 else { return PrincipalChangeStamp(0) }
            return Self.stamp(info)
        }
    }

    private static func stamp(_ info: stat) -> PrincipalChangeStamp {
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return PrincipalChangeStamp(
            UInt64(info.st_ino), UInt64(info.st_size), Int64(modified.tv_sec), Int64(modified.tv_nsec))
    }
}

enum PrincipalChangeFileError: Error, CustomStringConvertible {
    case cannotOpen(String, Int32)
    case cannotWrite(String, Int32)

    var description: String {
        switch self {
        case .cannotOpen(let path, let code): "cannot open \(path): \(String(cString: strerror(code)))"
        case .cannotWrite(let path, let code): "cannot write \(path): \(String(cString: strerror(code)))"
        }
    }
}
