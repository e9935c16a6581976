import Foundation

/// The rules a platform applies to a booking request, and the making of a booking.
extension Plateau {
    /// Every reason why the platform's rules refuse `request` at `now`, in this order: the time (start passed,
    /// notice), closures, opening hours, duration, who books, participants, equipment and safety training.
    /// Empty when the rules accept it (other bookings are not looked at here: see `book`).
    public func refusals(for request: BookingRequest, now: Date) -> [BookingRefusal] {
        var refusals: [BookingRefusal] = []
        let range = request.creneau
        let secondsBeforeStart = range.start.date.timeIntervalSince(now)
        if secondsBeforeStart <= 0 {
            refusals.append(.startPassed(range.start))
        } else if secondsBeforeStart < Double(rules.minimumNoticeHours) * 3600 {
            refusals.append(.noticeTooShort(minutesBeforeStart: Int(secondsBeforeStart / 60), requiredHours: rules.minimumNoticeHours))
        }
        refusals += closures(overlapping: range).map(BookingRefusal.closed)
        if !openingHours.contains(range) {
            refusals.append(.outsideOpeningHours(range, hours: openingHours.describe(range.start.day.weekday)))
        }
        if let maximum = rules.maximumDurationMinutes, range.durationMinutes > maximum {
            refusals.append(.tooLong(minutes: range.durationMinutes, maximum: maximum))
        }
        if !rules.allows(request.booker, onCampus: campusID) {
            refusals.append(.notOpenTo(rules.openTo))
        }
        if request.participants < 1 {
            refusals.append(.noParticipants)
        }
        switch request.target {
        case .equipement(let id) where equipement(id: id) == nil:
            refusals.append(.unknownEquipment)
        case .plateau, .equipement:
            let training = equipements(of: request.target).filter(\.requiresSafetyTraining).map(\.nom)
            if !training.isEmpty, !request.safetyTrainingConfirmed {
                refusals.append(.safetyTrainingNotConfirmed(equipements: training))
            }
        }
        return refusals
    }

    /// Throws every reason of `refusals` at once.
    public func check(_ request: BookingRequest, now: Date) throws(BookingError) {
        let refusals = refusals(for: request, now: now)
        guard refusals.isEmpty else { throw .refused(refusals) }
    }

    /// The booking of `request` if the rules accept it and no accepted booking among `existing` holds an
    /// overlapping slot: accepted at once when the platform does not require approval, requested otherwise.
    public func book(_ request: BookingRequest, id: UUID, existing: [Booking], now: Date) throws(BookingError) -> Booking {
        try check(request, now: now)
        let conflicts = ConflictFinder.conflicts(of: BookingSlot(plateauID: self.id, target: request.target, creneau: request.creneau), among: existing)
        guard conflicts.isEmpty else { throw .conflict(with: conflicts) }
        return Booking(id: id, plateauID: self.id, request: request, status: rules.initialStatus)
    }

    /// The items a booking of `target` uses: all of them for the whole platform.
    func equipements(of target: BookingTarget) -> [Equipement] {
        switch target {
        case .plateau: equipements
        case .equipement(let id): equipements.filter { $0.id == id }
        }
    }
}
