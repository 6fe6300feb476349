import Foundation

/// A small SVG chart: linear axes with ticks, lines, shaded bands, points, horizontal reference lines,
/// bars with whiskers, and a legend. The report's charts are all made here, so axes and styles are
/// the same everywhere. Colours are Okabe–Ito (safe for colour-blind readers) and every series also
/// differs by dash pattern or marker, so the charts survive grayscale printing.
struct SVGChart {
    struct Series {
        enum Kind {
            case line(dash: String?)
            case band(upper: [Double])
            case points
            case bars(low: [Double]?, high: [Double]?)
        }
        var label: String
        var x: [Double]
        var y: [Double]
        var kind: Kind
        var color: String
    }

    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]

    var title: String
    var width = 720.0, height = 300.0
    var margin = (left: 78.0, right: 16.0, top: 28.0, bottom: 46.0)
    var series: [Series] = []
    /// x values are decimal years unless `categories` names them (bar charts).
    var categories: [String]? = nil
    /// Spans of x shaded grey behind the series, labelled at the top (the planner's interventions and a
    /// disturbance the figures show: months left out of the curve's fit). Clipped to the chart's x
    /// range; not in the legend.
    var shaded: [(from: Double, to: Double, label: String)] = []
    var yFormat: (Double) -> String
    var xFormat: (Double) -> String

    init(title: String, yFormat: @escaping (Double) -> String, xFormat: @escaping (Double) -> String) {
        self.title = title
        self.yFormat = yFormat
        self.xFormat = xFormat
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Time ticks in decimal years: whole years, or quarter ends (t = year + 0.25 is the end of March)
    /// when the span is under three years, so labels name real months.
    static func timeTicks(_ lo: Double, _ hi: Double) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let step = hi - lo < 3 ? 0.25 : max(1, (((hi - lo) / 6)).rounded(.up))
        var t = (lo / step).rounded(.up) * step
        var out: [Double] = []
        while t <= hi + 1e-9 {
            out.append(t)
            t += step
        }
        return out
    }

    /// The width a tick label takes at the page's 10 px tick font, at most: 0.65 em a character
    /// (DejaVu Sans' digits are 0.636 em, its capitals up to 0.77, lower case about 0.6).
    static func tickWidth(_ label: String) -> Double { Double(label.count) * 6.5 }

    /// Ticks at 1, 2 or 5 × 10^k covering [lo, hi].
    static func ticks(_ lo: Double, _ hi: Double, count: Int = 5) -> [Double] {
        guard hi > lo, lo.isFinite, hi.isFinite else { return [lo] }
        let raw = (hi - lo) / Double(count)
        let p = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * p }.first { $0 >= raw } ?? 10 * p
        var t = (lo / step).rounded(.up) * step
        // A step below the figures' last place would never advance.
        guard step > 0, t + step > t else { return [lo, hi] }
        var out: [Double] = []
        while t <= hi + step * 1e-9 {
            out.append(t)
            t += step
        }
        return out
    }

    func render() -> String {
        let all = series.flatMap { s -> [Double] in
            switch s.kind {
            case .band(let upper): return s.y + upper
            case .bars(_, let high): return s.y + (high ?? [])
            default: return s.y
            }
        }.filter(\.isFinite)
        let xs = series.flatMap(\.x).filter(\.isFinite)
        let isBars = categories != nil
        var yLo = min(all.min() ?? 0, isBars ? 0 : .infinity)
        var yHi = all.max() ?? 1
        if !yLo.isFinite { yLo = 0 }
        // A (nearly) flat series gets a span its ticks can step through: at least 1, and a millionth
        // of its size (figures a few units of the last place apart would give steps that vanish).
        let span = max(1, max(abs(yLo), abs(yHi)) * 1e-6)
        if yHi - yLo < span {
            let mid = (yLo + yHi) / 2
            (yLo, yHi) = (mid - span / 2, mid + span / 2)
        }
        let pad = (yHi - yLo) * 0.05
        // Counts start at zero when they are all positive; otherwise pad below.
        yLo = isBars ? min(yLo, 0) : (yLo >= 0 ? max(0, yLo - pad) : yLo - pad)
        yHi += pad
        let xLo = isBars ? -0.5 : (xs.min() ?? 0)
        let xHi = isBars ? Double(categories!.count) - 0.5 : max(xs.max() ?? 1, xLo + 1e-9)
        let plotW = width - margin.left - margin.right
        let plotH = height - margin.top - margin.bottom
        func px(_ x: Double) -> Double { margin.left + (x - xLo) / (xHi - xLo) * plotW }
        func py(_ y: Double) -> Double { margin.top + (1 - (y - yLo) / (yHi - yLo)) * plotH }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" role=\"img\" aria-label=\"\(Self.escape(title))\">\n"
        out += "<text x=\"\(f(margin.left))\" y=\"16\" class=\"chart-title\">\(Self.escape(title))</text>\n"
        // Axes and grid.
        for t in Self.ticks(yLo, yHi) {
            out +=
                "<line x1=\"\(f(margin.left))\" y1=\"\(f(py(t)))\" x2=\"\(f(width - margin.right))\" y2=\"\(f(py(t)))\" class=\"grid\"/>\n"
            out +=
                "<text x=\"\(f(margin.left - 6))\" y=\"\(f(py(t) + 4))\" text-anchor=\"end\" class=\"tick\">\(Self.escape(yFormat(t)))</text>\n"
        }
        if let categories {
            for (i, c) in categories.enumerated() {
                out +=
                    "<text x=\"\(f(px(Double(i))))\" y=\"\(f(height - margin.bottom + 16))\" text-anchor=\"middle\" class=\"tick\">\(Self.escape(c))</text>\n"
            }
        } else {
            // A label that would touch the one before it is left out (its tick stays).
            var lastRight = -Double.infinity
            for t in Self.timeTicks(xLo, xHi) {
                out +=
                    "<line x1=\"\(f(px(t)))\" y1=\"\(f(height - margin.bottom))\" x2=\"\(f(px(t)))\" y2=\"\(f(height - margin.bottom + 4))\" class=\"axis\"/>\n"
                // A tick at the right edge ends there, so its label is not cut off.
                let label = xFormat(t)
                let end = px(t) > width - margin.right - 24
                let w = Self.tickWidth(label)
                let (left, right) = end ? (px(t) - w, px(t)) : (px(t) - w / 2, px(t) + w / 2)
                guard left >= lastRight + 6 else { continue }
                lastRight = right
                out +=
                    "<text x=\"\(f(px(t)))\" y=\"\(f(height - margin.bottom + 16))\" text-anchor=\"\(end ? "end" : "middle")\" class=\"tick x\">\(Self.escape(label))</text>\n"
            }
        }
        out +=
            "<line x1=\"\(f(margin.left))\" y1=\"\(f(height - margin.bottom))\" x2=\"\(f(width - margin.right))\" y2=\"\(f(height - margin.bottom))\" class=\"axis\"/>\n"
        out +=
            "<line x1=\"\(f(margin.left))\" y1=\"\(f(margin.top))\" x2=\"\(f(margin.left))\" y2=\"\(f(height - margin.bottom))\" class=\"axis\"/>\n"
        // Shaded spans under everything else, their labels inside the top of the plot.
        for span in shaded {
            let a = max(span.from, xLo), b = min(span.to, xHi)
            guard b > a else { continue }
            out += "<rect x=\"\(f(px(a)))\" y=\"\(f(margin.top))\" width=\"\(f(px(b) - px(a)))\" height=\"\(f(plotH))\" fill=\"#000000\" fill-opacity=\"0.08\" class=\"shaded\"/>\n"
            out += "<text x=\"\(f(px(a) + 3))\" y=\"\(f(margin.top + 11))\" class=\"tick\">\(Self.escape(span.label))</text>\n"
        }
        // Series: bands first, then bars, lines, points.
        let order: (Series) -> Int = { s in
            switch s.kind {
            case .band: return 0
            case .bars: return 1
            case .line: return 2
            case .points: return 3
            }
        }
        for s in series.sorted(by: { order($0) < order($1) }) {
            let pts = zip(s.x, s.y).filter { $0.0.isFinite && $0.1.isFinite }
            switch s.kind {
            case .band(let upper):
                let up = zip(s.x, upper).filter { $0.0.isFinite && $0.1.isFinite }
                guard !pts.isEmpty, !up.isEmpty else { continue }
                let path =
                    pts.map { "\(f(px($0.0))),\(f(py($0.1)))" } + up.reversed().map { "\(f(px($0.0))),\(f(py($0.1)))" }
                out +=
                    "<polygon points=\"\(path.joined(separator: " "))\" fill=\"\(s.color)\" fill-opacity=\"0.22\" stroke=\"none\"/>\n"
            case .line(let dash):
                guard pts.count >= 2 else { continue }
                let d = pts.map { "\(f(px($0.0))),\(f(py($0.1)))" }.joined(separator: " ")
                out +=
                    "<polyline points=\"\(d)\" fill=\"none\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>\n"
            case .points:
                for p in pts {
                    out +=
                        "<circle cx=\"\(f(px(p.0)))\" cy=\"\(f(py(p.1)))\" r=\"3.5\" fill=\"white\" stroke=\"\(s.color)\" stroke-width=\"2\"/>\n"
                }
            case .bars(let low, let high):
                let w = plotW / (xHi - xLo) * 0.6
                for (i, p) in pts.enumerated() {
                    out +=
                        "<rect x=\"\(f(px(p.0) - w / 2))\" y=\"\(f(min(py(p.1), py(0))))\" width=\"\(f(w))\" height=\"\(f(abs(py(0) - py(p.1))))\" fill=\"\(s.color)\" fill-opacity=\"0.75\"/>\n"
                    if let low, let high, i < low.count, i < high.count {
                        out +=
                            "<line x1=\"\(f(px(p.0)))\" y1=\"\(f(py(low[i])))\" x2=\"\(f(px(p.0)))\" y2=\"\(f(py(high[i])))\" stroke=\"#000\" stroke-width=\"1.5\"/>\n"
                        for v in [low[i], high[i]] {
                            out +=
                                "<line x1=\"\(f(px(p.0) - w / 6))\" y1=\"\(f(py(v)))\" x2=\"\(f(px(p.0) + w / 6))\" y2=\"\(f(py(v)))\" stroke=\"#000\" stroke-width=\"1.5\"/>\n"
                        }
                    }
                }
            }
        }
        // Legend along the bottom.
        var lx = margin.left
        for s in series where !s.label.isEmpty {
            let y = height - 10
            switch s.kind {
            case .band:
                out +=
                    "<rect x=\"\(f(lx))\" y=\"\(f(y - 8))\" width=\"14\" height=\"10\" fill=\"\(s.color)\" fill-opacity=\"0.22\"/>\n"
            case .points:
                out +=
                    "<circle cx=\"\(f(lx + 7))\" cy=\"\(f(y - 3))\" r=\"3.5\" fill=\"white\" stroke=\"\(s.color)\" stroke-width=\"2\"/>\n"
            case .line(let dash):
                out +=
                    "<line x1=\"\(f(lx))\" y1=\"\(f(y - 3))\" x2=\"\(f(lx + 14))\" y2=\"\(f(y - 3))\" stroke=\"\(s.color)\" stroke-width=\"2\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/>\n"
            case .bars:
                out +=
                    "<rect x=\"\(f(lx))\" y=\"\(f(y - 8))\" width=\"14\" height=\"10\" fill=\"\(s.color)\" fill-opacity=\"0.75\"/>\n"
            }
            out += "<text x=\"\(f(lx + 18))\" y=\"\(f(y))\" class=\"legend\">\(Self.escape(s.label))</text>\n"
            lx += 26 + Double(s.label.count) * 6.2
        }
        out += "</svg>\n"
        return out
    }
}

