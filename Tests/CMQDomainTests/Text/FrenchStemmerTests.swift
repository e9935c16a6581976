import CMQDomain
import Testing

/// The French stemmer gives the Snowball project's own stems for its reference vocabulary
/// (snowballstem/snowball-data, french/voc.txt and output.txt, BSD 3-clause): one word in 60 of its 21,655 and the
/// words of the catalogue's examples. (The whole list was checked too: 0 differences; see the report of branch search-fr.)
@Suite("French stemmer (Snowball)")
struct FrenchStemmerTests {
    static let reference: [(word: String, stem: String)] = [
        ("a", "a"), ("aborder", "abord"), ("abusait", "abus"), ("accompagnait", "accompagn"),
        ("accoutumés", "accoutum"), ("achetés", "achet"), ("adeline", "adelin"), ("adopté", "adopt"),
        ("affaires", "affair"), ("affluer", "afflu"), ("agriculture", "agricultur"), ("aimables", "aimabl"),
        ("alarmes", "alarm"), ("allumée", "allum"), ("amarres", "amarr"), ("amours", "amour"),
        ("anecdotique", "anecdot"), ("année", "anné"), ("apercevait", "apercev"), ("apparut", "apparut"),
        ("apposés", "appos"), ("appât", "appât"), ("argentée", "argent"), ("arrangée", "arrang"), ("arrêts", "arrêt"),
        ("assassiné", "assassin"), ("assourdissant", "assourd"), ("attachés", "attach"), ("attention", "attent"),
        ("audit", "audit"), ("autorisations", "autoris"), ("avenir", "aven"), ("avons", "avon"), ("bague", "bagu"),
        ("balustrade", "balustrad"), ("barricader", "barricad"), ("bavard", "bavard"), ("besoin", "besoin"),
        ("blafarde", "blafard"), ("boeuf", "boeuf"), ("borgo", "borgo"), ("bouleversa", "boulevers"),
        ("brahmanes", "brahman"), ("brillèrent", "brill"), ("brumes", "brum"), ("bungalows", "bungalow"),
        ("bénite", "bénit"), ("cachot", "cachot"), ("calmer", "calm"), ("canoé", "cano"), ("caressant", "caress"),
        ("cassandre", "cassandr"), ("caïd", "caïd"), ("cessaient", "cess"), ("changeant", "chang"),
        ("chargerais", "charg"), ("chaud", "chaud"), ("chercherait", "cherch"), ("choisirez", "chois"),
        ("chèques", "chequ"), ("cire", "cir"), ("clin", "clin"), ("coin", "coin"), ("combat", "combat"),
        ("commentée", "comment"), ("comparaient", "compar"), ("comporté", "comport"), ("comptez", "compt"),
        ("condamnable", "condamn"), ("confit", "conf"), ("connaissait", "connaiss"), ("consentit", "consent"),
        ("constante", "const"), ("contenir", "conten"), ("contractés", "contract"), ("contrôles", "contrôl"),
        ("coolies", "cool"), ("correspondant", "correspond"), ("coulaient", "coul"), ("courez", "cour"),
        ("couvrant", "couvr"), ("creeks", "creek"), ("croisades", "croisad"), ("créé", "cré"), ("cédant", "ced"),
        ("d'alexandrie", "alexandr"), ("d'asie", "asi"), ("d'espèces", "espec"), ("d'opéra", "oper"),
        ("dadaïsme", "dada"), ("datait", "dat"), ("demeuré", "demeur"), ("desservant", "desserv"),
        ("deviendrais", "deviendr"), ("dictées", "dict"), ("dira", "dir"), ("discutait", "discut"),
        ("dissimulant", "dissimul"), ("dits", "dit"), ("dominait", "domin"), ("dormît", "dorm"), ("douée", "dou"),
        ("dura", "dur"), ("débonnaireté", "débonnairet"), ("décidant", "décid"), ("décousus", "décousus"),
        ("défendu", "défendu"), ("déjeuné", "déjeun"), ("démontré", "démontr"), ("déplace", "déplac"),
        ("dépêchons", "dépêchon"), ("désespérant", "désesper"), ("désunir", "désun"), ("détroit", "détroit"),
        ("dûment", "dûment"), ("effroyable", "effroi"), ("embrassa", "embrass"), ("emploieraient", "emploi"),
        ("emprisonné", "emprison"), ("encouragement", "encourag"), ("enfonceront", "enfonc"), ("enlèvent", "enlèvent"),
        ("enseignera", "enseign"), ("entourait", "entour"), ("entrevois", "entrevois"), ("enviée", "envi"),
        ("escrit", "escrit"), ("essieux", "essieux"), ("exacte", "exact"), ("exciterai", "excit"), ("exile", "exil"),
        ("exprimant", "exprim"), ("exécutées", "exécut"), ("faite", "fait"), ("fatal", "fatal"), ("feignant", "feign"),
        ("ferry", "ferry"), ("filet", "filet"), ("fière", "fier"), ("flétrirait", "fletr"), ("forcez", "forc"),
        ("forçaient", "forc"), ("fourré", "fourr"), ("fraîchit", "fraîch"), ("frémi", "frem"), ("fusiller", "fusill"),
        ("fît", "fît"), ("galvanisées", "galvanis"), ("gaze", "gaz"), ("giletti", "gilet"), ("golgonde", "golgond"),
        ("grandeur", "grandeur"), ("grimaces", "grimac"), ("guardate", "guardat"), ("gâterait", "gât"),
        ("habitait", "habit"), ("hardi", "hard"), ("haïtiens", "haïtien"), ("hobereaux", "hobereau"),
        ("hotte", "hott"), ("hurrahs", "hurrah"), ("hérissées", "hériss"), ("ignares", "ignar"), ("imité", "imit"),
        ("impitoyablement", "impitoi"), ("improbable", "improb"), ("inanimé", "inanim"),
        ("inconsciemment", "inconscient"), ("indiquent", "indiquent"), ("ineffaçable", "ineffac"),
        ("ingratitude", "ingratitud"), ("inouïs", "inouï"), ("inspecteurs", "inspecteur"),
        ("insupportables", "insupport"), ("interrogea", "interrog"), ("intéressant", "intéress"),
        ("invraisemblable", "invraisembl"), ("is", "is"), ("jalousé", "jalous"), ("jetterait", "jet"),
        ("jouir", "jou"), ("juif", "juif"), ("jésuites", "jésuit"), ("l'action", "action"), ("l'annonce", "annonc"),
        ("l'automne", "automn"), ("l'espagnol", "espagnol"), ("l'inde", "inde"), ("l'océan", "océan"),
        ("l'échec", "échec"), ("laconiquement", "lacon"), ("langue", "langu"), ("laïc", "laïc"), ("levé", "lev"),
        ("lion", "lion"), ("locale", "local"), ("lorgnettes", "lorgnet"), ("lugubre", "lugubr"),
        ("législateur", "législ"), ("magot", "magot"), ("malencontreux", "malencontr"), ("maniable", "maniabl"),
        ("maoïstes", "maoïst"), ("marié", "mari"), ("massacrer", "massacr"), ("maçons", "maçon"),
        ("menuisier", "menuisi"), ("metz", "metz"), ("millions", "million"), ("mode", "mod"), ("mondaines", "mondain"),
        ("montrerai", "montr"), ("mornes", "morn"), ("mourions", "mourion"), ("murat", "murat"), ("méchantes", "mech"),
        ("méprisait", "mépris"), ("mêlez", "mêl"), ("narrateur", "narrateur"), ("nets", "net"),
        ("nocturne", "nocturn"), ("notre", "notr"), ("nuls", "nul"), ("obligent", "obligent"), ("obéi", "obéi"),
        ("oeil", "oeil"), ("olivier", "olivi"), ("opérée", "oper"), ("original", "original"), ("oubliais", "oubli"),
        ("ouvrira", "ouvr"), ("pal", "pal"), ("paquets", "paquet"), ("parcourus", "parcourus"), ("parié", "pari"),
        ("partagé", "partag"), ("parvinrent", "parvinrent"), ("pastoral", "pastoral"), ("paysages", "paysag"),
        ("pendre", "pendr"), ("perdons", "perdon"), ("personnage", "personnag"), ("peuplé", "peupl"),
        ("pilier", "pili"), ("piécettes", "piécet"), ("plaisantait", "plaisant"), ("pleines", "plein"),
        ("podestat", "podestat"), ("pommeau", "pommeau"), ("portons", "porton"), ("pounah", "pounah"),
        ("pouvez", "pouv"), ("pressaient", "press"), ("prisons", "prison"), ("prodigue", "prodigu"),
        ("projeté", "projet"), ("propagèrent", "propag"), ("protège", "proteg"), ("préambule", "préambul"),
        ("préférables", "préfer"), ("présente", "présent"), ("préventions", "prévent"), ("publiées", "publi"),
        ("puériles", "puéril"), ("période", "périod"), ("qualités", "qualit"), ("quittera", "quitt"),
        ("rafraîchir", "rafraîch"), ("rames", "ram"), ("rapportant", "rapport"), ("rattachait", "rattach"),
        ("rechute", "rechut"), ("recouvrait", "recouvr"), ("refaites", "refait"), ("registres", "registr"),
        ("relire", "relir"), ("remettant", "remet"), ("remuer", "remu"), ("reno", "reno"), ("renvoyiez", "renvoi"),
        ("repoussais", "repouss"), ("republican", "republican"), ("ressources", "ressourc"),
        ("retentissaient", "retent"), ("retrouvant", "retrouv"), ("revue", "revu"), ("rios", "rios"), ("roi", "roi"),
        ("rougeâtre", "rougeâtr"), ("ruminait", "rumin"), ("récompensée", "récompens"), ("régiments", "reg"),
        ("réparerait", "répar"), ("répétée", "répet"), ("rétribution", "rétribu"), ("révérence", "révérent"),
        ("s'installe", "install"), ("sage", "sag"), ("saluait", "salu"), ("saturaient", "satur"), ("savante", "sav"),
        ("sculptées", "sculpt"), ("sema", "sem"), ("sentirez", "sent"), ("serviable", "serviabl"),
        ("sifflaient", "siffl"), ("simplement", "simpl"), ("smyth", "smyth"), ("solliciteur", "solliciteur"),
        ("sonnât", "son"), ("soudaine", "soudain"), ("souper", "soup"), ("soutiens", "soutien"), ("squares", "squar"),
        ("stupéfaction", "stupéfact"), ("succombé", "succomb"), ("suivi", "suiv"), ("supprimer", "supprim"),
        ("surveillants", "surveil"), ("syénites", "syénit"), ("sévère", "séver"), ("talleyrand", "talleyrand"),
        ("tasses", "tass"), ("tendu", "tendu"), ("testa", "test"), ("tiers", "tier"), ("toile", "toil"),
        ("tordit", "tord"), ("tourments", "tourment"), ("trahirait", "trah"), ("transes", "trans"),
        ("traversee", "traverse"), ("tribune", "tribun"), ("trotter", "trott"), ("trésor", "trésor"),
        ("tâcherai", "tâch"), ("uranus", "uranus"), ("vale", "val"), ("veilleuse", "veilleux"), ("verdict", "verdict"),
        ("vesper", "vesp"), ("vieillards", "vieillard"), ("vinrent", "vinrent"), ("vitres", "vitr"), ("volant", "vol"),
        ("voudrait", "voudr"), ("vu", "vu"), ("wagram", "wagram"), ("y", "y"), ("ébranla", "ébranl"),
        ("échouer", "échou"), ("écorné", "écorn"), ("écrivais", "écriv"), ("égayée", "égai"), ("éloigniez", "éloign"),
        ("énervé", "énerv"), ("épineuses", "épin"), ("équarrissaient", "équarr"), ("éteignit", "éteign"),
        ("étouffer", "étouff"), ("évaporatoire", "évaporatoir"), ("boulangers", "boulanger"), ("mécanique", "mécan"),
        ("chevaux", "cheval"), ("genoux", "genou"), ("l'abbaye", "abbay"), ("jouaient", "jou"), ("palais", "palais"),
        ("française", "franc"), ("mauvais", "mauvais"), ("cuisinier", "cuisini"), ("cuisine", "cuisin"),
        ("continuellement", "continuel"), ("naïveté", "naïvet"), ("noël", "noël"),
    ]

    @Test("the Snowball reference sample: every word gives the reference stem")
    func referenceVocabulary() {
        #expect(Self.reference.count > 300)
        for (word, stem) in Self.reference {
            #expect(FrenchStemmer.stem(word) == stem, "\(word)")
        }
    }

    @Test("the catalogue's words meet their variants")
    func catalogueWords() {
        #expect(FrenchStemmer.stem("boulangerie") == "boulanger")
        #expect(FrenchStemmer.stem("boulanger") == "boulang")
        #expect(FrenchStemmer.stem("mécanique") == FrenchStemmer.stem("mécaniques"))
        #expect(FrenchStemmer.stem("chaudronnerie").hasPrefix("chaudron"))
        #expect(FrenchStemmer.stem("Électricité") == "électr")
    }

    @Test("odd input: empty, one letter, digits, apostrophes alone")
    func oddInput() {
        for word in ["", "a", "s", "'", "l'", "qu'", "2024", "h", "ï", "ë"] {
            _ = FrenchStemmer.stem(word)
        }
        #expect(FrenchStemmer.stem("") == "")
        #expect(FrenchStemmer.stem("l'") == "l'")
        #expect(FrenchStemmer.stem("2024") == "2024")
    }
}
