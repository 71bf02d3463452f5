/// A compose webhook as the provider defines it and as its `<id>.json` file holds it.
public struct Webhook: Equatable, Sendable {
    public enum Method: String, CaseIterable, Sendable {
        case get = "GET"
        case post = "POST"
        case put = "PUT"
    }

    public enum Format: String, CaseIterable, Sendable {
        case json
        /// FormData sent as application/x-www-form-urlencoded.
        case form
        /// FormData sent as multipart/form-data.
        case multipart
    }

    public var id: Int
    public var name: String
    public var method: Method
    public var format: Format
    public var url: String
    public var headers: [NameValue]
    /// Body keys (any name) and their value templates; for GET they go to the query string.
    public var body: [NameValue]

    public init(id: Int, name: String, method: Method, format: Format, url: String, headers: [NameValue] = [], body: [NameValue] = []) {
        self.id = id
        self.name = name
        self.method = method
        self.format = format
        self.url = url
        self.headers = headers
        self.body = body
    }
}

/// A webhook file that cannot be used: the file, the line and what is wrong.
public struct WebhookFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var problem: String

    public var description: String { "\(file):\(line): \(problem)" }
}
