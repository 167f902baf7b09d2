/// Horizontal stacked bars, one row per unit: tier shares (0–100 %) or composite contributions
/// (points), with an optional struck-out part at the end of a bar (points deducted).
///
/// - Complexity: O(rows × segments).
struct StackedBarChart {
    struct Segment {
        let value: Double
        let color: String
        /// What the segment is, for its tooltip ("满意 45.2%").
        let name: String
        /// Printed inside the segment when it is wide enough.
        let text: String?
    }

    struct Row {
        let rank: String
        let label: String
        let segments: [Segment]
        /// Points taken off the end of the bar, shown hatched from `total − deducted` to `total`.
        let deducted: Double
        /// Printed after the bar: "86.59 先进".
        let endText: String
        let flagged: Bool
    }

    let title: String
    let rows: [Row]
    let legend: [(color: String, label: String)]
    let high: Double
    let step: Double
    let tickLabel: (Double) -> String

    static let width = 920.0
    static let rowHeight = 19.0
    static let plotLeft = 210.0
    static let plotRight = 780.0

    func x(_ value: Double) -> Double {
        StackedBarChart.plotLeft + min(max(value, 0), high) / high * (StackedBarChart.plotRight - StackedBarChart.plotLeft)
    }

    func svg(description: String) -> String {
        let legendRows = legendLayout()
        let top = 34.0 + Double(legendRows.count) * 20
        let bottom = top + Double(rows.count) * StackedBarChart.rowHeight
        var d = SVGDrawing(width: StackedBarChart.width, height: bottom + 30)
        for (r, entries) in legendRows.enumerated() {
            for entry in entries {
                let y = 8 + Double(r) * 20
                d.rect(x: entry.x, y: y, width: 12, height: 12, fill: entry.color)
                d.text(entry.label, x: entry.x + 16, y: y + 11, size: 12)
            }
        }
        let count = Int((high / step).rounded())
        for k in 0...max(count, 0) {
            let value = Double(k) * step
            let tx = x(value)
            d.line(x1: tx, y1: top - 4, x2: tx, y2: bottom, stroke: Palette.grid)
            d.text(tickLabel(value), x: tx, y: top - 8, anchor: .middle, size: 11, fill: "#4a5568")
            d.text(tickLabel(value), x: tx, y: bottom + 15, anchor: .middle, size: 11, fill: "#4a5568")
        }
        for (i, row) in rows.enumerated() {
            let y = top + Double(i) * StackedBarChart.rowHeight
            d.text(row.rank, x: 30, y: y + 13, anchor: .end, size: 11, fill: "#4a5568")
            d.text(row.label, x: StackedBarChart.plotLeft - 10, y: y + 13, anchor: .end, size: 12, fill: row.flagged ? Palette.alarm : "#1a202c")
            var start = 0.0
            for segment in row.segments where segment.value > 0 {
                let (x0, x1) = (x(start), x(start + segment.value))
                d.rect(x: x0, y: y + 3, width: x1 - x0, height: StackedBarChart.rowHeight - 6, fill: segment.color, className: "segment",
                       title: "\(row.label) \(segment.name)")
                if let text = segment.text, x1 - x0 >= Double(text.count) * 6.5 + 4 {
                    d.text(text, x: (x0 + x1) / 2, y: y + 13, anchor: .middle, size: 10,
                           fill: Palette.isLight(segment.color) ? "#1a202c" : "#ffffff")
                }
                start += segment.value
            }
            if row.deducted > 0 {
                let (x0, x1) = (x(start - row.deducted), x(start))
                d.rect(x: x0, y: y + 2, width: x1 - x0, height: StackedBarChart.rowHeight - 4, fill: "#fed7d7", stroke: Palette.alarm,
                       className: "deducted", title: "\(row.label) 扣减 \(fixed(row.deducted, 2))分")
            }
            d.text(row.endText, x: x(start) + 6, y: y + 13, size: 11, fill: row.flagged ? Palette.alarm : "#2d3748")
        }
        return d.render(title: title, description: description, className: "chart stacked-chart")
    }

    /// Legend entries placed left to right, wrapping to a new row at the plot's right edge.
    private func legendLayout() -> [[(x: Double, color: String, label: String)]] {
        var rows: [[(x: Double, color: String, label: String)]] = [[]]
        var x = StackedBarChart.plotLeft
        for entry in legend {
            let width = 24 + Double(entry.label.count) * 12.5
            if x + width > StackedBarChart.width - 10, !(rows.last?.isEmpty ?? true) {
                rows.append([])
                x = StackedBarChart.plotLeft
            }
            rows[rows.count - 1].append((x, entry.color, entry.label))
            x += width + 8
        }
        return legend.isEmpty ? [] : rows
    }
}
