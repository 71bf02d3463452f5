import CallDashCore

/// The lines of the detail pane for one record: every field, the duration check, the recording
/// URL and its actions, the request as it arrived, and the body.
public enum DetailContent {
    public static let labelWidth = 15

    /// What the user's app made of the call (`--forward-to`): its last attempt.
    static func forwardLines(_ f: ForwardAttempt) -> [StyledLine] {
        guard f.attempt > 0 else {
            return [StyledLine([("→ not forwarded to \(f.url): ", .detailLabel), (f.error ?? "", .detailError)])]
        }
        let tries = f.attempt == 1 ? "" : " (attempt \(f.attempt))"
        let outcome =
            f.delivered
            ? ("\(f.status.map(String.init) ?? "") in \(f.ms) ms\(tries)", ThemeRole.detailGood)
            : ("\(f.error ?? "not taken")\(f.status == nil ? "" : " in \(f.ms) ms")\(tries)", ThemeRole.detailError)
        return [StyledLine([("→ forwarded to \(f.url): ", .detailLabel), outcome])] + appSaid(f.reply)
    }

    /// The start of the app's reply, on one line (a forward's or a replay's).
    static func appSaid(_ reply: String) -> [StyledLine] {
        guard !reply.isEmpty else { return [] }
        let start = reply.prefix(200).map { $0.isNewline ? " " : $0 }
        return [StyledLine([("  the app said: ", .detailLabel), (String(start), .detailValue)])]
    }

    public static func lines(
        for r: DeliveryRecord, check: URLCheck?, checking: Bool, replay: ReplayState? = nil, raw: Bool, utcOffset: Int
    ) -> [StyledLine] {
        var out: [StyledLine] = []
        let status = r.fields[.status] ?? "—"
        let statusRole = ThemeRole.status(StatusSlot(code: CallStatus.code(of: r.fields[.status])), rejected: r.outcome == .rejected)
        var title: [(String, ThemeRole)] = [("#\(r.seq)  ", .detailValue)]
        title.append(r.outcome == .rejected ? (" REJECTED \(r.responseCode) ", .statusRejected) : (status, statusRole))
        title.append(
            ("  \(r.outcome.rawValue) · answered \(r.responseCode) · received \(r.receivedAt.civil(offset: utcOffset))", .detailLabel))
        out.append(StyledLine(title))
        if let w = r.webhook { out.append(StyledLine([("mapped through compose webhook #\(w)", .detailLabel)])) }
        if let d = r.duplicateOf {
            out.append(
                StyledLine([
                    ("↻ a duplicate of #\(d): ", .detailWarning), ("the same standard fields (a provider retry); not counted", .detailLabel)
                ]))
        }
        if let of = Resend.replayOf(r) {
            out.append(
                StyledLine([("⟲ a replay of #\(of) ", .detailWarning), ("(CallDash-Replay-Of, sent by calldash replay or R)", .detailLabel)]
                ))
        }
        if let f = r.forward { out += forwardLines(f) }
        if let replay {
            let head = ("replayed to \(replay.url)\(replay.edited ? " with the edited body" : ""): ", ThemeRole.detailLabel)
            switch replay.stage {
            case .editing: out.append(StyledLine([head, ("its body is in the editor", .detailLabel)]))
            case .sending: out.append(StyledLine([head, ("sending…", .detailLabel)]))
            case .answered(let verdict):
                out.append(StyledLine([head, (verdict.summary, verdict.delivered ? .detailGood : .detailError)]))
                out += appSaid(verdict.reply)
            case .notSent(let why):
                out.append(StyledLine([("not replayed to \(replay.url): ", .detailLabel), (why, .detailError)]))
            }
        }
        if let e = r.error { out.append(StyledLine([("error  ", .detailError), (e, .detailError)])) }

        out.append(StyledLine())
        out.append(StyledLine([("Fields", .detailSection)]))
        if r.fields.present.isEmpty { out.append(StyledLine([("  (none)", .detailLabel)])) }
        for (field, value) in r.fields.present {
            var line = labelled(field.rawValue, value, field == .status ? statusRole : .detailValue)
            if field == .duration { line.spans.append(durationCheck(r.fields)) }
            out.append(line)
            if field == .recordingURL, r.fields[.recordingURL]?.isEmpty == false {
                out += recordingActions(check: check, checking: checking)
            }
        }
        if !r.extra.isEmpty {
            out.append(StyledLine())
            out.append(StyledLine([("Other keys", .detailSection)]))
            for e in r.extra { out.append(labelled(e.name, e.value, .detailValue)) }
        }

        out.append(StyledLine())
        out.append(StyledLine([("Request", .detailSection)]))
        let query = r.query.isEmpty ? "" : "?" + r.query.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
        out.append(StyledLine([("  \(r.method) ", .detailValue), (r.path + query, .detailValue)]))
        out.append(labelled("remote", r.remote, .detailValue))
        out.append(labelled("content type", r.contentType ?? "(none)", .detailValue))
        out.append(labelled("answered", "\(r.responseCode)", r.responseCode < 300 ? .detailGood : .detailError))
        if !r.headers.isEmpty { out.append(StyledLine([("  Headers", .detailSection)])) }
        for h in r.headers { out.append(StyledLine([("    " + h.name, .detailLabel), (": ", .jsonPunctuation), (h.value, .detailValue)])) }

        out.append(StyledLine())
        out += body(r, raw: raw)
        return out
    }

