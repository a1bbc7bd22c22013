"""Full-text search over registered documents (issue 3, point 10).

The services keep ``Document.search_text`` as the folded text (core.text.fold) of the record,
its notes and the text of its PDFs. The engines never see Turkish letters: the index and the
query are folded by the same Python function, so "istanbul" finds "İSTANBUL", "ışık" finds
"IŞIK" and "sikayet" finds "şikayet" on both databases (perf-limits.md §4: neither FTS5 nor
PostgreSQL folds I/ı correctly by itself).

- SQLite: an FTS5 external-content table over ``registry_document.search_text``, kept current
  by AFTER INSERT/UPDATE/DELETE triggers; ``prefix='3 4 5 6'`` makes prefixes of 3 to 6
  letters nearly free when sorted newest first (FTS5 only uses a prefix index of exactly the
  prefix's length; without one it merges the doclists of every matching word, ~30 ms at a
  million documents).
- PostgreSQL: a GIN expression index on ``to_tsvector('simple', search_text)`` ('simple':
  no stemming; the 'turkish' stemmer is inconsistent, perf-limits.md §4).

The permission scope stays in SQL: the search is added to a queryset that is already
``Document.objects.visible_to(user)``, so the engine streams matches newest first and the
database checks visibility row by row, stopping at the limit; no id list reaches Python.

Newest first means highest id first: ids are handed out in registration order, and that is
the order FTS5 can stream without sorting every match.
"""

# SQL here is built only from this module's constants; query text always goes as a parameter.
# ruff: noqa: S608, S610, S611

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connections
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from bilgiislem.core.text import fold

__all__ = [
    "FTS_TABLE",
    "MIN_PREFIX",
    "RANK_WINDOW",
    "Term",
    "drop_index",
    "install_index",
    "parse_query",
    "rebuild_index",
    "search",
    "search_ids",
    "suspend_index",
]

DOC_TABLE = "registry_document"
FTS_TABLE = "registry_document_fts"
PG_INDEX = "registry_document_search_gin"
PG_VECTOR = "to_tsvector('simple', registry_document.search_text)"
# A prefix shorter than this matches too much to be useful (and is slow on both engines).
MIN_PREFIX = 3
# Relevance order ranks only the newest RANK_WINDOW visible matches: ranking every match of
# a common word costs ~1 µs (FTS5) to ~5 µs (PostgreSQL) per match (perf-limits.md §4).
RANK_WINDOW = 10_000

_TOKEN = re.compile(r"[^\W_]+")
_PG_UNSAFE = str.maketrans("", "", "'\\:&|!()<>*")

# --- the index -----------------------------------------------------------------------------

_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ai AFTER INSERT ON {DOC_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END;",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_ad AFTER DELETE ON {DOC_TABLE} BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END;",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_au AFTER UPDATE OF search_text ON {DOC_TABLE} "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END;",
]
_SQLITE_DROP_TRIGGERS = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{suffix};" for suffix in ("ai", "ad", "au")
]
# Prefix lengths FTS5 keeps an index for (migration 0004 rebuilt the table with them).
FTS_PREFIXES = "3 4 5 6"
_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, "
    f"content='{DOC_TABLE}', content_rowid='id', "
    f"tokenize='unicode61 remove_diacritics 2', prefix='{FTS_PREFIXES}');"
)
_PG_CREATE = (
    f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON {DOC_TABLE} "
    "USING gin (to_tsvector('simple', search_text));"
)


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install_index(connection) -> None:
    """Create the index (and, on SQLite, its triggers) and fill it from the existing rows."""
    if connection.vendor == "sqlite":
        _run(connection, [_SQLITE_CREATE, *_SQLITE_TRIGGERS])
        rebuild_index(connection)
    elif connection.vendor == "postgresql":
        _run(connection, [_PG_CREATE])


def drop_index(connection) -> None:
    if connection.vendor == "sqlite":
        _run(connection, [*_SQLITE_DROP_TRIGGERS, f"DROP TABLE IF EXISTS {FTS_TABLE};"])
    elif connection.vendor == "postgresql":
        _run(connection, [f"DROP INDEX IF EXISTS {PG_INDEX};"])


def suspend_index(connection) -> None:
    """Stop maintaining the index, before a bulk load; ``rebuild_index`` brings it back.

    Building once after the load is several times faster than a trigger (or a GIN update)
    per row (perf-limits.md §4).
    """
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE_DROP_TRIGGERS)
    elif connection.vendor == "postgresql":
        _run(connection, [f"DROP INDEX IF EXISTS {PG_INDEX};"])


