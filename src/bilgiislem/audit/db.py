"""Database-level protection of the audit table: UPDATE and DELETE are refused.

The chain head may only move forward one event at a time and cannot be deleted, so
removing the last events and rewinding the head takes dropping the triggers first.

Installed by a migration; the tampering test drops them on purpose (as an attacker with
database access would) to show that the hash chain still catches the change.
"""

TABLE = "audit_auditevent"
HEAD = "audit_auditchainhead"

_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON {TABLE} "
    "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_head_forward_only BEFORE UPDATE ON {HEAD} "
    "WHEN NEW.seq <> OLD.seq + 1 "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END;",
    f"CREATE TRIGGER IF NOT EXISTS audit_head_no_delete BEFORE DELETE ON {HEAD} "
    "BEGIN SELECT RAISE(ABORT, 'the audit chain head only moves forward'); END;",
]
_POSTGRES = [
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql;",
    f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE};",
    f"CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();",
    "CREATE OR REPLACE FUNCTION audit_head_forward_only() RETURNS trigger AS $$ "
    "BEGIN IF TG_OP = 'DELETE' OR NEW.seq <> OLD.seq + 1 THEN "
    "RAISE EXCEPTION 'the audit chain head only moves forward'; END IF; "
    "RETURN NEW; END; $$ LANGUAGE plpgsql;",
    f"DROP TRIGGER IF EXISTS audit_head_forward_only ON {HEAD};",
    f"CREATE TRIGGER audit_head_forward_only BEFORE UPDATE OR DELETE ON {HEAD} "
    "FOR EACH ROW EXECUTE FUNCTION audit_head_forward_only();",
]
_DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update;",
        "DROP TRIGGER IF EXISTS audit_event_no_delete;",
        "DROP TRIGGER IF EXISTS audit_head_forward_only;",
        "DROP TRIGGER IF EXISTS audit_head_no_delete;",
    ],
    "postgresql": [
        f"DROP TRIGGER IF EXISTS audit_event_no_change ON {TABLE};",
        f"DROP TRIGGER IF EXISTS audit_head_forward_only ON {HEAD};",
    ],
}


def install_triggers(connection) -> None:
    statements = {"sqlite": _SQLITE, "postgresql": _POSTGRES}.get(connection.vendor, [])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def drop_triggers(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _DROP.get(connection.vendor, []):
            cursor.execute(sql)
