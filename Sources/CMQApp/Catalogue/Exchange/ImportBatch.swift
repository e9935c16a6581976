/// An import that stages its new formations (`lots_import`, `AddImportBatches`): the rows it writes carry its id in
/// `lot_import`, and are shown by one change of its own row, `publie_le`, in the import's last transaction.
enum ImportBatch {
    /// SQL: the row whose `lot_import` is `column` is shown — written by no import that stages, or by one whose
    /// formations are shown. (A discarded import's row is gone at once: what it staged is unseen while it is removed.)
    static func shown(_ column: String) -> String {
        "(\(column) IS NULL OR \(column) IN (SELECT id FROM lots_import WHERE publie_le IS NOT NULL))"
    }
}
