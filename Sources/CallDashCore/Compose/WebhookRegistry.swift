import Synchronization

/// The webhooks the receiver maps payloads back through, replaced whole when the webhooks
/// folder changes or the Compose screen sends a draft to itself, while deliveries read it.
public final class WebhookRegistry: Sendable {
    private struct State {
        var saved: [Webhook] = []
        /// Unsaved webhooks sent to the embedded receiver; each stands in front of its file.
        var drafts: [Int: Webhook] = [:]
        var mapping = WebhookMapping([])

        mutating func rebuild() {
            mapping = WebhookMapping(saved.filter { drafts[$0.id] == nil } + drafts.values)
        }
    }

    private let state = Mutex(State())

    public init(_ webhooks: [Webhook] = []) {
        replace(with: webhooks)
    }

    public var mapping: WebhookMapping { state.withLock { $0.mapping } }

    /// The webhooks read from the folder.
    public func replace(with webhooks: [Webhook]) {
        state.withLock {
            $0.saved = webhooks
            $0.rebuild()
        }
    }

    /// A webhook not yet saved, mapped in memory so "send to itself" comes back mapped.
    public func include(draft: Webhook) {
        state.withLock {
            $0.drafts[draft.id] = draft
            $0.rebuild()
        }
    }

    /// Its file now holds what counts (it was saved or deleted): the draft steps aside.
    public func forgetDraft(id: Int) {
        state.withLock {
            $0.drafts[id] = nil
            $0.rebuild()
        }
    }
}
