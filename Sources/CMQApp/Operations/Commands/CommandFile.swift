import CMQDomain
import Foundation
import Vapor

/// The file a command is given: its bytes, or its text in UTF-8 or Windows-1252; a French failure otherwise.
enum CommandFile {
    static func data(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure("Fichier introuvable ou illisible : \(path)")
        }
        return data
    }

    static func text(_ path: String) throws -> String {
        let data = try data(path)
        do { return try TextEncoding.decode(data).text } catch { throw CommandFailure("\(path) : \(error.description)") }
    }
}
