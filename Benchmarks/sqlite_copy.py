"""What the last transaction of an import that changes every formation costs on SQLite, statement by statement.

    python3 Benchmarks/sqlite_copy.py VARIANT DATABASE

DATABASE: a copy of a cmq SQLite database holding the catalogue (e.g. that of `Benchmarks/import.sh sqlite 200000
update` after its first import; the copy is changed). Every formation's description and searched text are lengthened
in a temporary table, as an import's `formations_a_jour`; then, under the write lock, the copy statement of
`FormationImporter.copyChangedFormations` (by rowid, the changed columns, `cle_recherche` pointed to a staged entry),
and the commit, are timed. VARIANT: `base` (as cmq runs it: the triggers that would run for nothing, the catalogue's
version and changes and the full-text one, dropped inside the transaction and created again before its commit,
`FormationImporter.withoutIdleTriggers`), `triggers` (those triggers left on, as cmq ran it before 2026-12-02),
`notrig` (every update trigger on formations dropped before), `nokey` (`cle_recherche` left as it is: the full-text
trigger then rewrites every entry), `notrig-nokey`, `notrig-nokey-desconly` (the description alone).
"""
import sqlite3
import sys
import time

variant, path = sys.argv[1], sys.argv[2]
db = sqlite3.connect(path, isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=NORMAL")
db.execute("PRAGMA cache_size=-131072")  # FormationImporter.sqliteWriteCacheKiB
columns = [row[1] for row in db.execute("PRAGMA table_info(formations)") if row[1] != "cle_recherche"]
listed = ", ".join(f'"{c}"' for c in columns)
db.execute(f"CREATE TEMP TABLE t AS SELECT {listed}, NULL AS rang, 0 AS rid FROM formations WHERE 0")
changed = listed.replace('"description"', "\"description\" || ' Rentrée 2027.'").replace('"texte_cle"', "\"texte_cle\" || ' rentree 2027'")
db.execute(f"INSERT INTO temp.t SELECT {changed}, row_number() OVER () - 1, rowid FROM formations")
db.execute("CREATE INDEX temp.ix_t_rang ON t (rang)")
if "notrig" in variant:
    for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'formations' AND name LIKE '%update%'").fetchall():
        db.execute(f'DROP TRIGGER "{name}"')
start = time.monotonic()
db.execute("BEGIN IMMEDIATE")
db.execute("UPDATE catalogue_version SET ecriture_groupee = 1 WHERE id = 1")
written = ["description"] if "desconly" in variant else ["description", "texte_cle", "modifie_le"]
assignments = ", ".join(f'"{c}" = t."{c}"' for c in written)
key = "" if "nokey" in variant else ", cle_recherche = -300000 + t.rang"
idle = []
if variant == "base":
    idle = db.execute("""SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'formations'
                         AND name IN ('formations_update_version', 'formations_update_changes', 'formations_fts_update')""").fetchall()
    for name, _ in idle:
        db.execute(f'DROP TRIGGER "{name}"')
db.execute(f"UPDATE formations SET {assignments}{key} FROM temp.t WHERE formations.rowid = t.rid AND formations.id = t.id")
for _, text in idle:
    db.execute(text)
copied = time.monotonic()
db.execute("UPDATE catalogue_version SET ecriture_groupee = 0 WHERE id = 1")
db.execute("COMMIT")
print(f"{variant}: {db.execute('SELECT count(*) FROM temp.t').fetchone()[0]} rows, copy {copied - start:.2f} s, commit {time.monotonic() - copied:.2f} s")
