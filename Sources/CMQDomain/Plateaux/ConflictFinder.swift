/// The no-double-booking rule: which existing bookings a slot would collide with.
///
/// Only the bookings that hold their slot (accepted ones) count: a request waiting for the owner's approval
/// does not block others, and a refused or cancelled booking frees its slot. Two bookings collide when they
/// are on the same platform, their targets collide (see `BookingTarget`) and their créneaux overlap
/// (touching créneaux don't). The application's database enforces the same rule on accepted bookings.
public enum ConflictFinder {
    /// The accepted bookings among `existing` that the slot collides with, in créneau order.
    public static func conflicts(of candidate: BookingSlot, among existing: [Booking]) -> [Booking] {
        existing
            .filter { $0.status.holdsSlot && candidate.collides(with: $0.slot) }
            .sorted { ($0.creneau.start, $0.id.uuidString) < ($1.creneau.start, $1.id.uuidString) }
    }

    /// The same for a booking already recorded, which does not collide with itself.
    public static func conflicts(of booking: Booking, among existing: [Booking]) -> [Booking] {
        conflicts(of: booking.slot, among: existing.filter { $0.id != booking.id })
    }
}
