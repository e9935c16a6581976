import CMQDomain
import Foundation
import NIOConcurrencyHelpers
import SQLKit
import Vapor

#if os(Linux)
/// glibc's `malloc_trim` (not in Swift's Glibc module): gives freed heap memory back to the system.
@_silgen_name("malloc_trim") private func mallocTrim(_ pad: Int) -> Int32
#endif

/// This instance's compact copy of what the catalogue search reads: per formation a few small integers
/// (level, diploma type, filière, statuses, organisation), the folded words of its title and text as sorted
/// posting lists, and its place in the title order; per organisation its territory; per campus its members and
/// attachments. A search, its exact total and its eight facets are then counted in memory in one pass over
/// the matching formations, on SQLite and PostgreSQL alike; the database only gives the page's formations.
///
/// The copy follows the catalogue's version (kept by triggers, `AddCatalogueVersion`): a write through this
/// instance makes the next search read the version, a write elsewhere is seen within `checkInterval`. It then
/// reads only the formations changed since its version (`AddCatalogueChanges`), and the small tables again
/// when one of them changed.
final class CatalogueIndex: @unchecked Sendable {
    private let lock = NIOLock()
    private var snapshot: Snapshot?
    private var checkedAt: UInt64 = 0
    private var touches: UInt64 = 0
    private var checkedTouches: UInt64 = .max
    private var refreshing: Task<Snapshot, any Error>?
    let checkInterval: TimeInterval

    init(checkInterval: TimeInterval = 0.2) {
        self.checkInterval = checkInterval
    }

    /// A write went through this instance: the next search reads the catalogue's version again.
    func touch() {
        lock.withLock { touches &+= 1 }
    }

    /// The index as of the catalogue's current version (read at most every `checkInterval`, unless touched).
    func current(on sql: any SQLDatabase, today: CalendarDay) async throws -> Snapshot {
        let day = today.iso
        let now = DispatchTime.now().uptimeNanoseconds
        let (fresh, touchesAtStart): (Snapshot?, UInt64) = lock.withLock {
            if let snapshot, snapshot.day == day, checkedTouches == touches, Double(now &- checkedAt) < checkInterval * 1e9 {
                return (snapshot, touches)
            }
            return (nil, touches)
        }
        if let fresh { return fresh }
        let state = try await CatalogueState.read(on: sql)
        while true {
            let (ready, task): (Snapshot?, Task<Snapshot, any Error>?) = lock.withLock {
                if let snapshot, snapshot.day == day, snapshot.version >= state.version {
                    if touchesAtStart >= checkedTouches || checkedTouches == .max {
                        checkedTouches = touchesAtStart
                        checkedAt = now
                    }
                    return (snapshot, nil)
                }
                if let refreshing { return (nil, refreshing) }
                let base = snapshot
                let task = Task { try await Self.build(from: base, state: state, day: day, on: sql) }
                refreshing = task
                return (nil, task)
            }
            if let ready { return ready }
            do {
                let built = try await task!.value
                lock.withLock {
                    if snapshot.map({ built.version >= $0.version || built.day != $0.day }) ?? true { snapshot = built }
                    refreshing = nil
                }
                #if os(Linux)
                // The rows read for the index are freed: give their memory back to the system.
                _ = mallocTrim(0)
                #endif
            } catch {
                lock.withLock { refreshing = nil }
                throw error
            }
        }
    }

    // MARK: loading and refreshing

    /// The catalogue's version, that of its last write to the small tables, and that of its last bulk write whose
    /// formations are not listed in `catalogue_changes` (`AddCatalogueReloadVersion`).
    struct CatalogueState: Decodable, Sendable {
        let version: Int64
        let structure_version: Int64
        let reload_version: Int64

        static func read(on sql: any SQLDatabase) async throws -> CatalogueState {
            try await sql.raw("SELECT version, structure_version, reload_version FROM catalogue_version WHERE id = 1").first(decoding: CatalogueState.self)
                ?? CatalogueState(version: 0, structure_version: 0, reload_version: 0)
        }
    }

    struct FormationRow: Decodable, Sendable {
        let id: UUID
        let organisation_id: UUID
        let niveau_sortie: Int
        let type_diplome: String?
        let filiere: String?
        let statuts_masque: Int
        let intitule_cle: String
        let texte_cle: String?
    }

    static let formationColumns = "id, organisation_id, niveau_sortie, type_diplome, filiere, statuts_masque, intitule_cle, texte_cle"

