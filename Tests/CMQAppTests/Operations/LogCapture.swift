@testable import CMQApp
import Logging
import NIOConcurrencyHelpers

/// A log handler that keeps every line, for the tests of what cmq logs.
final class LogCapture: Sendable {
    struct Line: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: Logger.Metadata
    }

    private let box = NIOLockedValueBox<[Line]>([])
    private let jsonBox = NIOLockedValueBox<[String]>([])

    var lines: [Line] { box.withLockedValue { $0 } }
    var jsonLines: [String] { jsonBox.withLockedValue { $0 } }

    /// A handler factory for `Application.requestLogHandler`.
    var handler: @Sendable (String) -> any LogHandler {
        { [box] _ in Handler(box: box) }
    }

    /// A factory of cmq's JSON handler, its lines kept.
    var jsonHandler: @Sendable (String) -> any LogHandler {
        { [jsonBox] label in JSONLogHandler(label: label, level: .trace) { line in jsonBox.withLockedValue { $0.append(line) } } }
    }

    struct Handler: LogHandler {
        let box: NIOLockedValueBox<[Line]>
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
                 file: String, function: String, line: UInt) {
            let merged = metadata.merging(explicit ?? [:]) { _, new in new }
            box.withLockedValue { $0.append(Line(level: level, message: message.description, metadata: merged)) }
        }
    }
}
