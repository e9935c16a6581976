import Metrics
import Vapor

/// Where long operations (imports, demo loading, exports) report how far they are.
protocol ProgressReporter: Sendable {
    func step(_ label: String, done: Int, total: Int)
    func message(_ text: String)
}

/// Prints progress on the terminal: one line per step, rewritten in place, at most every 2 %.
final class ConsoleProgress: ProgressReporter, @unchecked Sendable {
    private let console: any Console
    private let lock = NSLock()
    private var lastShown: [String: Int] = [:]

    /// On a terminal the line is rewritten every 2 %; in a log file or a pipe, one line every 25 %.
    private let stepPercent: Int
    private let rewrite: Bool

    init(console: any Console) {
        self.console = console
        rewrite = isatty(STDOUT_FILENO) == 1
        stepPercent = rewrite ? 2 : 25
    }

    func step(_ label: String, done: Int, total: Int) {
        lock.lock()
        defer { lock.unlock() }
        // (Within 0–100 whatever the caller counts: the bar below is cut from it.)
        let percent = total <= 0 ? 100 : min(100, max(0, done * 100 / total))
        if let last = lastShown[label], percent < 100, percent - last < stepPercent { return }
        lastShown[label] = percent
        // The same progress for the operations team: gauges on /metriques (an operation run by the server), or the
        // Prometheus text file of CMQ_METRICS_TEXTFILE (a command), rewritten at each step shown.
        Gauge(label: "cmq_progress_items", dimensions: [("operation", label), ("state", "done")]).record(done)
        Gauge(label: "cmq_progress_items", dimensions: [("operation", label), ("state", "total")]).record(total)
        CMQMetrics.writeTextfile()
        let width = 30
        let filled = width * percent / 100
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let line = "\(label) \(bar) \(percent) % (\(done)/\(total))"
        if rewrite {
            console.output(("\r" + line).consoleText(), newLine: percent >= 100)
        } else {
            console.output(line.consoleText(), newLine: true)
        }
    }

    func message(_ text: String) {
        console.print(text)
    }
}

/// For tests and callers that don't show progress.
struct SilentProgress: ProgressReporter {
    func step(_ label: String, done: Int, total: Int) {}
    func message(_ text: String) {}
}