    /// The next snapshot: the changed formations read into a copy of `base`, or everything read again when
    /// there is no base, the changes are many, or a bulk write since `base` did not list its formations.
    static func build(from base: Snapshot?, state: CatalogueState, day: String, on sql: any SQLDatabase) async throws -> Snapshot {
        guard var next = base, state.reload_version <= next.version else { return try await load(state: state, day: day, on: sql) }
        struct Changed: Decodable { let formation_id: UUID }
        let changed = try await sql.raw("SELECT formation_id FROM catalogue_changes WHERE version > \(bind: next.version)")
            .all(decoding: Changed.self).map(\.formation_id)
        if changed.count > max(5_000, next.aliveCount / 4) || next.deadCount + changed.count > max(10_000, next.aliveCount) {
            return try await load(state: state, day: day, on: sql)
        }
        if state.structure_version > next.version || next.day != day {
            try await next.loadStructure(day: day, on: sql)
        }
        var rows: [FormationRow] = []
        for start in stride(from: 0, to: changed.count, by: 500) {
            let chunk = Array(changed[start..<min(start + 500, changed.count)])
            rows += try await sql.select().column(SQLRaw(formationColumns)).from("formations").where(SQLRaw(Formation.visibleCondition()))
                .where(SQLIdentifier("id"), .in, SQLBind.group(chunk)).all(decoding: FormationRow.self)
        }
        for id in changed { next.remove(id) }
        for row in rows { next.add(row) }
        next.placeInOrder(rows.compactMap { next.slotOf[$0.id] })
        next.version = state.version
        next.rebuildFacetBits()
        return next
    }

    /// Everything read from the database.
    static func load(state: CatalogueState, day: String, on sql: any SQLDatabase) async throws -> Snapshot {
        var snapshot = Snapshot(version: state.version, day: day)
        try await snapshot.loadStructure(day: day, on: sql)
        var text = TokenIndex.Builder(), title = TokenIndex.Builder()
        // Read in chunks, in the order of the ids, so that the rows of the whole catalogue are never all in memory.
        var last: UUID?
        while true {
            var select = sql.select().column(SQLRaw(formationColumns)).from("formations").where(SQLRaw(Formation.visibleCondition()))
            if let last { select = select.where(SQLIdentifier("id"), .greaterThan, SQLBind(last)) }
            let rows = try await select.orderBy("id").limit(20_000).all(decoding: FormationRow.self)
            for row in rows { snapshot.add(row, text: &text, title: &title) }
            guard rows.count == 20_000, let next = rows.last?.id else { break }
            last = next
        }
        snapshot.text = text.build()
        snapshot.title = title.build()
        snapshot.sortOrder()
        snapshot.rebuildFacetBits()
        return snapshot
    }
}

/// Strings numbered from 1 in the order they are met (0 is "no value").
struct Interner: Sendable {
    private(set) var values: [String] = [""]
    private var numbers: [String: UInt16] = [:]

    /// The number of a value, given one if new (and `UInt16.max` past 65,534 values).
    mutating func number(_ value: String?) -> UInt16 {
        guard let value else { return 0 }
        if let number = numbers[value] { return number }
        guard values.count < Int(UInt16.max) else { return UInt16.max }
        let number = UInt16(values.count)
        values.append(value)
        numbers[value] = number
        return number
    }

    /// The number of a known value; nil when never met (nothing can match it).
    func existing(_ value: String) -> UInt16? { numbers[value] }
}

/// Sorted words, each with the increasing list of the slots whose text holds it: "every word of the query
/// begins a word of the text" is a union of posting lists per query word, intersected.
struct TokenIndex: Sendable {
    var words: [String] = []
    var postings: [[Int32]] = []

    struct Builder {
        var lists: [String: [Int32]] = [:]

        mutating func add(_ words: [Substring], slot: Int32) {
            var seen = Set<Substring>()
            for word in words where !word.isEmpty && seen.insert(word).inserted {
                lists[String(word), default: []].append(slot)
            }
        }

        func build() -> TokenIndex {
            let sorted = lists.keys.sorted()
            return TokenIndex(words: sorted, postings: sorted.map { lists[$0]! })
        }
    }

