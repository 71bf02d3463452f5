/// A filter over stored reports: the `/_calldash/reports` parameters, reusable by any reader.
public struct ReportQuery: Sendable, Equatable {
    /// Call statuses to keep (compared case-insensitively); empty keeps all.
    public var statuses: Set<String>
    public var outcome: Outcome?
    /// Text that must appear somewhere in the record (case-insensitive); nil or empty keeps all.
    public var text: String?
    /// Standard fields that must equal these values, ignoring case (`flow_id=204`).
    public var fields: [ReportField: String]

    public init(statuses: Set<String> = [], outcome: Outcome? = nil, text: String? = nil, fields: [ReportField: String] = [:]) {
        self.statuses = Set(statuses.map(CallStatus.normalized))
        self.outcome = outcome
        self.text = text.flatMap { $0.isEmpty ? nil : $0.lowercased() }
        self.fields = fields.mapValues { $0.lowercased() }
    }

    /// True when only the stored summary is needed to decide.
    public var needsFullRecord: Bool { text != nil }

    /// Checks the status and outcome parts.
    public func matches(_ s: ReportSummary) -> Bool {
        if let outcome, s.outcome != outcome { return false }
        if !statuses.isEmpty {
            guard let status = s.fields[.status], statuses.contains(CallStatus.normalized(status)) else { return false }
        }
        for (field, value) in fields where s.fields[field]?.lowercased() != value { return false }
        return true
    }

    /// Checks everything, including text anywhere in the record: fields, extras, headers, path,
    /// query, remote address, error and body.
    public func matches(_ r: DeliveryRecord) -> Bool {
        guard matches(ReportSummary(r, location: .inline([]))) else { return false }
        guard let text else { return true }
        func has(_ s: String) -> Bool { s.lowercased().contains(text) }
        if r.fields.present.contains(where: { has($0.value) }) { return true }
        if r.extra.contains(where: { has($0.name) || has($0.value) }) { return true }
        if r.headers.contains(where: { has($0.value) }) || r.query.contains(where: { has($0.value) }) { return true }
        if has(r.path) || has(r.remote) || has(r.method) || r.error.map(has) == true { return true }
        return has(String(decoding: r.raw, as: UTF8.self))
    }
}
