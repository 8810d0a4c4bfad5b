"""The full-text index of passages, each database with its own engine.

SQLite: an FTS5 table over coi_passage.indexed (external content, kept by triggers), with
the Porter stemmer over the unicode61 tokenizer.
PostgreSQL: a tsvector column built by a trigger with the passage's configuration
(coi_passage.config), and a GIN index on it.
"""

from django.db import migrations

SQLITE = [
    """CREATE VIRTUAL TABLE coi_passage_fts USING fts5(
        indexed, content='coi_passage', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER coi_passage_fts_insert AFTER INSERT ON coi_passage BEGIN
        INSERT INTO coi_passage_fts(rowid, indexed) VALUES (new.id, new.indexed);
    END""",
    """CREATE TRIGGER coi_passage_fts_delete AFTER DELETE ON coi_passage BEGIN
        INSERT INTO coi_passage_fts(coi_passage_fts, rowid, indexed)
        VALUES ('delete', old.id, old.indexed);
    END""",
    """CREATE TRIGGER coi_passage_fts_update AFTER UPDATE OF indexed ON coi_passage BEGIN
        INSERT INTO coi_passage_fts(coi_passage_fts, rowid, indexed)
        VALUES ('delete', old.id, old.indexed);
        INSERT INTO coi_passage_fts(rowid, indexed) VALUES (new.id, new.indexed);
    END""",
    "INSERT INTO coi_passage_fts(coi_passage_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS coi_passage_fts_update",
    "DROP TRIGGER IF EXISTS coi_passage_fts_delete",
    "DROP TRIGGER IF EXISTS coi_passage_fts_insert",
    "DROP TABLE IF EXISTS coi_passage_fts",
]

POSTGRESQL = [
    "ALTER TABLE coi_passage ADD COLUMN search_vector tsvector",
    """CREATE FUNCTION coi_passage_vector() RETURNS trigger AS $$
    BEGIN
        NEW.search_vector := to_tsvector(NEW.config::regconfig, NEW.indexed);
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER coi_passage_vector BEFORE INSERT OR UPDATE OF indexed, config
        ON coi_passage FOR EACH ROW EXECUTE FUNCTION coi_passage_vector()""",
    "UPDATE coi_passage SET search_vector = to_tsvector(config::regconfig, indexed)",
    "CREATE INDEX coi_passage_search ON coi_passage USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS coi_passage_search",
    "DROP TRIGGER IF EXISTS coi_passage_vector ON coi_passage",
    "DROP FUNCTION IF EXISTS coi_passage_vector()",
    "ALTER TABLE coi_passage DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("coi", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
