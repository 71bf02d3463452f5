/// Where each part of the Calls screen goes for a terminal size. `update` uses it for paging
/// and mouse hits, the views for drawing, so both always agree.
public struct CallsLayout: Equatable, Sendable {
    public static let minWidth = 40
    public static let minHeight = 10

    public var tooSmall: Bool
    public var header: Rect
    /// The list's column titles.
    public var listHeader: Rect
    public var list: Rect
    /// The detail pane including its title rule; empty when the detail is not shown.
    public var detail: Rect
    public var footer: Rect
    /// True when list and detail share the screen; false when the detail, once opened, replaces the list.
    public var split: Bool

    public init(width: Int, height: Int, detailOpen: Bool) {
        let all = Rect(x: 0, y: 0, width: width, height: height)
        tooSmall = width < Self.minWidth || height < Self.minHeight
        let (header, rest) = all.splitTop(height >= 16 ? 2 : 1)
        let (main, footer) = rest.splitTop(rest.height - 1)
        self.header = header
        self.footer = footer
        split = main.height >= 22 || width >= 160
        var listArea = main
        detail = Rect(x: 0, y: main.maxY, width: width, height: 0)
        if split && width >= 160 {
            let detailWidth = max(56, width * 2 / 5)
            (listArea, detail) = main.splitLeft(width - detailWidth)
        } else if split {
            (listArea, detail) = main.splitTop(max(8, main.height * 9 / 20))
        } else if detailOpen {
            detail = main
            listArea = Rect(x: 0, y: main.y, width: width, height: 0)
        }
        (listHeader, list) = listArea.splitTop(1)
    }

    public var detailShown: Bool { !detail.isEmpty }
    /// The detail's text area: below its title rule, and right of the divider when side by side.
    public var detailBody: Rect {
        let r = Rect(x: detail.x, y: detail.y + 1, width: detail.width, height: detail.height - 1)
        return detail.x > 0 ? Rect(x: r.x + 1, y: r.y, width: r.width - 1, height: r.height) : r
    }
}
