"""Database triggers that freeze archived records (issue 5 point 3), on SQLite and PostgreSQL.

Once a document has an ``archive_archivedrecord`` row, whatever path writes to the database
(services, the API, the admin, a raw SQL statement) cannot:

- change its **capture metadata** (CAPTURE_COLUMNS: registry, number, direction, medium,
  registration, party, Sayı, dates, subject, SDP code, secrecy, urgency, source, EYP id) —
  in any disposal state: a disposed record keeps its metadata;
- change its **status** or **done_at** (the work was finished when it was archived);
- change its **search_text** except while the record is ``disposing`` (disposal clears it);
- delete the document;
- insert, change or delete its **files** (``registry_documentfile``), except that
  ``extracted_text`` may be cleared while the record is ``disposing``;
- insert, change or delete its **annexes** and **references**.

``paper_location`` stays changeable: it says where the paper lies (an archive box), it is
not part of what was captured. Routings, custody and notes are other tables and are not
frozen here; the registry services refuse notes and files on archived records themselves.

The ``archive_archivedrecord`` row cannot be deleted; its document, folder, archiving time,
archiving person and manifest cannot change; ``disposal_state`` only moves forward
kept → disposing → disposed. Whether a record *may* start disposing (an approved list, no
hold, not keep-permanently) is db_disposal.py's check, not repeated here.

The tamper tests drop the triggers on purpose (``uninstall``) as an attacker with database
access would.
"""

# SQL here is built only from this module's constants (no input ever reaches it).
# ruff: noqa: S608

DOC = "registry_document"
FILE = "registry_documentfile"
ANNEX = "registry_annex"
REFERENCE = "registry_reference"
RECORD = "archive_archivedrecord"

CAPTURE_COLUMNS = (
    "registry_id",
    "registry_year",
    "registry_number",
    "direction",
    "medium",
    "registered_at",
    "registered_by_id",
    "party_kind",
    "party_name",
    "party_identifier",
    "party_unit_id",
    "sayi",
    "document_date",
    "subject",
    "sdp_code",
    "secrecy",
    "urgency",
    "urgency_date",
    "source_id",
    "eyp_belge_id",
    "status",
    "done_at",
)
FILE_COLUMNS = (
    "document_id",
    "role",
    "filename",
    "content_type",
    "size",
    "sha256",
    "uploaded_by_id",
    "uploaded_at",
)
RECORD_COLUMNS = ("document_id", "folder_id", "archived_at", "archived_by_id", "manifest_sha256")

MSG_DOCUMENT = "archived record: its capture metadata cannot change"
MSG_SEARCH = "archived record: its search text changes only while it is being disposed of"
MSG_DELETE = "archived record: it cannot be deleted"
MSG_FILES = "archived record: its files cannot change"
MSG_TEXT = "archived record: extracted text is cleared only while it is being disposed of"
MSG_PARTS = "archived record: its annexes and references cannot change"
MSG_RECORD = "archived record: the archive entry cannot change"
MSG_STATE = "archived record: disposal only moves kept → disposing → disposed"


def _archived(ref: str, *, state: str | None = None, not_state: str | None = None) -> str:
    cond = f"SELECT 1 FROM {RECORD} r WHERE r.document_id = {ref}"
    if state:
        cond += f" AND r.disposal_state = '{state}'"
    if not_state:
        cond += f" AND r.disposal_state <> '{not_state}'"
    return f"EXISTS ({cond})"


def _changed(columns, op: str) -> str:
    return " OR ".join(f"OLD.{c} {op} NEW.{c}" for c in columns)


# --- SQLite ----------------------------------------------------------------------------------

_LT = "IS NOT"  # null-safe "differs" in SQLite


def _sqlite_trigger(name, timing, table, when, message) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {name} {timing} ON {table} "
        f"WHEN {when} BEGIN SELECT RAISE(ABORT, '{message}'); END;"
    )


