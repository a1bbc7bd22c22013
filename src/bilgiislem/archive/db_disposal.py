"""Database triggers that guard disposal (issue 5 point 6; standards.md 4).

They hold for every path, a superuser's raw SQL included:

- An archived record's content may be disposed of (``disposal_state`` kept → disposing →
  disposed) only when no active legal hold covers the document, its folder or any folder it
  is filed in; its folder's disposition is commission evaluation or destroy (never transfer
  or keep permanently); and an item for its folder, not taken off, stands on a disposal list
  approved by the authorised superior (state ``approved`` or ``executed``).
- Disposal lists, their items and the members' approvals are never deleted. A list moves only
  draft → commission_approved → approved → executed (or to cancelled before execution); it is
  approved by every member of its commission before it leaves the draft and by the superior
  before ``approved``; an executed or cancelled list never changes again.
- Items are added only to a draft list; afterwards an item may only be taken off (never put
  back, never pointed at another folder). Approvals are added only to a draft list, only by a
  member of the list's commission, and never change.
- A commission member who could count towards an approval is never deleted once the
  commission has lists (deleting one would make "every member approved" true).

Installed by migration 0003. Messages start with "disposal:" so a test (or a log reader)
sees which guard refused.
"""

# SQL here is built only from this module's constants.
# ruff: noqa: S608

RECORD = "archive_archivedrecord"
LIST = "archive_disposallist"
ITEM = "archive_disposalitem"
APPROVAL = "archive_disposalapproval"
MEMBER = "archive_commissionmember"

_DISPOSABLE = "('evaluate', 'destroy')"
_LIST_DONE = "('approved', 'executed')"
_LIST_CLOSED = "('executed', 'cancelled')"
_LIST_FROZEN_ITEMS = "('commission_approved', 'approved')"
_NEEDS_MEMBERS = "('commission_approved', 'approved', 'executed')"
_NEEDS_SUPERIOR = "('approved', 'executed')"
# Allowed list state changes (old, new); anything else is refused.
_TRANSITIONS = (
    ("draft", "commission_approved"),
    ("commission_approved", "approved"),
    ("approved", "executed"),
    ("draft", "cancelled"),
    ("commission_approved", "cancelled"),
    ("approved", "cancelled"),
)

# Conditions shared by both engines, over NEW/OLD row references (same syntax in SQLite
# trigger bodies and PL/pgSQL).
_HELD = (
    "EXISTS (SELECT 1 FROM archive_legalhold h WHERE h.lifted_at IS NULL AND ("
    "h.document_id = NEW.document_id OR h.folder_id = NEW.folder_id OR h.folder_id IN "
    "(SELECT f.folder_id FROM archive_filing f WHERE f.document_id = NEW.document_id)))"
)
_NOT_DISPOSABLE = (
    "COALESCE((SELECT d.disposition FROM archive_folder d WHERE d.id = NEW.folder_id), '') "
    f"NOT IN {_DISPOSABLE}"
)
_NOT_APPROVED = (
    f"NOT EXISTS (SELECT 1 FROM {ITEM} i JOIN {LIST} l ON l.id = i.disposal_list_id "
    f"WHERE i.folder_id = NEW.folder_id AND NOT i.removed AND l.state IN {_LIST_DONE})"
)
_MEMBER_MISSING = (
    f"EXISTS (SELECT 1 FROM {MEMBER} m WHERE m.commission_id = NEW.commission_id AND NOT EXISTS "
    f"(SELECT 1 FROM {APPROVAL} a WHERE a.disposal_list_id = NEW.id AND a.member_id = m.id))"
)
_BAD_TRANSITION = (
    "NEW.state <> OLD.state AND NOT ("
    + " OR ".join(f"(OLD.state = '{a}' AND NEW.state = '{b}')" for a, b in _TRANSITIONS)
    + ")"
)
_LIST_STATE_OF_ITEM = f"(SELECT l.state FROM {LIST} l WHERE l.id = NEW.disposal_list_id)"
_ITEM_CHANGE_BAD = (
    f"{_LIST_STATE_OF_ITEM} IN {_LIST_CLOSED} "
    "OR NEW.folder_id <> OLD.folder_id OR NEW.disposal_list_id <> OLD.disposal_list_id "
    "OR (OLD.removed AND NOT NEW.removed) "
    f"OR ({_LIST_STATE_OF_ITEM} IN {_LIST_FROZEN_ITEMS} AND NOT NEW.removed)"
)
_APPROVAL_BAD = (
    f"{_LIST_STATE_OF_ITEM} <> 'draft' OR NOT EXISTS (SELECT 1 FROM {MEMBER} m "
    f"JOIN {LIST} l ON l.commission_id = m.commission_id "
    "WHERE m.id = NEW.member_id AND l.id = NEW.disposal_list_id)"
)

