"""The database refuses changes to the audit trail (GB/T 22239-2019 8.1.4.3 d: audit records protected).

The model already refuses `save()` of an existing entry and `delete()`, but that only binds code
that goes through the model. These triggers bind everyone who writes through the database
connection — a raw `UPDATE`, a bulk `.update()`, a console session. Only one change is let
through: clearing `org_id` when an org is deleted (`on_delete=SET_NULL`); `org_path`, which the
hash covers, stays. Removing the triggers needs DDL rights, which the application role does not
get in production (docs/security.md).
"""

from contextlib import contextmanager

TABLE = "accounts_auditentry"
# Every column but the surrogate key and the org link: the columns the hash chain is about.
GUARDED_COLUMNS = ("sequence", "occurred_at", "actor_id", "actor_label", "action", "object_type", "object_id",
                   "object_label", "org_path", "before", "after", "previous_hash", "hash")
MESSAGE = "审计日志只能追加，不能修改或删除 (audit entries are append-only)"

SQLITE_INSTALL = [
    f"CREATE TRIGGER IF NOT EXISTS yuntu_audit_no_update BEFORE UPDATE OF {', '.join(GUARDED_COLUMNS)} ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS yuntu_audit_no_relink BEFORE UPDATE OF org_id ON {TABLE} "
    f"WHEN NEW.org_id IS NOT NULL BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
    f"CREATE TRIGGER IF NOT EXISTS yuntu_audit_no_delete BEFORE DELETE ON {TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS yuntu_audit_no_update",
    "DROP TRIGGER IF EXISTS yuntu_audit_no_relink",
    "DROP TRIGGER IF EXISTS yuntu_audit_no_delete",
]

POSTGRESQL_INSTALL = [
    "CREATE OR REPLACE FUNCTION yuntu_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege'; END $$",
    f"CREATE OR REPLACE TRIGGER yuntu_audit_no_update BEFORE UPDATE OF {', '.join(GUARDED_COLUMNS)} ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION yuntu_audit_refuse_change()",
    f"CREATE OR REPLACE TRIGGER yuntu_audit_no_relink BEFORE UPDATE OF org_id ON {TABLE} "
    "FOR EACH ROW WHEN (NEW.org_id IS NOT NULL) EXECUTE FUNCTION yuntu_audit_refuse_change()",
    f"CREATE OR REPLACE TRIGGER yuntu_audit_no_delete BEFORE DELETE ON {TABLE} "
    "FOR EACH ROW EXECUTE FUNCTION yuntu_audit_refuse_change()",
    f"CREATE OR REPLACE TRIGGER yuntu_audit_no_truncate BEFORE TRUNCATE ON {TABLE} "
    "FOR EACH STATEMENT EXECUTE FUNCTION yuntu_audit_refuse_change()",
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS yuntu_audit_no_update ON {TABLE}",
    f"DROP TRIGGER IF EXISTS yuntu_audit_no_relink ON {TABLE}",
    f"DROP TRIGGER IF EXISTS yuntu_audit_no_delete ON {TABLE}",
    f"DROP TRIGGER IF EXISTS yuntu_audit_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS yuntu_audit_refuse_change()",
]

STATEMENTS = {
    "sqlite": (SQLITE_INSTALL, SQLITE_REMOVE),
    "postgresql": (POSTGRESQL_INSTALL, POSTGRESQL_REMOVE),
}


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection) -> None:
    if connection.vendor in STATEMENTS:
        _run(connection, STATEMENTS[connection.vendor][0])


def remove(connection) -> None:
    if connection.vendor in STATEMENTS:
        _run(connection, STATEMENTS[connection.vendor][1])


def installed(connection) -> bool:
    """Whether the triggers are in place (for `check --deploy`-style checks and tests)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'yuntu_audit_%%'")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'yuntu_audit_%%' AND NOT tgisinternal")
        else:
            return False
        return cursor.fetchone()[0] >= 3


@contextmanager
def lifted(connection):
    """Drop the triggers for the duration (what a database administrator could do); put them back after."""
    remove(connection)
    try:
        yield
    finally:
        install(connection)


def let_test_flush_through() -> None:
    """Tests that flush the database (live-server tests) wipe the audit table too: lift the guard for that.

    Django's test flush empties every table between transactional tests; the guard is dropped
    just for that statement list and reinstalled at once, so the next test runs guarded again.
    """
    from django.db.backends.base.operations import BaseDatabaseOperations

    if getattr(BaseDatabaseOperations.execute_sql_flush, "audit_guard_aware", False):
        return
    original = BaseDatabaseOperations.execute_sql_flush

    def execute_sql_flush(self, sql_list):
        if not any(TABLE in statement for statement in sql_list):
            return original(self, sql_list)
        with lifted(self.connection):
            return original(self, sql_list)

    execute_sql_flush.audit_guard_aware = True
    BaseDatabaseOperations.execute_sql_flush = execute_sql_flush
