import Foundation
import NIOCore
import Vapor

extension FormationDTO {
    func write(to json: inout JSONText) {
        json.beginObject()
        json.member("id", id)
        json.member("intitule", intitule)
        json.key("organisation")
        organisation.write(to: &json)
        json.member("organisationResponsableId", organisationResponsableId)
        json.member("filiere", filiere)
        json.member("typeDiplome", typeDiplome)
        json.member("typeDiplomeLibelle", typeDiplomeLibelle)
        json.member("niveauEntree", niveauEntree)
        json.member("niveauSortie", niveauSortie)
        json.member("niveauSortieLibelle", niveauSortieLibelle)
        json.member("cfd", cfd)
        json.member("rncp", rncp)
        json.member("romes", romes)
        json.member("duree", duree)
        json.member("statuts", statuts)
        json.member("capacite", capacite)
        json.member("modalite", modalite)
        json.member("datesDebut", datesDebut)
        json.member("description", description)
        json.member("lien", lien)
        json.member("creeLe", creeLe)
        json.member("modifieLe", modifieLe)
        json.member("distanceKm", distanceKm)
        json.endObject()
    }

    var json: JSONText {
        var json = JSONText(capacity: 2048)
        write(to: &json)
        return json
    }
}

extension MembershipOrganisationDTO {
    func write(to json: inout JSONText) {
        json.beginObject()
        json.member("id", id)
        json.member("nom", nom)
        json.member("type", type)
        json.member("typeLibelle", typeLibelle)
        json.member("public", self.public)
        json.member("uai", uai)
        json.member("siret", siret)
        json.member("commune", commune)
        json.endObject()
    }
}

extension FacetsDTO {
    func write(to json: inout JSONText) {
        json.beginObject()
        for (name, values) in [("niveau", niveau), ("typeDiplome", typeDiplome), ("statut", statut), ("filiere", filiere), ("region", region),
                               ("academie", academie), ("departement", departement), ("campus", campus)] {
            json.key(name)
            json.beginArray()
            for value in values {
                json.element()
                json.beginObject()
                json.member("valeur", value.valeur)
                json.member("libelle", value.libelle)
                json.member("nombre", value.nombre)
                json.endObject()
            }
            json.endArray()
        }
        json.endObject()
    }
}

extension FormationSearchDTO {
    var json: JSONText {
        var json = JSONText(capacity: 4096 + 2048 * items.count)
        json.beginObject()
        json.key("items")
        json.beginArray()
        for item in items {
            json.element()
            item.write(to: &json)
        }
        json.endArray()
        json.member("page", page)
        json.member("per", per)
        json.member("total", total)
        json.key("facettes")
        facettes.write(to: &json)
        json.member("suggestion", suggestion)
        if let pres {
            json.key("pres")
            json.beginObject()
            json.member("commune", pres.commune)
            json.member("codeInsee", pres.codeInsee)
            json.member("departement", pres.departement)
            json.member("codesPostaux", pres.codesPostaux)
            json.member("latitude", pres.latitude)
            json.member("longitude", pres.longitude)
            json.member("rayonKm", pres.rayonKm)
            json.endObject()
        }
        json.endObject()
        return json
    }
}
