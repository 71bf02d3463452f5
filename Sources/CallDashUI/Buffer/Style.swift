/// A terminal colour: the terminal's default, or an index into the 256-colour palette
/// (0–7 the basic colours, 8–15 their bright forms).
public struct Color: Hashable, Sendable {
    /// -1 is the terminal's default colour.
    public let index: Int16

    public static let `default` = Color(index: -1)
    public static func palette(_ i: UInt8) -> Color { Color(index: Int16(i)) }

    public static let black = palette(0), red = palette(1), green = palette(2), yellow = palette(3)
    public static let blue = palette(4), magenta = palette(5), cyan = palette(6), white = palette(7)

    /// The nearest of the 8 basic colours, for terminals without 256.
    public var basic: Color {
        guard index >= 8 else { return self }
        if index < 16 { return Color(index: index - 8) }
        if index >= 232 { return index < 244 ? .black : .white }
        let c = Int(index) - 16
        let (r, g, b) = (c / 36, (c / 6) % 6, c % 6)
        let top = max(r, g, b)
        if top < 2 { return .black }
        let bit = { (v: Int) in v * 2 >= top + 1 ? 1 : 0 }
        let code = bit(r) | bit(g) << 1 | bit(b) << 2
        return Color(index: Int16(code == 0 ? 7 : code))
    }
}

/// Text attributes a cell can carry.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1)
    public static let dim = Attributes(rawValue: 2)
    public static let underline = Attributes(rawValue: 4)
    public static let reverse = Attributes(rawValue: 8)
}

/// How a cell is drawn: colours and attributes.
public struct Style: Hashable, Sendable {
    public var fg: Color
    public var bg: Color
    public var attributes: Attributes

    public init(fg: Color = .default, bg: Color = .default, _ attributes: Attributes = []) {
        self.fg = fg
        self.bg = bg
        self.attributes = attributes
    }

    public static let plain = Style()

    /// The same attributes without colours, for NO_COLOR.
    public var withoutColors: Style { Style(attributes) }

    /// This style with `other`'s background when this one has none (text drawn over a filled area).
    public func over(_ other: Style) -> Style {
        var s = self
        if s.bg == .default { s.bg = other.bg }
        return s
    }
}
