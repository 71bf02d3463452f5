import CallDashCore

/// Work that `update` asks for and the executable performs: the only ways the UI touches
/// the world. Results come back as `AppEvent`s.
public enum Effect: Equatable, Sendable {
    case quit
    /// Read the full record of a stored report (from the journal).
    case loadRecord(ReportSummary)
    /// Put text on the clipboard through the terminal (OSC 52).
    case copy(String)
    /// Open a URL in the browser.
    case open(String)
    /// HEAD the URL and report reachability.
    case check(seq: UInt64, url: String)
    /// Filter the store anew for a typed search, off the UI thread, starting from the calls
    /// shown (a narrower search checks only those); answered with `.searched`.
    case search(SearchJob)
    /// Compute the Campaign figures off the UI thread; answered with `.statsComputed`.
    case computeStats(StatsJob)
    /// Write the Campaign table shown (as CSV) to a file.
    case exportCampaign(csv: String)
    /// Write the reports shown (their seqs, in the order shown) to a file.
    case export(ExportFormat, seqs: [UInt64])
    /// Read the webhooks folder again (answered with `.webhooksLoaded`).
    case reloadWebhooks
    /// Write a webhook to its file, unless the file's stamp is no longer `expected`;
    /// `overwrite` writes over whatever is there (the user confirmed it).
    case saveWebhook(Webhook, file: String, expected: FileStamp?, overwrite: Bool)
    case deleteWebhook(file: String, expected: FileStamp)
    /// Send a rendered request once: to its URL, or to the embedded receiver (`toSelf`), which
    /// must then map it back through `webhook` even before it is saved.
    case sendTest(RenderedRequest, webhook: Webhook, toSelf: Bool)
    /// Send a stored delivery again, as it arrived, to the user's app (answered with `.replayed`).
    case replay(RenderedRequest, seq: UInt64)
    /// Open the request's body in the user's editor, the dashboard suspended meanwhile
    /// (answered with `.edited`).
    case editBody(RenderedRequest, seq: UInt64)
}

/// File formats for exporting what the list shows.
public enum ExportFormat: Equatable, Sendable {
    /// RFC 4180, every value as sent: for programs.
    case csv
    /// CSV whose long numbers a spreadsheet keeps as text (a phone number, not 9.18E+11).
    case spreadsheet
    case jsonLines

    /// How the file's name ends.
    public var fileSuffix: String {
        switch self {
        case .csv: ".csv"
        case .spreadsheet: "-sheet.csv"
        case .jsonLines: ".jsonl"
        }
    }
}
