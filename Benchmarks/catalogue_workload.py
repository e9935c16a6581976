#!/usr/bin/env python3
"""The varied workload of Benchmarks/catalogue-varied.sh, drawn from the catalogue's own vocabulary.

    catalogue_workload.py CMQ_SQLITE_FILE OUT_DIR

Reads the seeded cmq SQLite database and writes into OUT_DIR:
- datasette.db: the same formations for Datasette (one row per formation with its territory and its statuses as
  a JSON array, an FTS5 table with cmq's tokenizer, `content="formations"`), and indexes on the facet columns;
- one file of paths per case and server (`search-cmq.txt`, `search-datasette.txt`, ...), one path a line,
  which Benchmarks/urls.lua cycles through:
  search: 1,200 distinct queries (400 words, 400 word pairs, 200 prefixes, 200 typos), 20 results with facets;
  filters: every level x filiere x status combination (288), 20 results with facets;
  page: the HTML search page for the same queries;
  one: 2,000 different formations.
"""
import json
import os
import random
import sqlite3
import sys
import urllib.parse
import uuid
from collections import Counter

LEVELS = range(3, 9)
STATUSES = ["scolaire", "etudiant", "apprenti", "formation-continue"]
FILIERES = ["mobilite-aeronautique-transports", "tourisme-gastronomie", "creation-design-audiovisuel",
            "chimie-biotechnologies", "materiaux-innovants", "batiment-eco-construction", "transition-energetique",
            "systemes-innovants-mecatronique", "services-personne-bien-etre", "services-entreprises-logistique",
            "alimentaire-agroalimentaire", "numerique-telecommunications"]
# The facets Datasette is asked for: the seven of cmq that are columns (cmq's eighth, campus, is a join).
DATASETTE_FACETS = "&".join(["_facet=niveau_sortie", "_facet=type_diplome", "_facet_array=statuts", "_facet=filiere",
                             "_facet=region_code", "_facet=academie_code", "_facet=departement_code"])


def as_uuid(value):
    if isinstance(value, bytes):
        return str(uuid.UUID(bytes=value))
    return str(uuid.UUID(value))


def build_datasette(cmq, target):
    if os.path.exists(target):
        os.remove(target)
    db = sqlite3.connect(target)
    db.execute("""CREATE TABLE formations (id TEXT PRIMARY KEY, intitule TEXT, intitule_cle TEXT, texte_cle TEXT,
                  niveau_sortie INTEGER, type_diplome TEXT, filiere TEXT, statuts TEXT, organisation TEXT,
                  region_code TEXT, academie_code TEXT, departement_code TEXT)""")
    statuses = {}
    for formation, status in cmq.execute("SELECT formation_id, statut FROM formation_statuts"):
        statuses.setdefault(formation, []).append(status)
    rows = []
    for row in cmq.execute("""SELECT f.id, f.intitule, f.intitule_cle, f.texte_cle, f.niveau_sortie, f.type_diplome, f.filiere,
                                     o.nom, o.region_code, o.academie_code, o.departement_code
                              FROM formations f JOIN organisations o ON o.id = f.organisation_id"""):
        rows.append((as_uuid(row[0]), row[1], row[2], row[3], row[4], row[5], row[6],
                     json.dumps(sorted(statuses.get(row[0], []))), row[7], row[8], row[9], row[10]))
    db.executemany("INSERT INTO formations VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    for column in ["niveau_sortie", "type_diplome", "filiere", "region_code", "academie_code", "departement_code"]:
        db.execute(f"CREATE INDEX ix_{column} ON formations ({column})")
    db.execute("""CREATE VIRTUAL TABLE formations_fts USING fts5(intitule_cle, texte_cle, content="formations",
                  tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')""")
    db.execute("INSERT INTO formations_fts(formations_fts) VALUES ('rebuild')")
    db.commit()
    db.close()
    return len(rows)


def typo(word, rng):
    i = rng.randrange(len(word) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == 1:
        return word[:i] + word[i + 1:]
    return word[:i] + rng.choice("aeiourstnl") + word[i + 1:]


def main():
    cmq_file, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    cmq = sqlite3.connect(cmq_file)
    count = build_datasette(cmq, os.path.join(out, "datasette.db"))
    rng = random.Random(14)
    titles = [row[0] for row in cmq.execute("SELECT intitule_cle FROM formations")]
    ids = [as_uuid(row[0]) for row in cmq.execute("SELECT id FROM formations")]
    vocabulary = Counter(word for title in titles for word in title.split() if len(word) >= 4 and not word.isdigit())
    words = sorted(vocabulary)
    queries = []
    seen = set()

    def add(query, wanted):
        if query and query not in seen and len([q for q in queries if q[1] == wanted]) < {"word": 400, "pair": 400, "prefix": 200, "typo": 200}[wanted]:
            seen.add(query)
            queries.append((query, wanted))

    def pair():
        parts = rng.choice(titles).split()
        if len(parts) < 2:
            return None
        start = rng.randrange(len(parts) - 1)
        return " ".join(parts[start:start + 2])

    def prefix():
        word = rng.choice(words)
        return word[:rng.randint(3, max(3, min(6, len(word) - 1)))]

    for kind, make in [("word", lambda: rng.choice(words)), ("pair", pair), ("prefix", prefix),
                       ("typo", lambda: typo(rng.choice(words), rng))]:
        for _ in range(20000):
            try:
                add(make(), kind)
            except (ValueError, IndexError):
                pass
    rng.shuffle(queries)
    filters = [(level, filiere, status) for level in LEVELS for filiere in FILIERES for status in STATUSES]
    rng.shuffle(filters)

    def raw_match(query):
        # cmq's semantics: every word, each the beginning of a word.
        return " ".join(f'"{word}"*' for word in query.split())

    def write(name, paths):
        with open(os.path.join(out, name), "w") as file:
            file.write("\n".join(paths) + "\n")

    quote = urllib.parse.quote
    write("search-cmq.txt", [f"/api/v1/formations?q={quote(q)}" for q, _ in queries])
    write("search-datasette.txt", [f"/datasette/formations.json?_search={quote(raw_match(q))}&_searchmode=raw&_size=20&{DATASETTE_FACETS}" for q, _ in queries])
    write("filters-cmq.txt", [f"/api/v1/formations?niveau={l}&filiere={f}&statut={s}" for l, f, s in filters])
    write("filters-datasette.txt", [f"/datasette/formations.json?niveau_sortie={l}&filiere={f}&statuts__arraycontains={s}&_size=20&{DATASETTE_FACETS}" for l, f, s in filters])
    write("page-cmq.txt", [f"/formations?q={quote(q)}" for q, _ in queries])
    write("page-datasette.txt", [f"/datasette/formations?_search={quote(raw_match(q))}&_searchmode=raw&_size=20&{DATASETTE_FACETS}" for q, _ in queries])
    sample = rng.sample(ids, min(2000, len(ids)))
    write("one-cmq.txt", [f"/api/v1/formations/{i}" for i in sample])
    write("one-datasette.txt", [f"/datasette/formations/{i}.json" for i in sample])
    kinds = Counter(kind for _, kind in queries)
    print(f"{count} formations; {len(queries)} distinct searches ({', '.join(f'{kinds[k]} {k}' for k in ('word', 'pair', 'prefix', 'typo'))}); {len(filters)} filter combinations", file=sys.stderr)


if __name__ == "__main__":
    main()
