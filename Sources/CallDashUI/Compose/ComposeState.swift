import CallDashCore

/// Which screen is up.
public enum Screen: Equatable, Sendable { case calls, compose, campaign }

/// Which Compose pane keys go to.
public enum ComposeFocus: Equatable, Sendable { case list, editor, preview }

/// A line of the webhook editor.
public enum EditorRow: Equatable, Sendable {
    case name, url, method, format
    case header(Int)
    case body(Int)

    /// The rows of a webhook, in the order the editor shows them.
    static func rows(of w: Webhook) -> [EditorRow] {
        [.name, .url, .method, .format] + w.headers.indices.map(EditorRow.header) + w.body.indices.map(EditorRow.body)
    }

    /// A header or a body key: a key and a value on one line.
    var isEntry: Bool {
        switch self {
        case .header, .body: true
        case .name, .url, .method, .format: false
        }
    }

    /// The column of `error` in this row's value, when the error is there.
    func errorColumn(_ error: TemplateError?) -> Int? {
        guard let error else { return nil }
        switch (self, error.location) {
        case (.url, .url): return error.column
        case (.header(let i), .headerValue(let j, _)) where i == j: return error.column
        case (.body(let i), .bodyValue(let j, _)) where i == j: return error.column
        default: return nil
        }
    }

    /// Whether `error` is about this row's key (a header name).
    func isKeyError(_ error: TemplateError?) -> Bool {
        if case .header(let i) = self, case .headerName(let j, _) = error?.location { return i == j }
        return false
    }
}

/// A webhook being edited, and what is known of its file.
public struct Draft: Equatable, Sendable {
    public var webhook: Webhook
    /// Its file; for a new webhook, the file it will be saved to.
    public var file: String
    /// The file's stamp when read or last saved; nil while never saved.
    public var stamp: FileStamp?
    /// The webhook as the file holds it; nil while never saved.
    public var saved: Webhook?
    /// The file changed (or vanished) on disk while this draft had unsaved changes.
    public var changedOnDisk = false

    public var isDirty: Bool { webhook != saved }

    public init(webhook: Webhook, file: String, stamp: FileStamp? = nil, saved: Webhook? = nil) {
        self.webhook = webhook
        self.file = file
        self.stamp = stamp
        self.saved = saved
    }
}

/// A question on the bottom bar, answered with y (anything else cancels).
public enum ComposeConfirm: Equatable, Sendable {
    /// `name` is the webhook's, nil for a file that cannot be read.
    case delete(file: String, stamp: FileStamp, name: String?)
    /// Unsaved changes would be lost by `then`.
    case discard(then: ComposeAction)
    /// Saving would overwrite a file changed on disk.
    case overwrite
    /// Quitting would lose unsaved changes; asked on Compose, coming from `from` (nil: Compose
    /// itself), where "no" goes back to.
    case quit(from: Screen?)
    /// A new webhook, never saved, would be thrown away.
    case discardNew(name: String)
}

/// What was asked for when unsaved changes were in the way.
public enum ComposeAction: Equatable, Sendable {
    /// Open the listed file (by path: the list may be read again while a question is open).
    case open(file: String)
    case new
    case duplicate
    case reload
}

/// A test send in flight or its verdict.
public enum TestSend: Equatable, Sendable {
    case sending(toSelf: Bool)
    /// `stale`: the request has changed since it was sent, so the verdict is about an earlier one.
    case done(SendVerdict, toSelf: Bool, stale: Bool = false)
}

/// Everything the Compose screen shows.
public struct ComposeState: Sendable {
    /// The webhooks folder, as the header names it.
    public var folder: String
    public var entries: [WebhookFolder.Entry] = []
    public var listCursor = 0
    public var focus = ComposeFocus.list
    public var draft: Draft?
    /// The editor row under the cursor.
    public var row = 0
    /// Earlier versions of the draft, newest last (`u` steps back).
    public var undo: [Webhook] = []
    public var preview = ComposePreview()
    public var previewScroll = 0
    public var test: TestSend?
    public var secrets: SecretSource
    /// The values of the call the preview renders with (the one selected in Calls, or the sample).
    public var values = TemplateValues.sample
    /// The modes open on this screen: a question, the palette, the call picker, a line being typed.
    public var modals = ModalStack<ComposeModal>()
    /// What was asked of the dashboard around it, carried out after each call (`ComposeRequest`).
    var requests: [ComposeRequest] = []
    /// Whether the Calls list was following new calls when Compose opened.
    public var resumeFollow = false

    public init(folder: String, secrets: SecretSource) {
        self.folder = folder
        self.secrets = secrets
    }

    public var rows: [EditorRow] { draft.map { EditorRow.rows(of: $0.webhook) } ?? [] }

    public var currentRow: EditorRow? { rows.indices.contains(row) ? rows[row] : nil }

    /// The text of a row's editable part, nil for rows edited by cycling (method, format).
    func text(of r: EditorRow, key: Bool) -> String? {
        guard let w = draft?.webhook else { return nil }
        switch r {
        case .name: return w.name
        case .url: return w.url
        case .method, .format: return nil
        case .header(let i): return key ? w.headers[i].name : w.headers[i].value
        case .body(let i): return key ? w.body[i].name : w.body[i].value
        }
    }

    mutating func setText(_ s: String, of r: EditorRow, key: Bool) {
        guard var w = draft?.webhook else { return }
        switch r {
        case .name: w.name = s
        case .url: w.url = s
        case .method, .format: return
        case .header(let i): if key { w.headers[i].name = s } else { w.headers[i].value = s }
        case .body(let i): if key { w.body[i].name = s } else { w.body[i].value = s }
        }
        draft?.webhook = w
    }

    /// The variables with the call's values, as the palette lists them.
    static func palette(_ values: TemplateValues) -> [(name: String, value: String?)] {
        Template.variableNames.map { ($0, values.value(of: $0)) }
    }
}

extension ComposeState {
    func layout(_ ctx: ComposeContext) -> ComposeLayout { ComposeLayout(width: ctx.width, height: ctx.height, editorRows: rows.count) }
}
