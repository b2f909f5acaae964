import Foundation

/// A line chart written as plain SVG: axes with ticks and labels, one polyline per series
/// (solid for measurements, dashed for bounds), a legend. No plotting dependency.
struct Plot {
    struct Series {
        var label: String
        var points: [(x: Double, y: Double)]
        var dashed = false
    }
    var title: String
    var xLabel: String
    var yLabel: String
    var series: [Series]
    /// nil: chosen from the data (log when the values span more than two decades).
    var logY: Bool?

    static let width = 720.0, height = 440.0
    static let left = 70.0, right = 220.0, top = 40.0, bottom = 55.0
    static let palette = ["#1b6ca8", "#d1495b", "#2e933c", "#8c5fbf", "#e08e0b", "#00798c", "#6b4226", "#555555"]

    var useLog: Bool {
        if let l = logY { return l }
        let ys = series.flatMap { $0.points.map(\.y) }.filter { $0 > 0 }
        guard let lo = ys.min(), let hi = ys.max() else { return false }
        return hi / lo > 100
    }

    /// Round tick steps: 1, 2 or 5 times a power of ten.
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 6) -> [Double] {
        guard hi > lo else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? 10 * mag
        var t = (lo / step).rounded(.up) * step, out: [Double] = []
        while t <= hi + step * 1e-9 { out.append(t); t += step }
        return out
    }

    static func escaped(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func number(_ v: Double) -> String {
        if v == v.rounded() && abs(v) < 1e15 { return String(Int(v)) }
        return String(format: "%.3g", v)
    }

    func svg() -> String {
        let logScale = useLog
        let shown = series.map { s in Series(label: s.label, points: s.points.filter { !logScale || $0.y > 0 }, dashed: s.dashed) }
        let xs = shown.flatMap { $0.points.map(\.x) }, ys = shown.flatMap { $0.points.map { logScale ? log10($0.y) : $0.y } }
        var (x0, x1) = (xs.min() ?? 0, xs.max() ?? 1), (y0, y1) = (min(ys.min() ?? 0, logScale ? 0 : 0), ys.max() ?? 1)
        if x1 == x0 { x0 -= 1; x1 += 1 }
        if logScale { y0 = floor(y0); y1 = max(ceil(y1), y0 + 1) } else if y1 == y0 { y1 = y0 + 1 }
        let pw = Plot.width - Plot.left - Plot.right, ph = Plot.height - Plot.top - Plot.bottom
        func px(_ x: Double) -> Double { Plot.left + (x - x0) / (x1 - x0) * pw }
        func py(_ y: Double) -> Double { Plot.top + ph - ((logScale ? log10(y) : y) - y0) / (y1 - y0) * ph }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = ["<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                   "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(Plot.width))\" height=\"\(Int(Plot.height))\" viewBox=\"0 0 \(Int(Plot.width)) \(Int(Plot.height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">",
                   "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>",
                   "<text class=\"title\" x=\"\(f(Plot.left))\" y=\"22\" font-size=\"14\">\(Plot.escaped(title))</text>"]
        // axes, ticks and grid
        out.append("<g class=\"axes\" stroke=\"black\" fill=\"none\">")
        out.append("<line x1=\"\(f(Plot.left))\" y1=\"\(f(Plot.top + ph))\" x2=\"\(f(Plot.left + pw))\" y2=\"\(f(Plot.top + ph))\"/>")
        out.append("<line x1=\"\(f(Plot.left))\" y1=\"\(f(Plot.top))\" x2=\"\(f(Plot.left))\" y2=\"\(f(Plot.top + ph))\"/>")
        out.append("</g>")
        let xTicks = Plot.ticks(x0, x1).filter { $0 == $0.rounded() || x1 - x0 < 6 }
        for t in xTicks {
            out.append("<line class=\"tick\" x1=\"\(f(px(t)))\" y1=\"\(f(Plot.top + ph))\" x2=\"\(f(px(t)))\" y2=\"\(f(Plot.top + ph + 5))\" stroke=\"black\"/>")
            out.append("<text class=\"tick-label\" x=\"\(f(px(t)))\" y=\"\(f(Plot.top + ph + 18))\" text-anchor=\"middle\">\(Plot.number(t))</text>")
        }
        let yTicks: [Double] = logScale ? Array(stride(from: y0, through: y1, by: max(1, ((y1 - y0) / 8).rounded(.up)))) : Plot.ticks(y0, y1)
        for t in yTicks {
            let y = Plot.top + ph - (t - y0) / (y1 - y0) * ph
            out.append("<line class=\"grid\" x1=\"\(f(Plot.left))\" y1=\"\(f(y))\" x2=\"\(f(Plot.left + pw))\" y2=\"\(f(y))\" stroke=\"#dddddd\"/>")
            out.append("<text class=\"tick-label\" x=\"\(f(Plot.left - 6))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(logScale ? "10^" + Plot.number(t) : Plot.number(t))</text>")
        }
        out.append("<text class=\"axis-label x\" x=\"\(f(Plot.left + pw / 2))\" y=\"\(f(Plot.height - 14))\" text-anchor=\"middle\">\(Plot.escaped(xLabel))</text>")
        out.append("<text class=\"axis-label y\" x=\"16\" y=\"\(f(Plot.top + ph / 2))\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(f(Plot.top + ph / 2)))\">\(Plot.escaped(yLabel + (logScale ? " (log scale)" : "")))</text>")
        // series: measured lines solid with markers, bounds dashed; a bound takes its measurement's colour
        var colour: [String: String] = [:]
        for (i, s) in shown.enumerated() {
            let key = s.label.components(separatedBy: ",").first ?? s.label
            let c = colour[key] ?? Plot.palette[colour.count % Plot.palette.count]
            colour[key] = c
            let pts = s.points.map { "\(f(px($0.x))),\(f(py($0.y)))" }.joined(separator: " ")
            out.append("<polyline class=\"series \(s.dashed ? "bound" : "measured")\" data-label=\"\(Plot.escaped(s.label))\" points=\"\(pts)\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"\(s.dashed ? "1.5" : "2")\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>")
            if !s.dashed {
                for p in s.points { out.append("<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"\(c)\"/>") }
            }
            // legend entry
            let ly = Plot.top + 8 + Double(i) * 18, lx = Plot.width - Plot.right + 16
            out.append("<line x1=\"\(f(lx))\" y1=\"\(f(ly))\" x2=\"\(f(lx + 24))\" y2=\"\(f(ly))\" stroke=\"\(c)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"6 4\"" : "")/>")
            out.append("<text class=\"legend\" x=\"\(f(lx + 30))\" y=\"\(f(ly + 4))\">\(Plot.escaped(s.label))</text>")
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }
}
