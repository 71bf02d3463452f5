import CallDashCore
import MultipartKit
import NIOCore

/// Reads `multipart/form-data` bodies with vapor/multipart-kit: each named part becomes a field,
/// its body the value (it must be UTF-8 text, as report fields are).
struct MultipartKitFieldDecoder: MultipartFieldDecoder {
    func fields(in body: [UInt8], boundary: String) throws(Rejection) -> [NameValue] {
        guard body.contains(Array("--\(boundary)--".utf8)) else {
            throw Rejection(400, "multipart body has no closing boundary --\(boundary)-- (truncated?)")
        }
        let parser = MultipartParser(boundary: boundary)
        var fields: [NameValue] = []
        var name: String?
        var value = ByteBuffer()
        var failure: Rejection?
        parser.onHeader = { header, headerValue in
            guard header.lowercased() == "content-disposition" else { return }
            name = Self.parameter("name", in: headerValue)
        }
        parser.onBody = { chunk in value.writeBuffer(&chunk) }
        parser.onPartComplete = {
            defer {
                name = nil
                value.clear()
            }
            guard failure == nil else { return }
            guard let partName = name else {
                failure = Rejection(400, "multipart part \(fields.count + 1) has no name in its Content-Disposition")
                return
            }
            let bytes = Array(value.readableBytesView)
            if let bad = UTF8Validation.firstInvalidOffset(bytes) {
                failure = Rejection(400, "multipart part \"\(partName)\" is not UTF-8 text (bad byte at \(bad))")
                return
            }
            fields.append(NameValue(partName, String(decoding: bytes, as: UTF8.self)))
        }
        do {
            try parser.execute(body)
        } catch {
            throw Rejection(400, "malformed multipart body: \(error)")
        }
        if let failure { throw failure }
        return fields
    }

    /// A parameter of a header value such as `form-data; name="to"`.
    static func parameter(_ key: String, in value: String) -> String? {
        for part in value.split(separator: ";").dropFirst() {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: " \t").lowercased() == key else { continue }
            var v = kv[1].trimmingCharacters(in: " \t")
            if v.count >= 2, v.hasPrefix("\""), v.hasSuffix("\"") { v = String(v.dropFirst().dropLast()) }
            return v
        }
        return nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = self
        while let c = s.first, set.contains(c) { s.removeFirst() }
        while let c = s.last, set.contains(c) { s.removeLast() }
        return String(s)
    }
}