extension SVGChart {
    /// A tornado: one horizontal bar per row from `low[i]` to `high[i]` (the figure with the row's
    /// assumption at its P10 and at its P90), the widest first as given, a dashed line at `base` (the
    /// plan's own P50), each end labelled with its figure and the swing at the right.
    static func tornado(
        title: String, labels: [String], low: [Double], high: [Double], base: Double?, format: (Double) -> String, swingLabel: String
    ) -> String {
        // Labels, then room for the low end's figure, the bars, the high end's figure and the swing.
        let width = 720.0, row = 30.0, top = 30.0, labelWidth = 230.0, left = 310.0, right = 170.0
        let height = top + row * Double(labels.count) + 26
        let values = (low + high + (base.map { [$0] } ?? [])).filter(\.isFinite)
        var lo = values.min() ?? 0, hi = values.max() ?? 1
        if hi <= lo { (lo, hi) = (lo - 1, hi + 1) }
        let pad = (hi - lo) * 0.08
        (lo, hi) = (lo - pad, hi + pad)
        func px(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * (width - left - right) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" role=\"img\" aria-label=\"\(escape(title))\">\n"
        out += "<text x=\"0\" y=\"16\" class=\"chart-title\">\(escape(title))</text>\n"
        for i in labels.indices {
            let y = top + row * Double(i)
            let (a, b) = (min(low[i], high[i]), max(low[i], high[i]))
            out += "<text x=\"\(f(labelWidth))\" y=\"\(f(y + 17))\" text-anchor=\"end\" class=\"tick\">\(escape(labels[i]))</text>\n"
            out += "<rect x=\"\(f(px(a)))\" y=\"\(f(y + 5))\" width=\"\(f(max(px(b) - px(a), 1)))\" height=\"18\" fill=\"\(palette[0])\" fill-opacity=\"0.55\"/>\n"
            // Which end is the P10 and which the P90 (a factor can lower the figure as it rises).
            out += "<text x=\"\(f(px(a) - 4))\" y=\"\(f(y + 17))\" text-anchor=\"end\" class=\"tick\">\(escape(format(a)))</text>\n"
            out += "<text x=\"\(f(px(b) + 4))\" y=\"\(f(y + 17))\" class=\"tick\">\(escape(format(b)))</text>\n"
            out += "<text x=\"\(f(width - 4))\" y=\"\(f(y + 17))\" text-anchor=\"end\" class=\"tick\">\(escape(swingLabel)) \(escape(format(b - a)))</text>\n"
        }
        if let base {
            out += "<line x1=\"\(f(px(base)))\" y1=\"\(f(top))\" x2=\"\(f(px(base)))\" y2=\"\(f(height - 22))\" stroke=\"#000\" stroke-dasharray=\"4 3\"/>\n"
            out += "<text x=\"\(f(px(base)))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" class=\"tick\">P50 \(escape(format(base)))</text>\n"
        }
        return out + "</svg>"
    }

    /// A waterfall, horizontal: the first bar is `start` (OLD), then one bar per step from the running
    /// figure to the running figure plus the step (a rise in green, a fall in red), the last bar the
    /// end (NEW); each bar labelled with its figure or its signed step. The axis is zoomed to the
    /// figures (it need not start at 0), said by the first and last bars starting at its left edge.
    static func waterfall(title: String, labels: [String], start: Double, steps: [Double], format: (Double) -> String, signed: (Double) -> String) -> String {
        let width = 720.0, row = 26.0, top = 30.0, labelWidth = 230.0, left = 240.0, right = 110.0
        let n = steps.count + 2
        let height = top + row * Double(n) + 8
        var running = [start]
        for s in steps { running.append(running.last! + s) }
        var lo = running.min()!, hi = running.max()!
        if hi <= lo { (lo, hi) = (lo - 1, hi + 1) }
        let pad = (hi - lo) * 0.15
        (lo, hi) = (lo - pad, hi + pad)
        func px(_ v: Double) -> Double { left + (v - lo) / (hi - lo) * (width - left - right) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(f(width)) \(f(height))\" width=\"100%\" role=\"img\" aria-label=\"\(escape(title))\">\n"
        out += "<text x=\"0\" y=\"16\" class=\"chart-title\">\(escape(title))</text>\n"
        for i in 0..<n {
            let y = top + row * Double(i)
            let (a, b, fill, text): (Double, Double, String, String)
            if i == 0 || i == n - 1 {
                let v = i == 0 ? start : running.last!
                (a, b, fill, text) = (lo, v, "#7f8c9a", format(v))
            } else {
                let (from, to) = (running[i - 1], running[i])
                (a, b, fill, text) = (min(from, to), max(from, to), to >= from ? "#2e7d32" : "#c62828", signed(to - from))
            }
            out += "<text x=\"\(f(labelWidth))\" y=\"\(f(y + 15))\" text-anchor=\"end\" class=\"tick\">\(escape(labels[i]))</text>\n"
            out += "<rect x=\"\(f(px(a)))\" y=\"\(f(y + 4))\" width=\"\(f(max(px(b) - px(a), 1)))\" height=\"16\" fill=\"\(fill)\" fill-opacity=\"0.8\"/>\n"
            out += "<text x=\"\(f(px(b) + 4))\" y=\"\(f(y + 15))\" class=\"tick\">\(escape(text))</text>\n"
        }
        return out + "</svg>"
    }
}
