/// Where the Campaign screen's parts go: the header, two rows of figures, the arrivals chart
/// with its time row, the breakdown table, the bar.
public struct CampaignLayout: Equatable, Sendable {
    public static let minWidth = 60
    public static let minHeight = 16
    /// The chart's value labels on the left.
    static let axisWidth = 7

    public var tooSmall: Bool
    public var header: Rect
    public var figures: Rect
    public var chartTitle: Rect
    public var chart: Rect
    public var times: Rect
    public var tableTitle: Rect
    public var tableHeader: Rect
    public var table: Rect
    public var footer: Rect

    public init(width: Int, height: Int) {
        tooSmall = width < Self.minWidth || height < Self.minHeight
        let chartHeight = max(3, min(10, (height - 10) / 3))
        func row(_ y: Int, _ h: Int = 1) -> Rect { Rect(x: 0, y: y, width: width, height: h) }
        header = row(0)
        figures = row(1, 2)
        chartTitle = row(3)
        chart = row(4, chartHeight)
        times = row(4 + chartHeight)
        tableTitle = row(5 + chartHeight)
        tableHeader = row(6 + chartHeight)
        table = row(7 + chartHeight, max(0, height - 1 - (7 + chartHeight)))
        footer = row(height - 1)
    }

    /// How many bars (buckets) the chart shows.
    public var bars: Int { max(1, chart.width - Self.axisWidth - 1) }
    public var tableRows: Int { table.height }
}