M_HELD = "disposal: the record is under a legal hold"
M_DISPOSITION = "disposal: the disposition of the folder does not allow destruction"
M_NOT_APPROVED = "disposal: no approved disposal list holds this folder"
M_DELETE = "disposal: disposal lists, items and approvals are never deleted"
M_CLOSED = "disposal: an executed or cancelled disposal list cannot change"
M_TRANSITION = "disposal: this change of state is not allowed"
M_MEMBERS = "disposal: every commission member must approve first"
M_SUPERIOR = "disposal: the authorised superior must approve first"
M_COMMISSION = "disposal: the commission of a list cannot change"
M_ITEM_ADD = "disposal: items are added only to a draft list"
M_ITEM_CHANGE = "disposal: an item of this list can only be taken off"
M_APPROVAL = "disposal: only a commission member approves, while the list is a draft"
M_APPROVAL_CHANGE = "disposal: an approval cannot change"
M_MEMBER = "disposal: a member of a commission with lists cannot be removed"


def _sqlite_raise(message: str, condition: str) -> str:
    return f"SELECT RAISE(ABORT, '{message}') WHERE {condition};"


_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_record BEFORE UPDATE ON {RECORD} "
    "WHEN NEW.disposal_state <> OLD.disposal_state "
    "AND NEW.disposal_state IN ('disposing', 'disposed') BEGIN "
    + _sqlite_raise(M_HELD, _HELD)
    + _sqlite_raise(M_DISPOSITION, _NOT_DISPOSABLE)
    + _sqlite_raise(M_NOT_APPROVED, _NOT_APPROVED)
    + " END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_list_no_delete BEFORE DELETE ON {LIST} "
    f"BEGIN SELECT RAISE(ABORT, '{M_DELETE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_item_no_delete BEFORE DELETE ON {ITEM} "
    f"BEGIN SELECT RAISE(ABORT, '{M_DELETE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_approval_no_delete BEFORE DELETE ON "
    f"{APPROVAL} BEGIN SELECT RAISE(ABORT, '{M_DELETE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_list_update BEFORE UPDATE ON {LIST} BEGIN "
    + _sqlite_raise(M_CLOSED, f"OLD.state IN {_LIST_CLOSED}")
    + _sqlite_raise(M_TRANSITION, _BAD_TRANSITION)
    + _sqlite_raise(M_COMMISSION, "NEW.commission_id <> OLD.commission_id")
    + _sqlite_raise(M_MEMBERS, f"NEW.state IN {_NEEDS_MEMBERS} AND {_MEMBER_MISSING}")
    + _sqlite_raise(M_SUPERIOR, f"NEW.state IN {_NEEDS_SUPERIOR} AND NEW.approved_by_id IS NULL")
    + " END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_list_insert BEFORE INSERT ON {LIST} "
    f"WHEN NEW.state <> 'draft' BEGIN SELECT RAISE(ABORT, '{M_TRANSITION}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_item_insert BEFORE INSERT ON {ITEM} BEGIN "
    + _sqlite_raise(M_ITEM_ADD, f"COALESCE({_LIST_STATE_OF_ITEM}, '') <> 'draft' OR NEW.removed")
    + " END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_item_update BEFORE UPDATE ON {ITEM} BEGIN "
    + _sqlite_raise(M_ITEM_CHANGE, _ITEM_CHANGE_BAD)
    + " END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_approval_insert BEFORE INSERT ON {APPROVAL} "
    "BEGIN " + _sqlite_raise(M_APPROVAL, _APPROVAL_BAD) + " END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_approval_update BEFORE UPDATE ON {APPROVAL} "
    f"BEGIN SELECT RAISE(ABORT, '{M_APPROVAL_CHANGE}'); END;",
    f"CREATE TRIGGER IF NOT EXISTS archive_disposal_member_delete BEFORE DELETE ON {MEMBER} "
    f"WHEN EXISTS (SELECT 1 FROM {LIST} l WHERE l.commission_id = OLD.commission_id) "
    f"BEGIN SELECT RAISE(ABORT, '{M_MEMBER}'); END;",
]
_SQLITE_NAMES = [
    "archive_disposal_record",
    "archive_disposal_list_no_delete",
    "archive_disposal_item_no_delete",
    "archive_disposal_approval_no_delete",
    "archive_disposal_list_update",
    "archive_disposal_list_insert",
    "archive_disposal_item_insert",
    "archive_disposal_item_update",
    "archive_disposal_approval_insert",
    "archive_disposal_approval_update",
    "archive_disposal_member_delete",
]


def _pg_function(name: str, body: str) -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN {body} "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;"
    )


def _pg_if(message: str, condition: str) -> str:
    return f"IF {condition} THEN RAISE EXCEPTION '{message}'; END IF; "