    static func labelled(_ label: String, _ value: String, _ role: ThemeRole) -> StyledLine {
        let pad = max(1, labelWidth - TextWidth.of(label))
        return StyledLine([("  " + label + String(repeating: " ", count: pad), .detailLabel), (value, role)])
    }

    /// The duration as m:ss, checked against `end_at − start_at` (a second of rounding allowed).
    static func durationCheck(_ f: ReportFields) -> (text: String, role: ThemeRole) {
        guard let d = f[.duration], let seconds = Int64(d) else {
            return ("  ⚠ not a whole number of seconds", .detailWarning)
        }
        guard let span = CallText.span(f) else {
            return ("  (\(CallColumn.duration(d)); no start_at and end_at to compare)", .detailLabel)
        }
        if abs(span - seconds) <= 1 { return ("  ✓ \(CallColumn.duration(d)), matches end_at − start_at", .detailGood) }
        // An unanswered call has no talk time: its start-to-end span is how long it rang.
        if seconds == 0, StatusSlot(code: CallStatus.code(of: f[.status])) != .answer {
            return ("  (no talk time; rang \(CallColumn.duration(String(span))) from start_at to end_at)", .detailLabel)
        }
        return ("  ⚠ \(CallColumn.duration(d)), but end_at − start_at is \(span) s (\(CallColumn.duration(String(span))))", .detailWarning)
    }

    static func recordingActions(check: URLCheck?, checking: Bool) -> [StyledLine] {
        let indent = String(repeating: " ", count: labelWidth + 2)
        var out = [
            StyledLine([
                (indent, .detailLabel), ("y", .barKey), (" copy  ", .detailLabel), ("o", .barKey), (" open  ", .detailLabel),
                ("v", .barKey), (" check", .detailLabel)
            ])
        ]
        if checking {
            out.append(StyledLine([(indent + "checking…", .detailLabel)]))
        } else if let c = check {
            if let status = c.status {
                // The server answered: reachable. Only a 2xx or 3xx means the recording is there.
                var parts = ["HTTP \(status)" + (c.reason.map { " \($0)" } ?? "")]
                if let t = c.contentType { parts.append(t) }
                if let n = c.contentLength { parts.append(CallText.bytes(n)) }
                parts.append("\(c.millis) ms")
                let verdict = c.reachable ? "✓ reachable, " : "⚠ reachable, but "
                out.append(StyledLine([(indent + verdict + parts.joined(separator: " · "), c.reachable ? .detailGood : .detailWarning)]))
            } else {
                out.append(StyledLine([(indent + "✗ not reachable: \(c.failure ?? "no answer") (\(c.millis) ms)", .detailError)]))
            }
        }
        return out
    }

