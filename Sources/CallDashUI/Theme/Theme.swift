/// A complete set of styles, one per role. The default lives in code; a theme file overrides
/// any part of it.
public struct Theme: Equatable, Sendable {
    public var name: String
    /// The terminal background the theme is drawn for (a light theme is unreadable on a dark one).
    public var background: ThemeBackground = .dark
    private var styles: [ThemeRole: Style]

    /// Every theme starts from `dark`, which sets every role.
    public subscript(role: ThemeRole) -> Style {
        get { styles[role] ?? .plain }
        set { styles[role] = newValue }
    }

    /// Colours dropped, attributes kept: what `NO_COLOR` asks for.
    public var withoutColors: Theme {
        var t = self
        t.styles = styles.mapValues(\.withoutColors)
        // Without colour the cursor must still show.
        t[.listCursor].attributes.insert(.reverse)
        t[.listCursorUnfocused].attributes.insert(.underline)
        t[.editorCursor].attributes.insert(.reverse)
        t[.listMatch].attributes.insert(.underline)
        return t
    }

    /// The built-in dark theme, used as-is or under a theme file.
    public static let dark: Theme = {
        var t = Theme(name: "dark", styles: Dictionary(uniqueKeysWithValues: ThemeRole.allCases.map { ($0, Style.plain) }))
        let gray = Color.palette(244)
        let dimGray = Color.palette(240)
        t[.headerTitle] = Style(fg: .palette(16), bg: .palette(39), .bold)
        t[.headerText] = Style(fg: .palette(252))
        t[.headerDim] = Style(fg: gray)
        t[.sparkline] = Style(fg: .palette(39))
        t[.statusAnswered] = Style(fg: .palette(78), .bold)
        t[.statusNoAnswer] = Style(fg: .palette(221))
        t[.statusBusy] = Style(fg: .palette(209))
        t[.statusCancel] = Style(fg: .palette(146))
        t[.statusFailed] = Style(fg: .palette(203), .bold)
        t[.statusCongestion] = Style(fg: .palette(177))
        t[.statusUnavailable] = Style(fg: .palette(167))
        t[.statusOther] = Style(fg: .palette(252), .underline)
        t[.statusRejected] = Style(fg: .palette(231), bg: .palette(124), .bold)
        t[.listHeader] = Style(fg: .palette(39), .bold)
        t[.listRow] = Style(fg: .palette(252))
        t[.listDim] = Style(fg: gray)
        t[.listMatch] = Style(fg: .palette(16), bg: .palette(178))
        t[.listCursor] = Style(fg: .palette(231), bg: .palette(25), .bold)
        t[.listCursorUnfocused] = Style(fg: .palette(231), bg: .palette(238))
        t[.border] = Style(fg: dimGray)
        t[.borderFocused] = Style(fg: .palette(39))
        t[.paneTitle] = Style(fg: .palette(39), .bold)
        t[.detailLabel] = Style(fg: .palette(110))
        t[.detailValue] = Style(fg: .palette(252))
        t[.detailSection] = Style(fg: .palette(39), .bold)
        t[.detailWarning] = Style(fg: .palette(214), .bold)
        t[.detailGood] = Style(fg: .palette(78))
        t[.detailError] = Style(fg: .palette(203), .bold)
        t[.jsonKey] = Style(fg: .palette(110))
        t[.jsonString] = Style(fg: .palette(150))
        t[.jsonNumber] = Style(fg: .palette(215))
        t[.jsonLiteral] = Style(fg: .palette(176))
        t[.jsonPunctuation] = Style(fg: gray)
        t[.barText] = Style(fg: .palette(250), bg: .palette(236))
        t[.barKey] = Style(fg: .palette(39), bg: .palette(236), .bold)
        t[.barMessage] = Style(fg: .palette(16), bg: .palette(78))
        t[.barError] = Style(fg: .palette(231), bg: .palette(124), .bold)
        t[.searchPrompt] = Style(fg: .palette(16), bg: .palette(221), .bold)
        t[.overlayText] = Style(fg: .palette(252), bg: .palette(235))
        t[.overlayKey] = Style(fg: .palette(221), bg: .palette(235), .bold)
        t[.overlayTitle] = Style(fg: .palette(39), bg: .palette(235), .bold)
        t[.editorVariable] = Style(fg: .palette(150), .bold)
        t[.editorSecret] = Style(fg: .palette(215), .bold)
        t[.editorCursor] = Style(fg: .palette(16), bg: .palette(252))
        t[.editorError] = Style(fg: .palette(203), [.bold, .underline])
        t[.previewMethod] = Style(fg: .palette(176), .bold)
        t[.previewTarget] = Style(fg: .palette(252), .bold)
        t[.previewHeader] = Style(fg: .palette(110))
        return t
    }()
}

/// A terminal's background, or the one a theme is made for; `any` is unknown, or fits both.
public enum ThemeBackground: String, Sendable, CaseIterable {
    case dark, light, any

    /// What `COLORFGBG` ("15;0": foreground;background, set by rxvt, Konsole and others) says
    /// of the terminal: a background of palette 7 or 9–15 is light, 0–6 or 8 dark.
    public static func ofTerminal(_ environment: [String: String]) -> ThemeBackground {
        guard let last = environment["COLORFGBG"]?.split(separator: ";").last, let bg = Int(last) else { return .any }
        switch bg {
        case 0...6, 8: return .dark
        case 7, 9...15: return .light
        default: return .any
        }
    }

    /// Whether a theme made for `self` reads well on a terminal with `terminal`'s background.
    public func suits(_ terminal: ThemeBackground) -> Bool { self == .any || terminal == .any || self == terminal }
}
