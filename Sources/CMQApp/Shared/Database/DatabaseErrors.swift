import Fluent

extension Error {
    /// A unique or foreign-key constraint refused the write (both SQLite and PostgreSQL report it so).
    var isConstraintFailure: Bool {
        (self as? any DatabaseError)?.isConstraintFailure ?? false
    }
}