_SQLITE = [
    _sqlite_trigger(
        "archive_record_doc_capture",
        "BEFORE UPDATE",
        DOC,
        f"({_changed(CAPTURE_COLUMNS, _LT)}) AND {_archived('OLD.id')}",
        MSG_DOCUMENT,
    ),
    _sqlite_trigger(
        "archive_record_doc_search",
        "BEFORE UPDATE OF search_text",
        DOC,
        f"OLD.search_text IS NOT NEW.search_text AND {_archived('OLD.id', not_state='disposing')}",
        MSG_SEARCH,
    ),
    _sqlite_trigger(
        "archive_record_doc_delete", "BEFORE DELETE", DOC, _archived("OLD.id"), MSG_DELETE
    ),
    _sqlite_trigger(
        "archive_record_file_insert",
        "BEFORE INSERT",
        FILE,
        _archived("NEW.document_id"),
        MSG_FILES,
    ),
    _sqlite_trigger(
        "archive_record_file_update",
        "BEFORE UPDATE",
        FILE,
        f"({_changed(FILE_COLUMNS, _LT)}) "
        f"AND ({_archived('OLD.document_id')} OR {_archived('NEW.document_id')})",
        MSG_FILES,
    ),
    _sqlite_trigger(
        "archive_record_file_text",
        "BEFORE UPDATE OF extracted_text",
        FILE,
        "OLD.extracted_text IS NOT NEW.extracted_text "
        f"AND {_archived('OLD.document_id', not_state='disposing')}",
        MSG_TEXT,
    ),
    _sqlite_trigger(
        "archive_record_file_delete",
        "BEFORE DELETE",
        FILE,
        _archived("OLD.document_id"),
        MSG_FILES,
    ),
    *[
        _sqlite_trigger(
            f"archive_record_{short}_{op.lower()}",
            f"BEFORE {op}",
            table,
            {
                "INSERT": _archived("NEW.document_id"),
                "UPDATE": f"({_archived('OLD.document_id')} OR {_archived('NEW.document_id')})",
                "DELETE": _archived("OLD.document_id"),
            }[op],
            MSG_PARTS,
        )
        for short, table in (("annex", ANNEX), ("reference", REFERENCE))
        for op in ("INSERT", "UPDATE", "DELETE")
    ],
    f"CREATE TRIGGER IF NOT EXISTS archive_record_no_delete BEFORE DELETE ON {RECORD} "
    f"BEGIN SELECT RAISE(ABORT, '{MSG_DELETE}'); END;",
    _sqlite_trigger(
        "archive_record_entry_frozen",
        "BEFORE UPDATE",
        RECORD,
        _changed(RECORD_COLUMNS, _LT),
        MSG_RECORD,
    ),
    _sqlite_trigger(
        "archive_record_state_forward",
        "BEFORE UPDATE OF disposal_state",
        RECORD,
        "OLD.disposal_state IS NOT NEW.disposal_state AND NOT ("
        "(OLD.disposal_state = 'kept' AND NEW.disposal_state = 'disposing') OR "
        "(OLD.disposal_state = 'disposing' AND NEW.disposal_state = 'disposed'))",
        MSG_STATE,
    ),
]
_SQLITE_NAMES = [sql.split()[5] for sql in _SQLITE]


# --- PostgreSQL ------------------------------------------------------------------------------

_DF = "IS DISTINCT FROM"


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;"
    )


def _pg_raise(message: str) -> str:
    # SQLSTATE 23000 (integrity_constraint_violation): Django raises IntegrityError, as on
    # SQLite, so callers see one kind of error whichever database runs.
    return f"RAISE EXCEPTION '{message}' USING ERRCODE = '23000';"