def rebuild_index(connection, *, optimize: bool = False) -> None:
    """Rebuild the index from ``search_text`` of every row (and restore the triggers)."""
    if connection.vendor == "sqlite":
        _run(
            connection,
            [*_SQLITE_TRIGGERS, f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild');"],
        )
        if optimize:
            _run(connection, [f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize');"])
    elif connection.vendor == "postgresql":
        _run(connection, [_PG_CREATE])


# --- the query -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One word of a query, folded; ``prefix`` when it matches every word it begins."""

    word: str
    prefix: bool = False

    def fts5(self) -> str:
        # A quoted string goes through the table's own tokenizer, so "2026/15" or
        # "010.01" become the same phrase they became when indexed.
        return '"' + self.word.replace('"', '""') + '"' + ("*" if self.prefix else "")

    def pg(self) -> tuple[str, str]:
        if self.prefix:
            return "to_tsquery('simple', %s)", "'" + self.word.translate(_PG_UNSAFE) + "':*"
        return "plainto_tsquery('simple', %s)", self.word


def parse_query(query: str, *, as_you_type: bool = False) -> list[Term]:
    """Words of a query, folded like the index. Several words must all match (AND).

    A word ending in ``*`` is a prefix, and so is the last word while typing
    (``as_you_type``), when its last token has at least MIN_PREFIX letters; a shorter
    prefix is searched as a whole word.
    """
    words = fold(query or "").split()
    terms = []
    for index, raw in enumerate(words):
        star = raw.endswith("*")
        word = raw.strip("*")
        tokens = _TOKEN.findall(word)
        if not tokens:
            continue
        wants_prefix = star or (as_you_type and index == len(words) - 1)
        terms.append(Term(word, prefix=wants_prefix and len(tokens[-1]) >= MIN_PREFIX))
    return terms


def _vendor(queryset: QuerySet) -> str:
    return connections[queryset.db].vendor


def _window_bound(unranked: QuerySet) -> tuple[str, list]:
    """SQL for the id of the RANK_WINDOW-th newest visible match (0 when there are fewer)."""
    sql, params = unranked.values_list("id", flat=True)[
        RANK_WINDOW - 1 : RANK_WINDOW
    ].query.sql_with_params()
    return f"COALESCE(({sql}), 0)", list(params)


def _sqlite(queryset: QuerySet, terms: list[Term], ranked: bool) -> QuerySet:
    expression = " AND ".join(t.fts5() for t in terms)
    where = [f"{FTS_TABLE}.rowid = {DOC_TABLE}.id", f"{FTS_TABLE} MATCH %s"]
    unranked = queryset.extra(
        tables=[FTS_TABLE], where=where, params=[expression], order_by=[f"-{FTS_TABLE}.rowid"]
    )
    if not ranked:
        return unranked
    bound, bound_params = _window_bound(unranked)
    return (
        queryset.extra(
            tables=[FTS_TABLE],
            where=[*where, f"{FTS_TABLE}.rowid >= {bound}"],
            params=[expression, *bound_params],
        )
        .annotate(search_rank=RawSQL(f"bm25({FTS_TABLE})", []))
        .order_by("search_rank", "-id")
    )


def _postgres(queryset: QuerySet, terms: list[Term], ranked: bool) -> QuerySet:
    parts = [t.pg() for t in terms]
    tsquery = "(" + " && ".join(sql for sql, _ in parts) + ")"
    values = [value for _, value in parts]
    unranked = queryset.extra(where=[f"{PG_VECTOR} @@ {tsquery}"], params=values).order_by("-id")
    if not ranked:
        return unranked
    bound, bound_params = _window_bound(unranked)
    return (
        queryset.extra(
            where=[f"{PG_VECTOR} @@ {tsquery}", f"{DOC_TABLE}.id >= {bound}"],
            params=[*values, *bound_params],
        )
        .annotate(search_rank=RawSQL(f"ts_rank({PG_VECTOR}, {tsquery})", values))
        .order_by("-search_rank", "-id")
    )


def search(
    queryset: QuerySet, query: str, *, ranked: bool = False, as_you_type: bool = False
) -> QuerySet:
    """The documents of ``queryset`` that match ``query``, newest first (or by relevance).

    ``queryset`` is the permission scope, normally ``Document.objects.visible_to(user)``
    plus any filters; the result is still a lazy queryset (count it, slice it, page it).
    A query with no searchable word matches nothing.
    """
    terms = parse_query(query, as_you_type=as_you_type)
    if not terms:
        return queryset.none()
    vendor = _vendor(queryset)
    if vendor == "sqlite":
        return _sqlite(queryset, terms, ranked)
    if vendor == "postgresql":
        return _postgres(queryset, terms, ranked)
    # Any other database: a slow but correct substring match on the folded text.
    for term in terms:
        queryset = queryset.filter(search_text__contains=term.word)
    return queryset.order_by("-id")


def search_ids(
    queryset_or_sql_scope: QuerySet,
    query: str,
    *,
    ranked: bool = False,
    limit: int = 20,
    as_you_type: bool = False,
) -> list[int]:
    """Ids of the first ``limit`` matching documents of the scope (see ``search``)."""
    found = search(queryset_or_sql_scope, query, ranked=ranked, as_you_type=as_you_type)
    return list(found.values_list("id", flat=True)[:limit])
