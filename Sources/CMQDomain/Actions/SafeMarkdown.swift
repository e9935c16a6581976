import Foundation

/// The small subset of Markdown an action's description may use, rendered to HTML that cannot carry markup
/// of its own:
///
/// - paragraphs separated by a blank line (a single line break stays a line break);
/// - `## Titre` and `### Sous-titre` (shown as `h3` and `h4`, under the page's own headings);
/// - lists whose lines start with `- ` or `* `;
/// - `**gras**`, `*italique*`, and links `[texte](https://…)` (http, https and mailto only; others stay text).
///
/// Every other character is escaped (`<`, `>`, `&`, `"`, `'`), so no tag, attribute or script can get through.
public enum SafeMarkdown {
    public static func html(_ source: String) -> String {
        var blocks: [String] = []
        var paragraph: [String] = []
        var items: [String] = []

        func flushParagraph() {
            if !paragraph.isEmpty { blocks.append("<p>\(paragraph.map(inline).joined(separator: "<br>\n"))</p>") }
            paragraph = []
        }
        func flushList() {
            if !items.isEmpty { blocks.append("<ul>\(items.map { "<li>\(inline($0))</li>" }.joined())</ul>") }
            items = []
        }

        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
        for raw in lines {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flushParagraph()
                flushList()
            } else if line.hasPrefix("### ") {
                flushParagraph(); flushList()
                blocks.append("<h4>\(inline(String(line.dropFirst(4))))</h4>")
            } else if line.hasPrefix("## ") {
                flushParagraph(); flushList()
                blocks.append("<h3>\(inline(String(line.dropFirst(3))))</h3>")
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flushParagraph()
                items.append(String(line.dropFirst(2)))
            } else {
                flushList()
                paragraph.append(line)
            }
        }
        flushParagraph()
        flushList()
        return blocks.joined(separator: "\n")
    }

    /// The text without its markup, for a plain-text summary (iCalendar, JSON-LD).
    public static func plainText(_ source: String) -> String {
        var text = ""
        var rest = Substring(source)
        while let first = rest.first {
            if rest.hasPrefix("**") {
                rest = rest.dropFirst(2)
            } else if first == "[", let link = link(in: rest) {
                text += link.label
                rest = rest.dropFirst(link.length)
            } else if first == "*" || first == "#" {
                rest = rest.dropFirst()
            } else {
                text.append(first)
                rest = rest.dropFirst()
            }
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Inline markup of one line.
    static func inline(_ source: String) -> String {
        var html = ""
        var rest = Substring(source)
        while let first = rest.first {
            if rest.hasPrefix("**"), let inner = emphasis(in: rest, marker: "**") {
                html += "<strong>\(inline(inner.text))</strong>"
                rest = rest.dropFirst(inner.length)
            } else if first == "*", let inner = emphasis(in: rest, marker: "*") {
                html += "<em>\(inline(inner.text))</em>"
                rest = rest.dropFirst(inner.length)
            } else if first == "[", let link = link(in: rest) {
                html += "<a href=\"\(escape(link.url))\" rel=\"nofollow noopener\">\(inline(link.label))</a>"
                rest = rest.dropFirst(link.length)
            } else {
                html += escape(String(first))
                rest = rest.dropFirst()
            }
        }
        return html
    }

    /// `**text**` or `*text*` at the start of `text`: the text inside touches its markers (no space after the
    /// opening one nor before the closing one, as in CommonMark), so "2 * 3 * 4" stays as it is.
    static func emphasis(in text: Substring, marker: String) -> (text: String, length: Int)? {
        let body = text.dropFirst(marker.count)
        guard let first = body.first, !first.isWhitespace, !(marker == "*" && first == "*") else { return nil }
        var search = body.startIndex
        while let close = body[search...].range(of: marker) {
            let inside = body[body.startIndex..<close.lowerBound]
            if let last = inside.last, !last.isWhitespace {
                return (String(inside), marker.count * 2 + inside.count)
            }
            search = close.upperBound
        }
        return nil
    }

    /// `[label](url)` at the start of `text` with an allowed scheme: its parts and its length in characters.
    static func link(in text: Substring) -> (label: String, url: String, length: Int)? {
        guard text.first == "[", let closeLabel = text.firstIndex(of: "]"),
              text.index(after: closeLabel) < text.endIndex, text[text.index(after: closeLabel)] == "(",
              let closeURL = text[closeLabel...].firstIndex(of: ")") else { return nil }
        let label = String(text[text.index(after: text.startIndex)..<closeLabel])
        let url = String(text[text.index(closeLabel, offsetBy: 2)..<closeURL])
        guard !label.isEmpty, isAllowed(url) else { return nil }
        return (label, url, text.distance(from: text.startIndex, to: closeURL) + 1)
    }

    static func isAllowed(_ url: String) -> Bool {
        guard !url.isEmpty, url.count <= ActionRules.urlMaximum, !url.contains(where: { $0.isWhitespace || $0.isNewline }),
              url.unicodeScalars.allSatisfy({ $0.value >= 0x21 && $0.value != 0x7F }) else { return false }
        let lower = url.lowercased()
        if lower.hasPrefix("mailto:") { return ActionRules.isEmail(String(url.dropFirst(7))) }
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://"), let parsed = URL(string: url), let host = parsed.host, !host.isEmpty
        else { return false }
        return true
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