_PG_FUNCTIONS = {
    "archive_record_document_guard": (
        DOC,
        "BEFORE UPDATE OR DELETE",
        "IF TG_OP = 'DELETE' THEN "
        f"IF {_archived('OLD.id')} THEN {_pg_raise(MSG_DELETE)} END IF; "
        "ELSE "
        f"IF ({_changed(CAPTURE_COLUMNS, _DF)}) AND {_archived('OLD.id')} THEN "
        f"{_pg_raise(MSG_DOCUMENT)} END IF; "
        f"IF OLD.search_text {_DF} NEW.search_text "
        f"AND {_archived('OLD.id', not_state='disposing')} THEN {_pg_raise(MSG_SEARCH)} END IF; "
        "END IF;",
    ),
    "archive_record_file_guard": (
        FILE,
        "BEFORE INSERT OR UPDATE OR DELETE",
        "IF TG_OP = 'INSERT' THEN "
        f"IF {_archived('NEW.document_id')} THEN {_pg_raise(MSG_FILES)} END IF; "
        "ELSIF TG_OP = 'DELETE' THEN "
        f"IF {_archived('OLD.document_id')} THEN {_pg_raise(MSG_FILES)} END IF; "
        "ELSE "
        f"IF ({_changed(FILE_COLUMNS, _DF)}) AND "
        f"({_archived('OLD.document_id')} OR {_archived('NEW.document_id')}) THEN "
        f"{_pg_raise(MSG_FILES)} END IF; "
        f"IF OLD.extracted_text {_DF} NEW.extracted_text "
        f"AND {_archived('OLD.document_id', not_state='disposing')} THEN "
        f"{_pg_raise(MSG_TEXT)} END IF; "
        "END IF;",
    ),
    "archive_record_parts_guard": (
        (ANNEX, REFERENCE),
        "BEFORE INSERT OR UPDATE OR DELETE",
        # One branch per operation: OLD and NEW are read only where they exist.
        "IF TG_OP = 'INSERT' THEN "
        f"IF {_archived('NEW.document_id')} THEN {_pg_raise(MSG_PARTS)} END IF; "
        "ELSIF TG_OP = 'DELETE' THEN "
        f"IF {_archived('OLD.document_id')} THEN {_pg_raise(MSG_PARTS)} END IF; "
        f"ELSIF {_archived('OLD.document_id')} OR {_archived('NEW.document_id')} THEN "
        f"{_pg_raise(MSG_PARTS)} END IF;",
    ),
    "archive_record_entry_guard": (
        RECORD,
        "BEFORE UPDATE OR DELETE",
        f"IF TG_OP = 'DELETE' THEN {_pg_raise(MSG_DELETE)} END IF; "
        f"IF {_changed(RECORD_COLUMNS, _DF)} THEN {_pg_raise(MSG_RECORD)} END IF; "
        f"IF OLD.disposal_state {_DF} NEW.disposal_state AND NOT ("
        "(OLD.disposal_state = 'kept' AND NEW.disposal_state = 'disposing') OR "
        "(OLD.disposal_state = 'disposing' AND NEW.disposal_state = 'disposed')) THEN "
        f"{_pg_raise(MSG_STATE)} END IF;",
    ),
}


def _pg_tables(tables) -> tuple[str, ...]:
    return tables if isinstance(tables, tuple) else (tables,)


def _pg_install() -> list[str]:
    statements = []
    for name, (tables, events, body) in _PG_FUNCTIONS.items():
        statements.append(_pg_function(name, body))
        for table in _pg_tables(tables):
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            statements.append(
                f"CREATE TRIGGER {name} {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();"
            )
    return statements


def _pg_uninstall() -> list[str]:
    statements = []
    for name, (tables, _events, _body) in _PG_FUNCTIONS.items():
        for table in _pg_tables(tables):
            statements.append(f"DROP TRIGGER IF EXISTS {name} ON {table};")
        statements.append(f"DROP FUNCTION IF EXISTS {name}();")
    return statements


def _statements(connection, *, drop: bool) -> list[str]:
    if connection.vendor == "sqlite":
        if drop:
            return [f"DROP TRIGGER IF EXISTS {name};" for name in _SQLITE_NAMES]
        return list(_SQLITE)
    if connection.vendor == "postgresql":
        return _pg_uninstall() if drop else _pg_install()
    return []


def install(connection) -> None:
    """Create the triggers on this connection's database (idempotent)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, drop=False):
            cursor.execute(sql)


def uninstall(connection) -> None:
    """Drop the triggers (reverse migration; the tamper tests drop them on purpose)."""
    with connection.cursor() as cursor:
        for sql in _statements(connection, drop=True):
            cursor.execute(sql)
