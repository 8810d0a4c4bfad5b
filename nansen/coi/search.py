"""Full-text search over the passages of the library, with each database's own engine.

* SQLite: the FTS5 table ``coi_passage_fts`` (Porter stemmer over unicode61), ranked by
  BM25, highlighted with ``snippet()``.
* PostgreSQL: the ``tsvector`` column ``coi_passage.search_vector`` (GIN index), built with
  each passage's configuration; the query is parsed with that same configuration, ranked
  by the BM25 weight of the terms matched plus ``ts_rank``, and highlighted with
  ``ts_headline``.

A query matches a passage containing any of its terms; passages holding more of them, and
rarer ones, rank first (coi.analysis explains how words and languages are read). The
filters (country, topic, dates, language) come in as a queryset of sources.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from nansen.coi.analysis import CONFIGS, START, STOP, Term, fts5_query, parse_query
from nansen.core.search import MAX_QUERY_TERMS, bounded_query

SNIPPET_WORDS = 40
# ts_headline options: fragments of about SNIPPET_WORDS words around the matches.
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=15, "
    "ShortWord=1, MaxFragments=2, FragmentDelimiter= … "
)


@dataclass
class Hit:
    passage_id: int
    rank: float  # higher is better, on each engine's own scale
    snippet: str  # with analysis.START/STOP around the matched words


def search(query: str, *, sources: QuerySet, limit: int = 50, offset: int = 0) -> list[Hit]:
    terms = parse_query(bounded_query(query))[:MAX_QUERY_TERMS]
    if not terms:
        return []
    source_sql, source_params = sources.order_by().values("pk").query.sql_with_params()
    if connection.vendor == "postgresql":
        return _postgresql(terms, source_sql, list(source_params), limit, offset)
    return _sqlite(terms, source_sql, list(source_params), limit, offset)


def _sqlite(terms: list[Term], source_sql: str, source_params: list, limit, offset) -> list[Hit]:
    sql = f"""
        SELECT p.id, bm25(coi_passage_fts) AS score,
               snippet(coi_passage_fts, 0, %s, %s, ' … ', %s)
        FROM coi_passage_fts
        JOIN coi_passage p ON p.id = coi_passage_fts.rowid
        WHERE coi_passage_fts MATCH %s AND p.source_id IN ({source_sql})
        ORDER BY score, p.id
        LIMIT %s OFFSET %s
    """  # noqa: S608 - source_sql is Django's own compiled queryset, values are parameters
    params = [START, STOP, SNIPPET_WORDS, fts5_query(terms), *source_params, limit, offset]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        # BM25 is negative in FTS5, more negative for a better match.
        return [Hit(pk, -score, snippet) for pk, score, snippet in cursor.fetchall()]


def _term_sql(term: Term) -> tuple[str, list]:
    """One term as a tsquery (its forms or'ed), parsed with each configuration (c.config)."""
    parts, params = [], []
    for form in term.forms:
        function = "phraseto_tsquery" if len(form) > 1 else "plainto_tsquery"
        parts.append(f"{function}(c.config::regconfig, %s)")
        params.append(" ".join(form))
    return "(" + " || ".join(parts) + ")", params


def _postgresql(
    terms: list[Term], source_sql: str, source_params: list, limit, offset
) -> list[Hit]:
    """PostgreSQL's ranking functions know nothing of how rare a word is in the library
    (no IDF), so a passage repeating a common word would outrank the one holding the rare
    word that answers the query. The score is therefore BM25's inverse document frequency
    of each query term the passage holds, plus ``ts_rank`` for how often it holds them; the
    passage is matched with the query parsed the way its own text was indexed. Snippets
    are made for the page of results only."""
    configs = sorted(CONFIGS)
    term_sql, term_params = [], []
    for term in terms:
        sql, params = _term_sql(term)
        term_sql.append(sql)
        term_params += params
    count = len(terms)
    columns = ", ".join(f"{sql} AS t{i}" for i, sql in enumerate(term_sql))
    any_term = " || ".join(f"t{i}" for i in range(count))
    matches = ", ".join(f"(p.search_vector @@ q.t{i})::int AS m{i}" for i in range(count))
    weights = ", ".join(
        f"ln(1 + (n.total - sum(m{i}) + 0.5) / (sum(m{i}) + 0.5))::float8 AS w{i}"
        for i in range(count)
    )
    score = " + ".join(f"m.m{i} * idf.w{i}" for i in range(count))
    sql = f"""
        WITH c(config) AS (VALUES {", ".join(["(%s)"] * len(configs))}),
        terms AS (SELECT c.config, {columns} FROM c),
        q AS MATERIALIZED (SELECT terms.*, {any_term} AS query FROM terms),
        matched AS (
            SELECT p.id, p.config, p.indexed, q.query, {matches},
                   ts_rank(p.search_vector, q.query) AS frequency
            FROM coi_passage p JOIN q ON q.config = p.config
            WHERE p.search_vector @@ q.query AND p.source_id IN ({source_sql})
        ),
        idf AS (
            SELECT {weights}
            FROM matched, (SELECT count(*) AS total FROM coi_passage) AS n
            GROUP BY n.total
        ),
        top AS (
            SELECT m.id, m.config, m.indexed, m.query, {score} + m.frequency AS score
            FROM matched m, idf
            ORDER BY score DESC, m.id
            LIMIT %s OFFSET %s
        )
        SELECT id, score, ts_headline(config::regconfig, indexed, query, %s)
        FROM top ORDER BY score DESC, id
    """  # noqa: S608 - the SQL is ours and Django's compiled queryset; values are parameters
    params = [*configs, *term_params, *source_params, limit, offset, HEADLINE_OPTIONS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Hit(pk, float(score), snippet) for pk, score, snippet in cursor.fetchall()]