    static func body(_ r: DeliveryRecord, raw showRaw: Bool) -> [StyledLine] {
        let kind = r.contentType.map { ContentType($0)?.mediaType ?? $0 } ?? "no content type"
        var out = [
            StyledLine([
                ("Body", .detailSection), ("  \(CallText.bytes(r.raw.count)), \(kind)", .detailLabel),
                ("  r: \(showRaw ? "pretty" : "raw")", .detailLabel)
            ])
        ]
        guard !r.raw.isEmpty else { return out + [StyledLine([("  (empty)", .detailLabel)])] }
        guard r.rawIsUTF8 else { return out + hexDump(r.raw) }
        let isJSON = r.raw.first(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) == 0x7B
        if r.outcome == .rejected || showRaw || !isJSON {
            out += textLines(r.raw, role: .detailValue)
            if r.outcome == .rejected, let offset = r.error.flatMap(byteOffset) { out += caret(r.raw, offset: offset) }
        } else {
            // Legal JSON, but a sender repeating a key is worth knowing about.
            let repeated = r.raw.withUnsafeBufferPointer { try? JSONFlatObject.forEachMember($0) { _, _, _ in } } ?? []
            if !repeated.isEmpty {
                let names = repeated.map { "\"\($0)\"" }.joined(separator: ", ")
                out.append(StyledLine([("  ⚠ repeated keys: \(names) (the last value of each counts)", .detailWarning)]))
            }
            out += JSONPretty.lines(r.raw)
        }
        return out
    }

    static func textLines(_ raw: [UInt8], role: ThemeRole) -> [StyledLine] {
        raw.split(separator: 0x0A, omittingEmptySubsequences: false).map { StyledLine([(String(decoding: $0, as: UTF8.self), role)]) }
    }

    /// "… at byte 17" in a parse error: where to point.
    static func byteOffset(in error: String) -> Int? {
        let marker = Array("at byte ".utf8)
        let b = Array(error.utf8)
        guard b.count > marker.count else { return nil }
        for start in stride(from: b.count - marker.count, through: 0, by: -1) where b[start..<(start + marker.count)].elementsEqual(marker)
        {
            return Int(String(decoding: b[(start + marker.count)...].prefix { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self))
        }
        return nil
    }

    /// A marker under the body line holding byte `offset`, at its column.
    static func caret(_ raw: [UInt8], offset: Int) -> [StyledLine] {
        let offset = min(offset, raw.count)
        let lineStart = raw[..<offset].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let before = String(decoding: raw[lineStart..<offset], as: UTF8.self)
        let column = before.reduce(0) { $0 + SafeText.width($1) }
        let lineNumber = raw[..<lineStart].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        return [
            StyledLine([
                (String(repeating: " ", count: column) + "^ here: line \(lineNumber), column \(column + 1), byte \(offset)", .detailError)
            ])
        ]
    }

    static func hexDump(_ raw: [UInt8]) -> [StyledLine] {
        let hex = Array("0123456789abcdef")
        return stride(from: 0, to: raw.count, by: 16).map { start in
            let chunk = raw[start..<min(start + 16, raw.count)]
            var s = String(start, radix: 16)
            s = String(repeating: "0", count: max(0, 8 - s.count)) + s + "  "
            for b in chunk {
                s.append(hex[Int(b >> 4)])
                s.append(hex[Int(b & 15)])
                s.append(" ")
            }
            s += String(repeating: "   ", count: 16 - chunk.count) + " "
            s += String(chunk.map { $0 >= 0x20 && $0 < 0x7F ? Character(Unicode.Scalar($0)) : "." })
            return StyledLine([(s, .detailValue)])
        }
    }
}
