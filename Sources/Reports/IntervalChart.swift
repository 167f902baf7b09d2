/// A ranked dot-and-interval chart: one row per unit, a dot at the estimate and a bar over its
/// 95 % interval, rows in the order given (best first), optionally a reference line (the 60 %
/// satisfaction rate) with the rows below it marked.
///
/// - Complexity: O(rows).
struct IntervalChart {
    struct Row {
        let rank: String
        let label: String
        let value: Double
        let low: Double
        let high: Double
        /// Printed at the right: "85.3（82.1–88.4）".
        let valueText: String
        /// Index into ``Palette/categories`` (the unit's class).
        let category: Int
        /// Drawn in the alarm colour (below the reference line).
        let flagged: Bool
    }

    struct Axis {
        let low: Double
        let high: Double
        let step: Double
        let label: (Double) -> String

        /// low, low + step, …, high (computed from the index, so no rounding error builds up).
        var ticks: [Double] {
            let count = Int(((high - low) / step).rounded())
            return (0...max(count, 0)).map { low + Double($0) * step }
        }
    }

    let title: String
    let rows: [Row]
    let axis: Axis
    /// Legend entries: category index and label.
    let legend: [(category: Int, label: String)]
    /// A vertical line at this value with its label.
    let reference: (value: Double, label: String)?

    static let width = 920.0
    static let rowHeight = 19.0
    static let plotLeft = 210.0
    static let plotRight = 720.0

    func x(_ value: Double) -> Double {
        let clamped = min(max(value, axis.low), axis.high)
        return IntervalChart.plotLeft + (clamped - axis.low) / (axis.high - axis.low) * (IntervalChart.plotRight - IntervalChart.plotLeft)
    }

    func svg(description: String) -> String {
        let top = legend.isEmpty ? 34.0 : 56.0
        let height = top + Double(rows.count) * IntervalChart.rowHeight + 30
        var d = SVGDrawing(width: IntervalChart.width, height: height)
        var legendX = IntervalChart.plotLeft
        for entry in legend {
            d.circle(cx: legendX + 5, cy: 14, r: 5, fill: Palette.category(entry.category))
            d.text(entry.label, x: legendX + 14, y: 18, size: 12)
            legendX += 28 + Double(entry.label.count) * 13
        }
        if let reference {
            d.line(x1: legendX + 4, y1: 14, x2: legendX + 22, y2: 14, stroke: Palette.alarm, width: 1.5, dash: "4 3")
            d.text(reference.label, x: legendX + 28, y: 18, size: 12, fill: Palette.alarm)
        }
        let bottom = top + Double(rows.count) * IntervalChart.rowHeight
        for i in rows.indices where i % 2 == 1 {
            d.rect(x: 0, y: top + Double(i) * IntervalChart.rowHeight, width: IntervalChart.width, height: IntervalChart.rowHeight, fill: Palette.band)
        }
        for tick in axis.ticks {
            let tx = x(tick)
            d.line(x1: tx, y1: top - 4, x2: tx, y2: bottom, stroke: Palette.grid)
            d.text(axis.label(tick), x: tx, y: top - 8, anchor: .middle, size: 11, fill: "#4a5568")
            d.text(axis.label(tick), x: tx, y: bottom + 15, anchor: .middle, size: 11, fill: "#4a5568")
        }
        if let reference {
            let rx = x(reference.value)
            d.line(x1: rx, y1: top - 4, x2: rx, y2: bottom + 4, stroke: Palette.alarm, width: 1.5, dash: "4 3", className: "reference")
        }
        for (i, row) in rows.enumerated() {
            let y = top + (Double(i) + 0.5) * IntervalChart.rowHeight
            let color = row.flagged ? Palette.alarm : Palette.category(row.category)
            d.text(row.rank, x: 30, y: y + 4, anchor: .end, size: 11, fill: "#4a5568")
            d.text(row.label, x: IntervalChart.plotLeft - 10, y: y + 4, anchor: .end, size: 12, fill: row.flagged ? Palette.alarm : "#1a202c")
            if row.low.isFinite && row.high.isFinite {
                let (lx, hx) = (x(row.low), x(row.high))
                d.line(x1: lx, y1: y, x2: hx, y2: y, stroke: color, width: 2.5, className: "interval")
                d.line(x1: lx, y1: y - 4, x2: lx, y2: y + 4, stroke: color, width: 1)
                d.line(x1: hx, y1: y - 4, x2: hx, y2: y + 4, stroke: color, width: 1)
            }
            d.circle(cx: x(row.value), cy: y, r: 4, fill: color, className: "estimate", title: "\(row.label) \(row.valueText)")
            d.text(row.valueText, x: IntervalChart.plotRight + 12, y: y + 4, size: 11, fill: row.flagged ? Palette.alarm : "#2d3748")
        }
        return d.render(title: title, description: description, className: "chart interval-chart")
    }

    /// An axis over `values` (estimates and interval ends): from a multiple of `step` at or
    /// below the smallest value (but not below `floor`) to `ceiling`, always including `include`.
    static func axis(over values: [Double], floor: Double, ceiling: Double, include: Double? = nil,
                     label: @escaping (Double) -> String, steps: [Double]) -> Axis {
        var smallest = values.filter(\.isFinite).min() ?? floor
        if let include { smallest = min(smallest, include) }
        let span = ceiling - max(floor, smallest)
        let step = steps.first { span / $0 <= 10 } ?? steps.last ?? 10
        let low = max(floor, (smallest / step).rounded(.down) * step)
        return Axis(low: min(low, ceiling - step), high: ceiling, step: step, label: label)
    }
}
