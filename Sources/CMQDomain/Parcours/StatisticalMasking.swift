import Foundation

/// Who looks at a count of learners, and so how small a count may be shown.
///
/// - internal views (the campus team, the région académique, the national level, a member for its own learners):
///   a count from 1 to 4 is masked (threshold 5);
/// - public views: a count from 1 to 19 is masked (threshold 20, the *secret statistique* InserJeunes applies).
///
/// Zero is shown (nobody). A masked count is shown as « < 5 » (or « < 20 »), never its number.
public enum DisclosureAudience: String, Sendable, CaseIterable {
    case interne, public_ = "public"

    public var threshold: Int {
        switch self {
        case .interne: 5
        case .public_: 20
        }
    }
}

/// Whether a cell of a published table is shown, masked because it is small (primary), or masked so that a small
/// one cannot be computed back from the totals (secondary).
public enum MaskState: String, Sendable, Equatable {
    case shown, primary, secondary

    public var isMasked: Bool { self != .shown }
}

/// Cell suppression for a table published with its row and column totals and its grand total.
///
/// 1. **Primary**: every count from 1 to `threshold − 1` is masked — cells and totals alike.
/// 2. **Secondary** (complementary): each row (its cells and its total), each column (its cells and its total),
///    the row totals with the grand total, and the column totals with the grand total form a sum; a sum with
///    exactly one masked member would give that member back by subtraction (a row's total minus its shown
///    cells). So while a sum has exactly one masked member, its smallest shown non-zero member is masked too;
///    this repeats until every sum has none or at least two masked members.
///
/// Totals another table publishes too (a place's learners, a column of one year's table and a row of the next)
/// are masked in both when one masks them (`maskedRowTotals`, `maskedColumnTotals`, iterated by the caller).
///
/// This rules out recovery by one subtraction, the case a reader does by hand. It does not guarantee that no
/// bound can be inferred by combining several sums (linear programming): the thresholds keep the published counts
/// coarse enough for cmq's purpose, and every masked cell stays masked in every view of the same audience.
public struct MaskedTable: Sendable, Equatable {
    public var cells: [[MaskState]]
    public var rowTotals: [MaskState]
    public var columnTotals: [MaskState]
    public var grandTotal: MaskState

    /// `columnCount` gives the number of columns when there may be no row. `maskedRowTotals` and
    /// `maskedColumnTotals` are totals another published table masks (the same count seen from there): they are
    /// masked here too (secondary), so that one table does not give back what the other hides.
    public init(_ counts: [[Int]], columnCount: Int? = nil, threshold: Int, maskedRowTotals: Set<Int> = [], maskedColumnTotals: Set<Int> = []) {
        let rows = counts.count, columns = counts.first?.count ?? columnCount ?? 0
        precondition(counts.allSatisfy { $0.count == columns }, "a table's rows all have the same number of cells")
        func primary(_ value: Int) -> MaskState { value > 0 && value < threshold ? .primary : .shown }
        let rowSums = counts.map { $0.reduce(0, +) }
        let columnSums = (0..<columns).map { column in counts.reduce(0) { $0 + $1[column] } }
        let grand = rowSums.reduce(0, +)
        cells = counts.map { $0.map(primary) }
        rowTotals = rowSums.map(primary)
        columnTotals = columnSums.map(primary)
        grandTotal = primary(grand)
        for r in maskedRowTotals where r < rows && rowTotals[r] == .shown { rowTotals[r] = .secondary }
        for c in maskedColumnTotals where c < columns && columnTotals[c] == .shown { columnTotals[c] = .secondary }

        // Every sum as the list of its members: a member is a place in the table and its value.
        enum Place: Hashable { case cell(Int, Int), row(Int), column(Int), grand }
        var sums: [[(Place, Int)]] = []
        for r in 0..<rows { sums.append((0..<columns).map { (.cell(r, $0), counts[r][$0]) } + [(.row(r), rowSums[r])]) }
        for c in 0..<columns { sums.append((0..<rows).map { (.cell($0, c), counts[$0][c]) } + [(.column(c), columnSums[c])]) }
        sums.append((0..<rows).map { (.row($0), rowSums[$0]) } + [(.grand, grand)])
        sums.append((0..<columns).map { (.column($0), columnSums[$0]) } + [(.grand, grand)])

        func state(_ place: Place) -> MaskState {
            switch place {
            case .cell(let r, let c): cells[r][c]
            case .row(let r): rowTotals[r]
            case .column(let c): columnTotals[c]
            case .grand: grandTotal
            }
        }
        func hide(_ place: Place) {
            switch place {
            case .cell(let r, let c): cells[r][c] = .secondary
            case .row(let r): rowTotals[r] = .secondary
            case .column(let c): columnTotals[c] = .secondary
            case .grand: grandTotal = .secondary
            }
        }
        var changed = true
        while changed {
            changed = false
            for sum in sums where sum.filter({ state($0.0).isMasked }).count == 1 {
                let candidates = sum.filter { !state($0.0).isMasked && $0.1 > 0 }
                // All others are zero: the masked member equals the total, which is masked already (primary), or
                // everything is zero. Nothing to add then.
                guard let smallest = candidates.min(by: { $0.1 < $1.1 }) else { continue }
                hide(smallest.0)
                changed = true
            }
        }
    }
}

/// A count as a page or the API shows it: the number, or « < 5 » (primary), or « secret » (secondary).
public struct PublishedCount: Sendable, Equatable, Hashable {
    /// The number when shown, nil when masked.
    public let value: Int?
    public let state: MaskState
    public let threshold: Int

    public init(_ count: Int, state: MaskState, threshold: Int) {
        self.value = state.isMasked ? nil : count
        self.state = state
        self.threshold = threshold
    }

    /// A count published on its own (no total beside it): masked when small.
    public init(alone count: Int, threshold: Int) {
        self.init(count, state: count > 0 && count < threshold ? .primary : .shown, threshold: threshold)
    }

    public var text: String {
        switch state {
        case .shown: value.map { "\($0)" } ?? ""
        case .primary: "< \(threshold)"
        case .secondary: "secret"
        }
    }
}
