import Foundation

/// What every page needs: its title and which part of the site it belongs to; what search engines read of it
/// (`jsonLD`, schema.org, written by `StructuredData`).
struct PageMeta: Encodable {
    var title: String
    var description: String?
    var section: String?
    var jsonLD: String?

    init(title: String, description: String? = nil, section: String? = nil, jsonLD: String? = nil) {
        self.title = title
        self.description = description
        self.section = section
        self.jsonLD = jsonLD
    }
}

/// A choice of a select list or of a facet.
struct OptionItem: Encodable {
    var value: String
    var label: String
    var selected: Bool
}

/// Previous and next pages of a list.
struct Pager: Encodable {
    var page: Int
    var pageCount: Int
    var total: Int
    var previousURL: String?
    var nextURL: String?

    /// The pager of a list: `url` gives the address of a page number.
    init(page: Int, per: Int, total: Int, url: (Int) -> String) {
        self.page = page
        self.total = total
        pageCount = max(1, (total + per - 1) / per)
        previousURL = page > 1 ? url(page - 1) : nil
        nextURL = page < pageCount ? url(page + 1) : nil
    }
}