    private func lowerBound(_ word: String) -> Int {
        var low = 0, high = words.count
        while low < high {
            let middle = (low + high) / 2
            if words[middle] < word { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Adds a slot (greater than every slot already there) to the words' lists.
    mutating func add(_ text: [Substring], slot: Int32) {
        var seen = Set<Substring>()
        for word in text where !word.isEmpty && seen.insert(word).inserted {
            let key = String(word)
            let position = lowerBound(key)
            if position < words.count, words[position] == key {
                postings[position].append(slot)
            } else {
                words.insert(key, at: position)
                postings.insert([slot], at: position)
            }
        }
    }

    /// Sets in `bits` every slot with a word that begins with `prefix`.
    func mark(prefix: String, in bits: inout [UInt64]) {
        var position = lowerBound(prefix)
        while position < words.count, words[position].hasPrefix(prefix) {
            for slot in postings[position] { bits[Int(slot) >> 6] |= 1 << UInt64(slot & 63) }
            position += 1
        }
    }

    /// Whether a word that begins with `prefix` is held by a slot that `isIn` accepts (stops at the first).
    func hasWord(prefix: String, in isIn: (Int32) -> Bool) -> Bool {
        var position = lowerBound(prefix)
        while position < words.count, words[position].hasPrefix(prefix) {
            if postings[position].contains(where: isIn) { return true }
            position += 1
        }
        return false
    }
}

extension CatalogueIndex {
    /// One version of the index. Slots only grow: a changed formation takes a new slot, its old one is dead.
    struct Snapshot: Sendable {
        var version: Int64
        var day: String

        // per slot
        var ids: [UUID] = []
        var alive: [UInt64] = []
        var niveau: [UInt8] = []
        var typeDiplome: [UInt16] = []
        var filiere: [UInt16] = []
        var statuts: [UInt8] = []
        var organisation: [Int32] = []
        var titleKey: [String] = []
        var slotOf: [UUID: Int32] = [:]
        var aliveCount = 0
        var deadCount: Int { ids.count - aliveCount }

        // words
        var text = TokenIndex()
        var title = TokenIndex()

        /// The alive slots in the title order (folded title, then id); `rank[slot]` is a slot's place in it.
        var order: [Int32] = []
        var rank: [UInt32] = []
        /// The alive slots by level, then in the title order (the order of a search without words).
        var levelOrder: [Int32] = []

        /// Per facet value, the bit set of the alive slots that have it (empty when none has it); rebuilt
        /// after each load or refresh. Counting a facet value is then an AND and a population count.
        var niveauBits: [[UInt64]] = []
        var typeBits: [[UInt64]] = []
        var statutBits: [[UInt64]] = []
        var filiereBits: [[UInt64]] = []
        var regionBits: [[UInt64]] = []
        var academieBits: [[UInt64]] = []
        var departementBits: [[UInt64]] = []
        var campusBits: [[UInt64]] = []

        // values
        var types = Interner()
        var filieres = Interner()
        var codes = Interner()

        // organisations (numbers stay the same across reloads), their territory
        var organisationIDs: [UUID] = []
        var organisationNumber: [UUID: Int32] = [:]
        var region: [UInt16] = []
        var academie: [UInt16] = []
        var departement: [UInt16] = []
        /// Where each organisation is (nil when its coordinates are not known).
        var point: [GeoPoint?] = []

        // campuses: the current members of each organisation, with the campus's filière; the explicit attachments
        var campusIDs: [UUID] = []
        var campusNames: [String] = []
        /// The keys of each campus's name, for the words of a search that name it (`SearchTerm.nameKeys`).
        var campusNameKeys: [[String]] = []
        var campusNumber: [UUID: Int32] = [:]
        var memberOf: [[(campus: Int32, filiere: UInt16)]] = []
        var attached: [UUID: [Int32]] = [:]

        init(version: Int64, day: String) {
            self.version = version
            self.day = day
        }

        mutating func reserve(_ count: Int) {
            ids.reserveCapacity(count)
            niveau.reserveCapacity(count)
            typeDiplome.reserveCapacity(count)
            filiere.reserveCapacity(count)
            statuts.reserveCapacity(count)
            organisation.reserveCapacity(count)
            titleKey.reserveCapacity(count)
            slotOf.reserveCapacity(count)
        }

        func isAlive(_ slot: Int) -> Bool { alive[slot >> 6] & (1 << UInt64(slot & 63)) != 0 }

        private mutating func organisationSlot(_ id: UUID) -> Int32 {
            if let number = organisationNumber[id] { return number }
            let number = Int32(organisationIDs.count)
            organisationIDs.append(id)
            organisationNumber[id] = number
            region.append(0)
            academie.append(0)
            departement.append(0)
            point.append(nil)
            memberOf.append([])
            return number
        }

        private mutating func campusSlot(_ id: UUID) -> Int32 {
            if let number = campusNumber[id] { return number }
            let number = Int32(campusIDs.count)
            campusIDs.append(id)
            campusNames.append("")
            campusNameKeys.append([])
            campusNumber[id] = number
            return number
        }

        /// Reads the organisations' territory, the campuses, their current members and attachments.
        mutating func loadStructure(day: String, on sql: any SQLDatabase) async throws {
            self.day = day
            struct OrganisationRow: Decodable {
                let id: UUID; let region_code: String?; let academie_code: String?; let departement_code: String?
                let latitude: Double?; let longitude: Double?
            }
            struct CampusRow: Decodable { let id: UUID; let filiere: String; let nom: String }
            struct MemberRow: Decodable { let campus_id: UUID; let organisation_id: UUID; let depuis: String?; let jusqu_a: String? }
            struct AttachedRow: Decodable { let campus_id: UUID; let formation_id: UUID }
            let organisations = try await sql.raw("SELECT id, region_code, academie_code, departement_code, latitude, longitude FROM organisations").all(decoding: OrganisationRow.self)
            for index in region.indices { region[index] = 0; academie[index] = 0; departement[index] = 0; point[index] = nil; memberOf[index] = [] }
            for row in organisations {
                let number = Int(organisationSlot(row.id))
                region[number] = codes.number(row.region_code)
                academie[number] = codes.number(row.academie_code)
                departement[number] = codes.number(row.departement_code)
                if let latitude = row.latitude, let longitude = row.longitude { point[number] = GeoPoint(latitude: latitude, longitude: longitude) }
            }
            let campuses = try await sql.raw("SELECT id, filiere, nom FROM campus").all(decoding: CampusRow.self)
            let campusFiliere = Dictionary(campuses.map { ($0.id, $0.filiere) }, uniquingKeysWith: { a, _ in a })
            // (A deleted campus keeps its number, without a name: no word names it any more.)
            for index in campusNames.indices { campusNames[index] = ""; campusNameKeys[index] = [] }
            for campus in campuses {
                let number = Int(campusSlot(campus.id))
                campusNames[number] = campus.nom
                campusNameKeys[number] = SearchTerm.nameKeys(campus.nom)
            }
            for member in try await sql.raw("SELECT campus_id, organisation_id, depuis, jusqu_a FROM campus_membres").all(decoding: MemberRow.self) {
                guard let filiere = campusFiliere[member.campus_id],
                      member.depuis.map({ $0 <= day }) ?? true, member.jusqu_a.map({ $0 >= day }) ?? true else { continue }
                let organisation = Int(organisationSlot(member.organisation_id))
                let entry = (campus: campusSlot(member.campus_id), filiere: filieres.number(filiere))
                if !memberOf[organisation].contains(where: { $0.campus == entry.campus && $0.filiere == entry.filiere }) {
                    memberOf[organisation].append(entry)
                }
            }
            attached = [:]
            for link in try await sql.raw("SELECT campus_id, formation_id FROM campus_formations").all(decoding: AttachedRow.self) {
                let campus = campusSlot(link.campus_id)
                if !(attached[link.formation_id]?.contains(campus) ?? false) { attached[link.formation_id, default: []].append(campus) }
            }
        }

        private mutating func appendSlot(_ row: CatalogueIndex.FormationRow) -> Int32 {
            let slot = Int32(ids.count)
            ids.append(row.id)
            if ids.count > alive.count * 64 { alive.append(0) }
            alive[Int(slot) >> 6] |= 1 << UInt64(slot & 63)
            aliveCount += 1
            niveau.append(UInt8(clamping: row.niveau_sortie))
            typeDiplome.append(types.number(row.type_diplome))
            filiere.append(filieres.number(row.filiere))
            statuts.append(UInt8(truncatingIfNeeded: row.statuts_masque & 0xF))
            organisation.append(organisationSlot(row.organisation_id))
            titleKey.append(row.intitule_cle)
            slotOf[row.id] = slot
            return slot
        }

        private static func words(_ row: CatalogueIndex.FormationRow) -> (text: [Substring], title: [Substring]) {
            let title = row.intitule_cle.split(separator: " ")
            return (title + (row.texte_cle?.split(separator: " ") ?? []), title)
        }

        /// A formation of the first load (the word lists are built at the end).
        mutating func add(_ row: CatalogueIndex.FormationRow, text: inout TokenIndex.Builder, title: inout TokenIndex.Builder) {
            let slot = appendSlot(row)
            let words = Self.words(row)
            text.add(words.text, slot: slot)
            title.add(words.title, slot: slot)
        }

        /// A new or changed formation (after `remove` of its old slot); `placeInOrder` then places it.
        mutating func add(_ row: CatalogueIndex.FormationRow) {
            let slot = appendSlot(row)
            let words = Self.words(row)
            text.add(words.text, slot: slot)
            title.add(words.title, slot: slot)
        }

        /// Kills the slot of a formation (`placeInOrder` then takes it out of the order).
        mutating func remove(_ id: UUID) {
            guard let slot = slotOf.removeValue(forKey: id) else { return }
            alive[Int(slot) >> 6] &= ~(1 << UInt64(slot & 63))
            aliveCount -= 1
        }

        /// Whether slot `a` comes before slot `b` in the title order: folded title, then id, both as bytes
        /// (as SQLite's binary collation orders them).
        static func precedes(_ a: Int32, _ b: Int32, titles: [String], ids: [UUID]) -> Bool {
            let ta = titles[Int(a)].utf8, tb = titles[Int(b)].utf8
            if !ta.elementsEqual(tb) { return ta.lexicographicallyPrecedes(tb) }
            return withUnsafeBytes(of: ids[Int(a)].uuid) { pa in withUnsafeBytes(of: ids[Int(b)].uuid) { pb in pa.lexicographicallyPrecedes(pb) } }
        }

        mutating func sortOrder() {
            let titles = titleKey, ids = self.ids
            var sorted = (0..<Int32(ids.count)).filter { isAlive(Int($0)) }
            sorted.sort { Self.precedes($0, $1, titles: titles, ids: ids) }
            order = sorted
            renumber()
        }

        /// Takes the dead slots out of the order and merges the new ones in at their place.
        mutating func placeInOrder(_ slots: [Int32]) {
            let titles = titleKey, ids = self.ids
            let kept = order.filter { isAlive(Int($0)) }
            let added = slots.sorted { Self.precedes($0, $1, titles: titles, ids: ids) }
            var merged: [Int32] = []
            merged.reserveCapacity(kept.count + added.count)
            var i = 0, j = 0
            while i < kept.count || j < added.count {
                if j == added.count || (i < kept.count && Self.precedes(kept[i], added[j], titles: titles, ids: ids)) {
                    merged.append(kept[i]); i += 1
                } else {
                    merged.append(added[j]); j += 1
                }
            }
            order = merged
            renumber()
        }

        /// The values a slot has in a dimension, as numbered in that dimension's bit sets (none for an unknown value).
        func forEachValue(_ dimension: CatalogueSearch.Dimension, of slot: Int, _ body: (Int) -> Void) {
            func some(_ value: some BinaryInteger) { if value != 0 { body(Int(value)) } }
            switch dimension {
            case .niveau: body(Int(niveau[slot]))
            case .typeDiplome: some(typeDiplome[slot])
            case .statut:
                let mask = statuts[slot]
                for bit in 0..<4 where mask & (1 << bit) != 0 { body(bit) }
            case .filiere: some(filiere[slot])
            case .region: some(region[Int(organisation[slot])])
            case .academie: some(academie[Int(organisation[slot])])
            case .departement: some(departement[Int(organisation[slot])])
            case .campus: forEachCampus(slot, body)
            }
        }

        /// Calls `body` once per campus whose offer holds the slot's formation: the current members' formations
        /// of the campus's filière, and the formations attached to it.
        func forEachCampus(_ slot: Int, _ body: (Int) -> Void) {
            let members = memberOf[Int(organisation[slot])]
            let slotFiliere = filiere[slot]
            if slotFiliere != 0 {
                for member in members where member.filiere == slotFiliere { body(Int(member.campus)) }
            }
            if !attached.isEmpty, let campuses = attached[ids[slot]] {
                for campus in campuses where !(slotFiliere != 0 && members.contains { $0.campus == campus && $0.filiere == slotFiliere }) {
                    body(Int(campus))
                }
            }
        }

        /// The facet bit sets and the level order, from the slots.
        mutating func rebuildFacetBits() {
            let words = alive.count
            func empty(_ count: Int) -> [[UInt64]] { Array(repeating: [], count: count) }
            var niveauBits = empty(256), typeBits = empty(types.values.count + 1), statutBits = empty(4)
            var filiereBits = empty(filieres.values.count + 1), regionBits = empty(codes.values.count + 1)
            var academieBits = empty(codes.values.count + 1), departementBits = empty(codes.values.count + 1)
            var campusBits = empty(campusIDs.count)
            func set(_ sets: inout [[UInt64]], _ value: Int, _ slot: Int) {
                if sets[value].isEmpty { sets[value] = [UInt64](repeating: 0, count: words) }
                sets[value][slot >> 6] |= 1 << UInt64(slot & 63)
            }
            var levelCounts = [Int](repeating: 0, count: 256)
            for word in 0..<words {
                var bits = alive[word]
                while bits != 0 {
                    let slot = word << 6 | bits.trailingZeroBitCount
                    bits &= bits &- 1
                    let org = Int(organisation[slot])
                    set(&niveauBits, Int(niveau[slot]), slot)
                    levelCounts[Int(niveau[slot])] += 1
                    if typeDiplome[slot] != 0 { set(&typeBits, Int(typeDiplome[slot]), slot) }
                    let mask = statuts[slot]
                    for bit in 0..<4 where mask & (1 << bit) != 0 { set(&statutBits, bit, slot) }
                    if filiere[slot] != 0 { set(&filiereBits, Int(filiere[slot]), slot) }
                    if region[org] != 0 { set(&regionBits, Int(region[org]), slot) }
                    if academie[org] != 0 { set(&academieBits, Int(academie[org]), slot) }
                    if departement[org] != 0 { set(&departementBits, Int(departement[org]), slot) }
                    forEachCampus(slot) { set(&campusBits, $0, slot) }
                }
            }
            self.niveauBits = niveauBits
            self.typeBits = typeBits
            self.statutBits = statutBits
            self.filiereBits = filiereBits
            self.regionBits = regionBits
            self.academieBits = academieBits
            self.departementBits = departementBits
            self.campusBits = campusBits
            // The level order: the title order, split by level (a stable counting sort).
            var start = [Int](repeating: 0, count: 257)
            for level in 0..<256 { start[level + 1] = start[level] + levelCounts[level] }
            var levelOrder = [Int32](repeating: 0, count: order.count)
            for slot in order {
                let level = Int(niveau[Int(slot)])
                levelOrder[start[level]] = slot
                start[level] += 1
            }
            self.levelOrder = levelOrder
        }

        private mutating func renumber() {
            if rank.count < ids.count { rank.append(contentsOf: repeatElement(UInt32.max, count: ids.count - rank.count)) }
            for (position, slot) in order.enumerated() { rank[Int(slot)] = UInt32(position) }
        }
    }
}

extension CatalogueIndex.Snapshot: SearchVocabulary {
    var campusKeys: [(id: UUID, keys: [String])] {
        campusIDs.indices.compactMap { campusNames[$0].isEmpty ? nil : (campusIDs[$0], campusNameKeys[$0]) }
    }

    /// How many alive formations hold the word at `position` of the text's list.
    private func aliveCount(_ position: Int) -> Int {
        text.postings[position].reduce(0) { $0 + (isAlive(Int($1)) ? 1 : 0) }
    }

    func knows(prefix: String) -> Bool {
        text.hasWord(prefix: prefix) { isAlive(Int($0)) }
    }

    func nearest(to word: String) -> String? {
        SearchCorrection.nearest(to: word, in: text.words, frequency: aliveCount)
    }

    /// The slots that answer every word of the query (`titleOnly`: by a word of their title; otherwise by any
    /// word, a status, a filière or a campus the word names).
    func answering(_ query: ResolvedQuery, titleOnly: Bool) -> [UInt64] {
        let count = alive.count
        var result: [UInt64]?
        for term in query.terms {
            var bits = [UInt64](repeating: 0, count: count)
            for prefix in term.term.prefixes { (titleOnly ? title : text).mark(prefix: prefix, in: &bits) }
            if !titleOnly {
                func add(_ set: [UInt64]) { if !set.isEmpty { for i in 0..<count { bits[i] |= set[i] } } }
                for status in term.term.statuses { add(statutBits[FormationStatusMask.bit(status).trailingZeroBitCount]) }
                for filiere in term.filieres {
                    if let number = filieres.existing(filiere.slug).map(Int.init), number < filiereBits.count { add(filiereBits[number]) }
                }
                for campus in term.campuses {
                    if let number = campusNumber[campus].map(Int.init), number < campusBits.count { add(campusBits[number]) }
                }
            }
            if var current = result {
                for i in 0..<count { current[i] &= bits[i] }
                result = current
            } else {
                result = bits
            }
        }
        return result ?? [UInt64](repeating: .max, count: count)
    }
}

extension CatalogueIndex.Snapshot {
    /// The search counted in memory: the page of ids in order, the exact total, and every facet, each counting
    /// the formations that match the query and every other filter (as `CatalogueSearch` does in SQL).
    /// Up to `keyedUpTo` matches, the page is chosen from all their keys; past it, by walking the order.
    func search(_ criteria: CatalogueSearch.Criteria, page: PageRequest, keyedUpTo: Int = 20_000) -> CatalogueSearch.Result {
        let query = criteria.q.map { ResolvedQuery.resolve($0, in: self) }
        let words = query?.terms ?? []
        let suggestion = query?.suggestion
        let count = alive.count
        var base = alive
        var titleBits: [UInt64] = []
        if let query, !words.isEmpty {
            let found = answering(query, titleOnly: false)
            for i in 0..<count { base[i] &= found[i] }
            titleBits = answering(query, titleOnly: true)
        }
        // Near a commune: the distance rank of each organisation within reach (-1 out of reach).
        var distanceRank: [Int32] = []
        if let near = criteria.near {
            distanceRank = [Int32](repeating: -1, count: organisationIDs.count)
            let places = organisationIDs.indices.compactMap { number in
                point[number].map { (id: organisationIDs[number].uuidString.lowercased(), point: $0, number: number) }
            }
            let numbers = Dictionary(places.map { ($0.id, $0.number) }, uniquingKeysWith: { a, _ in a })
            for found in near.select(places.map { (id: $0.id, point: $0.point) }) {
                distanceRank[numbers[found.id]!] = Int32(clamping: Nearby.rank(found.distance))
            }
            for word in 0..<count {
                var bits = base[word]
                while bits != 0 {
                    let bit = bits.trailingZeroBitCount
                    bits &= bits &- 1
                    if distanceRank[Int(organisation[word << 6 | bit])] < 0 { base[word] &= ~(1 << UInt64(bit)) }
                }
            }
        }
        if let wanted = criteria.organisation {
            // Rare (an organisation's own list): the slots of other organisations are taken out one by one.
            let number = organisationNumber[wanted].map(Int.init) ?? -1
            for word in 0..<count {
                var bits = base[word]
                while bits != 0 {
                    let bit = bits.trailingZeroBitCount
                    bits &= bits &- 1
                    if Int(organisation[word << 6 | bit]) != number { base[word] &= ~(1 << UInt64(bit)) }
                }
            }
        }

        // The bit set of each filter in force ([] when no formation has the wanted value).
        func bits(_ sets: [[UInt64]], _ number: Int?) -> [UInt64] {
            guard let number, number >= 0, number < sets.count else { return [] }
            return sets[number]
        }
        var filters: [(CatalogueSearch.Dimension, [UInt64])] = []
        if let niveau = criteria.niveau { filters.append((.niveau, bits(niveauBits, niveau))) }
        if let type = criteria.typeDiplome { filters.append((.typeDiplome, bits(typeBits, types.existing(type.rawValue).map(Int.init)))) }
        if let statut = criteria.statut {
            filters.append((.statut, bits(statutBits, FormationStatusMask.bit(statut).trailingZeroBitCount)))
        }
        if let filiere = criteria.filiere { filters.append((.filiere, bits(filiereBits, filieres.existing(filiere.slug).map(Int.init)))) }
        if let region = criteria.region { filters.append((.region, bits(regionBits, codes.existing(region.code).map(Int.init)))) }
        if let academie = criteria.academie { filters.append((.academie, bits(academieBits, codes.existing(academie.code).map(Int.init)))) }
        if let departement = criteria.departement {
            filters.append((.departement, bits(departementBits, codes.existing(departement.code).map(Int.init))))
        }
        if let campus = criteria.campus { filters.append((.campus, bits(campusBits, campusNumber[campus].map(Int.init)))) }

        /// `base` and every filter but the one of `skipped`.
        func matching(except skipped: CatalogueSearch.Dimension?) -> [UInt64] {
            var result = base
            for (dimension, set) in filters where dimension != skipped {
                if set.isEmpty { return [UInt64](repeating: 0, count: count) }
                for i in 0..<count { result[i] &= set[i] }
            }
            return result
        }
        func population(_ a: [UInt64], _ b: [UInt64]) -> Int {
            var total = 0
            for i in 0..<count { total &+= (a[i] & b[i]).nonzeroBitCount }
            return total
        }
        let all = matching(except: nil)
        let total = all.reduce(0) { $0 + $1.nonzeroBitCount }
        guard total > 0 else { return CatalogueSearch.Result(ids: [], total: 0, facets: [:], suggestion: suggestion) }

        func counts(_ dimension: CatalogueSearch.Dimension, _ sets: [[UInt64]]) -> [Int] {
            let source = filters.contains { $0.0 == dimension } ? matching(except: dimension) : all
            // A search with words, or with filters, matches few formations: only the words of the set that hold one are read.
            let occupied = (0..<count).filter { source[$0] != 0 }
            guard occupied.count < count / 2 else { return sets.map { $0.isEmpty ? 0 : population(source, $0) } }
            // Fewer matches than words to read in the values' sets: each match adds one to its own values instead.
            let matches = occupied.reduce(0) { $0 + source[$1].nonzeroBitCount }
            if matches < sets.reduce(0, { $0 + ($1.isEmpty ? 0 : 1) }) * occupied.count {
                var result = [Int](repeating: 0, count: sets.count)
                for i in occupied {
                    var bits = source[i]
                    while bits != 0 {
                        let slot = i << 6 | bits.trailingZeroBitCount
                        bits &= bits &- 1
                        forEachValue(dimension, of: slot) { value in if value < result.count { result[value] += 1 } }
                    }
                }
                return result
            }
            return sets.map { set in
                guard !set.isEmpty else { return 0 }
                var total = 0
                for i in occupied { total &+= (source[i] & set[i]).nonzeroBitCount }
                return total
            }
        }
        func values(_ counts: [Int], _ names: [String]) -> [CatalogueSearch.FacetValue] {
            counts.indices.compactMap { index in
                index > 0 && index < names.count && counts[index] > 0 ? CatalogueSearch.FacetValue(value: names[index], count: counts[index]) : nil
            }.sorted { $0.value < $1.value }
        }
        var facets: [CatalogueSearch.Dimension: [CatalogueSearch.FacetValue]] = [:]
        let niveauCounts = counts(.niveau, niveauBits)
        facets[.niveau] = niveauCounts.indices.compactMap { niveauCounts[$0] > 0 ? CatalogueSearch.FacetValue(value: String($0), count: niveauCounts[$0]) : nil }
            .sorted { $0.value < $1.value }
        facets[.typeDiplome] = values(counts(.typeDiplome, typeBits), types.values)
        let statutCounts = counts(.statut, statutBits)
        let statuses: [(LearnerStatus, Int)] = [(.apprenti, statutCounts[2]), (.etudiant, statutCounts[1]), (.formationContinue, statutCounts[3]), (.scolaire, statutCounts[0])]
        facets[.statut] = statuses.compactMap { $0.1 > 0 ? CatalogueSearch.FacetValue(value: $0.0.rawValue, count: $0.1) : nil }
        facets[.filiere] = values(counts(.filiere, filiereBits), filieres.values)
        facets[.region] = values(counts(.region, regionBits), codes.values)
        facets[.academie] = values(counts(.academie, academieBits), codes.values)
        facets[.departement] = values(counts(.departement, departementBits), codes.values)
        let campusCounts = counts(.campus, campusBits)
        facets[.campus] = campusCounts.indices.compactMap { campusCounts[$0] > 0 ? CatalogueSearch.FacetValue(value: campusIDs[$0].uuidString.lowercased(), count: campusCounts[$0]) : nil }
            .sorted { $0.value < $1.value }
        var names: [String: String] = [:]
        for (number, count) in campusCounts.enumerated() where count > 0 && !campusNames[number].isEmpty {
            names[campusIDs[number].uuidString.lowercased()] = campusNames[number]
        }

        // The page: words in the title first (or the level without words), then the title order.
        let wanted = page.offset + page.per
        var pageSlots: [Int32] = []
        func has(_ set: [UInt64], _ slot: Int32) -> Bool { set[Int(slot) >> 6] & (1 << UInt64(slot & 63)) != 0 }
        if page.offset >= total {
            pageSlots = []
        } else if total <= keyedUpTo || criteria.near != nil {
            // Few matches: their keys, the smallest first.
            var keys: [UInt64] = []
            keys.reserveCapacity(total)
            for word in 0..<count {
                var bits = all[word]
                while bits != 0 {
                    let slot = word << 6 | bits.trailingZeroBitCount
                    bits &= bits &- 1
                    var primary: UInt64 = words.isEmpty ? UInt64(niveau[slot]) : (titleBits[word] & (1 << UInt64(slot & 63)) != 0 ? 0 : 1)
                    if !distanceRank.isEmpty { primary |= UInt64(distanceRank[Int(organisation[slot])]) << 8 }
                    keys.append(primary << 32 | UInt64(rank[slot]))
                }
            }
            pageSlots = Self.smallest(keys, count: wanted).map { order[Int($0 & 0xFFFF_FFFF)] }
        } else if words.isEmpty {
            // Many matches: walk the level order until the page is full.
            for slot in levelOrder where has(all, slot) {
                pageSlots.append(slot)
                if pageSlots.count == wanted { break }
            }
        } else {
            for inTitle in [true, false] where pageSlots.count < wanted {
                for slot in order where has(all, slot) && has(titleBits, slot) == inTitle {
                    pageSlots.append(slot)
                    if pageSlots.count == wanted { break }
                }
            }
        }
        let pageIDs = page.offset < pageSlots.count ? pageSlots[page.offset...].map { ids[Int($0)] } : []
        return CatalogueSearch.Result(ids: Array(pageIDs), total: total, facets: facets, campusNames: names, suggestion: suggestion)
    }

    /// The `count` smallest keys, in order (a bounded heap when they are few among many).
    static func smallest(_ keys: [UInt64], count: Int) -> [UInt64] {
        guard count < keys.count / 4 else { return Array(keys.sorted().prefix(count)) }
        // A max-heap of the `count` smallest keys met so far.
        var heap: [UInt64] = []
        heap.reserveCapacity(count)
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1, right = left + 1
                var largest = parent
                if left < heap.count && heap[left] > heap[largest] { largest = left }
                if right < heap.count && heap[right] > heap[largest] { largest = right }
                if largest == parent { return }
                heap.swapAt(parent, largest)
                parent = largest
            }
        }
        for key in keys {
            if heap.count < count {
                heap.append(key)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    if heap[parent] >= heap[child] { break }
                    heap.swapAt(parent, child)
                    child = parent
                }
            } else if key < heap[0] {
                heap[0] = key
                siftDown(0)
            }
        }
        return heap.sorted()
    }
}
