import CallDashCore
import Synchronization

/// Keeps the receiver's webhook mapping in step with the webhooks folder: reads it at start,
/// then compares the files' stamps once a second and, only when one changed, reads the folder
/// again, replaces the mapping and tells `onChange` (the dashboard lists the files and notices
/// edits made by hand).
final class WebhookWatcher: Sendable {
    let folder: WebhookFolder
    let registry = WebhookRegistry()
    private let state = Mutex<(stamps: [String: FileStamp], entries: [WebhookFolder.Entry])>(([:], []))
    private let listener = Mutex<(@Sendable ([WebhookFolder.Entry]) -> Void)?>(nil)

    init(path: String) {
        folder = WebhookFolder(path: path)
    }

    /// Reads the folder again if any file changed; returns the broken files' problems then.
    @discardableResult
    func reload() -> [WebhookFileError] {
        let stamps = folder.stamps()
        guard state.withLock({ $0.stamps != stamps }) else { return [] }
        let entries = folder.load()
        // Stamps as read with the contents, so a change during the read is seen next time.
        state.withLock { $0 = (Dictionary(uniqueKeysWithValues: entries.map { ($0.path, $0.stamp) }), entries) }
        registry.replace(with: entries.compactMap { try? $0.content.get() })
        listener.withLock { $0 }?(entries)
        return entries.compactMap { if case .failure(let e) = $0.content { e } else { nil } }
    }

    var entries: [WebhookFolder.Entry] { state.withLock { $0.entries } }

    /// Hears every change from now on.
    func onChange(_ f: @escaping @Sendable ([WebhookFolder.Entry]) -> Void) {
        listener.withLock { $0 = f }
    }

    /// Polls until the task is cancelled.
    func watch() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            reload()
        }
    }
}
