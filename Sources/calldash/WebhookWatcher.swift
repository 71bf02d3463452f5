import CallDashCore
import Synchronization

/// Keeps the receiver's webhook mapping in step with the webhooks folder: reads it at start,
/// then looks at the files' stamps once a second and, when any changed, reloads the mapping
/// and tells `onChange` (the dashboard lists the files and notices edits made by hand).
final class WebhookWatcher: Sendable {
    let folder: WebhookFolder
    let registry = WebhookRegistry()
    private let last = Mutex<[WebhookFolder.Entry]>([])
    private let listener = Mutex<(@Sendable ([WebhookFolder.Entry]) -> Void)?>(nil)

    init(path: String) {
        folder = WebhookFolder(path: path)
    }

    /// Reads the folder now; returns the broken files' problems.
    @discardableResult
    func reload() -> [WebhookFileError] {
        let entries = folder.load()
        let changed = last.withLock { old in
            defer { old = entries }
            return old.map { [$0.path: $0.stamp] } != entries.map { [$0.path: $0.stamp] }
        }
        if changed {
            registry.replace(with: entries.compactMap { try? $0.content.get() })
            listener.withLock { $0 }?(entries)
        }
        return entries.compactMap { if case let .failure(e) = $0.content { e } else { nil } }
    }

    var entries: [WebhookFolder.Entry] { last.withLock { $0 } }

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