# (trigger name, table, timing/event, function name, function body)
_PG = [
    (
        "archive_disposal_record",
        RECORD,
        "BEFORE UPDATE",
        "archive_disposal_record_guard",
        "IF NEW.disposal_state <> OLD.disposal_state "
        "AND NEW.disposal_state IN ('disposing', 'disposed') THEN "
        + _pg_if(M_HELD, _HELD)
        + _pg_if(M_DISPOSITION, _NOT_DISPOSABLE)
        + _pg_if(M_NOT_APPROVED, _NOT_APPROVED)
        + "END IF;",
    ),
    # One function refuses deletion on the three tables.
    (
        "archive_disposal_list_no_delete",
        LIST,
        "BEFORE DELETE",
        "archive_disposal_no_delete",
        f"RAISE EXCEPTION '{M_DELETE}';",
    ),
    (
        "archive_disposal_item_no_delete",
        ITEM,
        "BEFORE DELETE",
        "archive_disposal_no_delete",
        f"RAISE EXCEPTION '{M_DELETE}';",
    ),
    (
        "archive_disposal_approval_no_delete",
        APPROVAL,
        "BEFORE DELETE",
        "archive_disposal_no_delete",
        f"RAISE EXCEPTION '{M_DELETE}';",
    ),
    (
        "archive_disposal_list_update",
        LIST,
        "BEFORE UPDATE",
        "archive_disposal_list_update_guard",
        _pg_if(M_CLOSED, f"OLD.state IN {_LIST_CLOSED}")
        + _pg_if(M_TRANSITION, _BAD_TRANSITION)
        + _pg_if(M_COMMISSION, "NEW.commission_id <> OLD.commission_id")
        + _pg_if(M_MEMBERS, f"NEW.state IN {_NEEDS_MEMBERS} AND {_MEMBER_MISSING}")
        + _pg_if(M_SUPERIOR, f"NEW.state IN {_NEEDS_SUPERIOR} AND NEW.approved_by_id IS NULL"),
    ),
    (
        "archive_disposal_list_insert",
        LIST,
        "BEFORE INSERT",
        "archive_disposal_list_insert_guard",
        _pg_if(M_TRANSITION, "NEW.state <> 'draft'"),
    ),
    (
        "archive_disposal_item_insert",
        ITEM,
        "BEFORE INSERT",
        "archive_disposal_item_insert_guard",
        _pg_if(M_ITEM_ADD, f"COALESCE({_LIST_STATE_OF_ITEM}, '') <> 'draft' OR NEW.removed"),
    ),
    (
        "archive_disposal_item_update",
        ITEM,
        "BEFORE UPDATE",
        "archive_disposal_item_update_guard",
        _pg_if(M_ITEM_CHANGE, _ITEM_CHANGE_BAD),
    ),
    (
        "archive_disposal_approval_insert",
        APPROVAL,
        "BEFORE INSERT",
        "archive_disposal_approval_insert_guard",
        _pg_if(M_APPROVAL, _APPROVAL_BAD),
    ),
    (
        "archive_disposal_approval_update",
        APPROVAL,
        "BEFORE UPDATE",
        "archive_disposal_approval_update_guard",
        f"RAISE EXCEPTION '{M_APPROVAL_CHANGE}';",
    ),
    (
        "archive_disposal_member_delete",
        MEMBER,
        "BEFORE DELETE",
        "archive_disposal_member_delete_guard",
        _pg_if(
            M_MEMBER,
            f"EXISTS (SELECT 1 FROM {LIST} l WHERE l.commission_id = OLD.commission_id)",
        ),
    ),
]


def _postgres_statements() -> list[str]:
    statements, functions = [], set()
    for trigger, table, event, function, body in _PG:
        if function not in functions:
            functions.add(function)
            statements.append(_pg_function(function, body))
        statements += [
            f"DROP TRIGGER IF EXISTS {trigger} ON {table};",
            f"CREATE TRIGGER {trigger} {event} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}();",
        ]
    return statements


def _postgres_drop() -> list[str]:
    statements = [f"DROP TRIGGER IF EXISTS {t} ON {table};" for t, table, *_rest in _PG]
    functions = dict.fromkeys(function for *_rest, function, _body in _PG)
    return statements + [f"DROP FUNCTION IF EXISTS {f}();" for f in functions]


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def install(connection) -> None:
    """Create the triggers on this connection's database (idempotent)."""
    if connection.vendor == "sqlite":
        _run(connection, _SQLITE)
    elif connection.vendor == "postgresql":
        _run(connection, _postgres_statements())


def uninstall(connection) -> None:
    """Drop the triggers."""
    if connection.vendor == "sqlite":
        _run(connection, [f"DROP TRIGGER IF EXISTS {name};" for name in _SQLITE_NAMES])
    elif connection.vendor == "postgresql":
        _run(connection, _postgres_drop())
