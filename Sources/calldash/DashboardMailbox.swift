import CallDashTerminal
import Synchronization

/// What other threads say to the dashboard (the receiver's problems, a remote's status) before it
/// runs, while it runs and after it has quit. Said before it runs, the header's last text and the
/// messages are kept and shown once it does; after it has quit, a message goes back to the caller.
final class DashboardMailbox: Sendable {
    private struct State {
        var dashboard: Dashboard?
        var header: String?
        var messages: [String] = []
        var ended = false
    }
    private let state = Mutex(State())

    /// Says `text` in the message line (kept until the dashboard runs); false once it has quit.
    func message(_ text: String) -> Bool {
        let (dashboard, ended) = state.withLock { s in
            if s.dashboard == nil, !s.ended { s.messages.append(text) }
            return (s.dashboard, s.ended)
        }
        dashboard?.post(.message(text, isError: true))
        return !ended
    }

    /// Puts `text` in the header, where the listen address goes (the last one wins until it runs).
    func header(_ text: String) {
        state.withLock { s in
            s.header = text
            return s.dashboard
        }?.post(.listenChanged(text))
    }

    /// The dashboard is running: what was said before is shown now, the last message whole.
    func attach(_ dashboard: Dashboard) {
        let (header, messages) = state.withLock { s in
            s.dashboard = dashboard
            return (s.header, s.messages)
        }
        if let header { dashboard.post(.listenChanged(header)) }
        if let last = messages.last {
            dashboard.post(.message(messages.count > 1 ? "\(last) (+\(messages.count - 1) more in the log)" : last, isError: true))
        }
    }

    /// The dashboard has quit: messages go back to the caller.
    func detach() {
        state.withLock { s in
            s.dashboard = nil
            s.ended = true
        }
    }
}
