import CallDashCore

/// Everything that can change the UI's state. Background work only sends these.
public enum AppEvent: Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
    /// The store has a new version; `now` stamps the arrivals for the sparkline.
    case storeChanged(StoreSnapshot, now: Timestamp)
    /// A second passed: ages the sparkline and expires messages.
    case tick(now: Timestamp)
    /// A forward attempt was made (`forwards` has it).
    case forwardsChanged
    /// Where the calls come from, said anew (`watch --remote`: connected, or reconnecting and why).
    case listenChanged(String)
    case recordLoaded(seq: UInt64, Result<DeliveryRecord, LoadFailure>)
    case urlChecked(seq: UInt64, URLCheck)
    /// A search started by `.search` is done.
    case searched(VisibleCalls)
    /// The Campaign figures asked for by `.computeStats`.
    case statsComputed(Result<CampaignFigures, StatsQueryError>)
    /// A frame is about to be drawn: work deferred until then (a typed search) is done now.
    case frame
    /// A line for the bottom bar from an effect (export written, browser opened, …).
    case message(String, isError: Bool)
    /// The webhooks folder as read now (after a save, or because a file changed on disk).
    case webhooksLoaded([WebhookFolder.Entry])
    case webhookSaved(file: String, Webhook, Result<FileStamp, WebhookFolder.Failure>)
    case webhookDeleted(file: String, failure: WebhookFolder.Failure?)
    case testSent(SendVerdict, toSelf: Bool)
    /// The app's answer to the replay of `seq`.
    case replayed(seq: UInt64, SendVerdict)
    /// The body of `seq` as the editor left it, or why there is none.
    case edited(seq: UInt64, Result<[UInt8], EditFailure>)
}

/// Why an edited body did not come back: no editor set, it failed, or the file was emptied.
public struct EditFailure: Error, Equatable, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// Why a record could not be read back from the journal.
public struct LoadFailure: Error, Equatable, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}
