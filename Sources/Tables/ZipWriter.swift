import Foundation
import ZIPFoundation

/// Makes a zip archive in memory (the workbench's downloads of a folder of files: printable
/// lists, the report). Every entry is deflated and dated 2000-01-01 00:00, so the same files give
/// the same bytes.
public enum ZipWriter {
    /// - Parameter entries: paths inside the archive (`page-01.html`, `report/index.html`) and bytes.
    public static func archive(_ entries: [(path: String, bytes: [UInt8])]) throws(TablesError) -> [UInt8] {
        do {
            let archive = try Archive(data: Data(), accessMode: .create, pathEncoding: nil)
            let date = Date(timeIntervalSince1970: 946_684_800)
            for entry in entries {
                let data = Data(entry.bytes)
                try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count), modificationDate: date,
                                     compressionMethod: .deflate) { position, size in
                    data.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            guard let data = archive.data else {
                throw TablesError(.write, file: "archive.zip", message: "the archive was not made", hint: "try again")
            }
            return Array(data)
        } catch let error as TablesError {
            throw error
        } catch {
            throw TablesError(.write, file: "archive.zip", message: "the archive could not be made (\(error))", hint: "try again")
        }
    }
}
