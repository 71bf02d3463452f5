import CallDashCore

/// Every place the UI uses a colour, named by what it means rather than how it looks, so a
/// theme file can restyle one meaning everywhere.
public enum ThemeRole: String, CaseIterable, Sendable {
    case base = "base"
    case headerTitle = "header.title"
    case headerText = "header.text"
    case headerDim = "header.dim"
    case sparkline = "header.sparkline"
    case statusAnswered = "status.answered"
    case statusNoAnswer = "status.noanswer"
    case statusBusy = "status.busy"
    case statusCancel = "status.cancel"
    case statusFailed = "status.failed"
    case statusCongestion = "status.congestion"
    case statusUnavailable = "status.chanunavail"
    case statusOther = "status.other"
    case statusRejected = "status.rejected"
    case listHeader = "list.header"
    case listRow = "list.row"
    case listDim = "list.dim"
    /// Text matching the search, in the list's rows.
    case listMatch = "list.match"
    case listCursor = "list.cursor"
    case listCursorUnfocused = "list.cursor.unfocused"
    case border = "border"
    case borderFocused = "border.focused"
    case paneTitle = "pane.title"
    case detailLabel = "detail.label"
    case detailValue = "detail.value"
    case detailSection = "detail.section"
    case detailWarning = "detail.warning"
    case detailGood = "detail.good"
    case detailError = "detail.error"
    case jsonKey = "json.key"
    case jsonString = "json.string"
    case jsonNumber = "json.number"
    case jsonLiteral = "json.literal"
    case jsonPunctuation = "json.punctuation"
    case barText = "bar.text"
    case barKey = "bar.key"
    case barMessage = "bar.message"
    case barError = "bar.error"
    case searchPrompt = "search.prompt"
    case overlayText = "overlay.text"
    case overlayKey = "overlay.key"
    case overlayTitle = "overlay.title"
    case editorVariable = "editor.variable"
    case editorSecret = "editor.secret"
    case editorCursor = "editor.cursor"
    case editorError = "editor.error"
    case previewMethod = "preview.method"
    case previewTarget = "preview.target"
    case previewHeader = "preview.header"

    /// The role for a call status slot; rejected deliveries stand out.
    public static func status(_ slot: StatusSlot, rejected: Bool) -> ThemeRole {
        if rejected { return .statusRejected }
        switch slot {
        case .answer: return .statusAnswered
        case .noAnswer: return .statusNoAnswer
        case .busy: return .statusBusy
        case .cancel: return .statusCancel
        case .failed: return .statusFailed
        case .congestion: return .statusCongestion
        case .chanUnavailable: return .statusUnavailable
        case .other, .none: return .statusOther
        }
    }
}
