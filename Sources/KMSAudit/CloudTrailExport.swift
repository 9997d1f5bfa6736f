import CompressNIO
import Foundation
import NIOCore

/// Writes records as CloudTrail log files: gzip'd `{"Records": [...]}`, one file per account,
/// Region and hour, named as CloudTrail names them, so tools that read CloudTrail logs read these.
public enum CloudTrailExport {
    public struct File: Sendable, Equatable {
        public var name: String
        public var records: [Data]
    }

    /// Groups stored record bytes into files. Records keep their trail order within a file.
    public static func files(for records: [Data]) throws -> [File] {
        var groups: [String: [Data]] = [:]
        var order: [String] = []
        for bytes in records {
            let event = try CloudTrailEvent.decode(bytes)
            let hour = event.eventTime.prefix(13).replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
            let key = "\(event.recipientAccountId)_CloudTrail_\(event.awsRegion)_\(hour)00Z"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(bytes)
        }
        return order.map { key in
            File(name: "\(key)_\(UUID().uuidString.prefix(16).replacingOccurrences(of: "-", with: "")).json.gz", records: groups[key]!)
        }
    }

    /// The file's content: `{"Records":[…]}` with each record exactly as stored, gzip'd.
    public static func gzipped(_ file: File) throws -> Data {
        var json = Data("{\"Records\":[".utf8)
        for (index, record) in file.records.enumerated() {
            if index > 0 { json.append(UInt8(ascii: ",")) }
            json.append(record)
        }
        json.append(contentsOf: Array("]}".utf8))
        var buffer = ByteBuffer(bytes: json)
        let compressed = try buffer.compress(with: CompressionAlgorithm.gzip())
        return Data(compressed.readableBytesView)
    }
}
