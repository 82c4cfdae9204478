"""Tallies: every additive figure kept per org and month, with its subtree total beside it (ADR 0043).

A board of a province's root reads a few hundred rows — the root's and its children's — instead of
a pass over 10⁶ records or 10⁵ roll-up rows. The tallies stay exact without every service keeping
them: a database trigger on each counted table notes which orgs' records changed (`TallyChange`,
one statement per write, so bulk writes and imports are seen too), and a read first brings those
orgs up to date (`refresh`) — their own values counted again from the records, the difference added
to the org and every ancestor. A table with too many pending orgs is not caught up by a read: the
read counts that table's figures from the records as before, and the background job
(`tallies_refresh`, every minute) rebuilds it. So a figure read from a tally is always the count of
its records at the moment of reading.

An indicator is tallied when its value for a subtree is the sum of its orgs' values: a count or sum
over one table (records or a roll-up table) with its org and path, no joins, and a definition that
depends on the records only (`Indicator.tallied=False` for one that depends on the date, such as
overdue tasks). Others are counted from the records.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, models, transaction
from django.db.models import Count, DateField, F, QuerySet, Sum, Value
from django.db.models.expressions import Col
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone

from yuntu.orgs.models import Org

from . import registry
from .figures import _additive, _columns
from .models import STOCK_MONTH, Tally, TallyChange
from .registry import Indicator

STEP = Org.steplen
READ_LIMIT = 300  # a read catches up at most this many changed orgs of a table; beyond, the job rebuilds it
JOB_LIMIT = 5000  # the job catches up incrementally below this, and rebuilds the table from its records above
LOCK_KEY = 430_431  # PostgreSQL advisory lock: one catch-up at a time (SQLite: its single writer)
CHUNK = 500
SAMPLE = 4 * READ_LIMIT


@dataclass(frozen=True)
class Counted:
    """How one tallied indicator's own value per org and month is counted, and on which table."""

    indicator: Indicator
    model: type[models.Model]
    org_field: str  # "org_id", or "id" for orgs themselves
    path_field: str
    places: int | None = None  # a sum of a decimal column keeps its decimal places; counts are ints

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def source(self) -> str:
        return self.model._meta.db_table

    def _rows_and_aggregate(self) -> tuple[QuerySet, models.Aggregate]:
        if self.indicator.rollup is not None:
            return self.indicator.rollup()
        return self.indicator.records(), self.indicator.aggregate()

    def _month(self):
        indicator = self.indicator
        if indicator.rollup is not None:
            field = indicator.rollup_month
            return F(field) if field else Value(STOCK_MONTH, output_field=DateField())
        if not indicator.date_field:
            return Value(STOCK_MONTH, output_field=DateField())
        name = indicator.date_field.removesuffix("__date")
        options = {}
        if isinstance(self.model._meta.get_field(name), models.DateTimeField):
            options = {"tzinfo": timezone.get_default_timezone()}
        # A record without a date counts in the open period only, as the records' own count does.
        return Coalesce(Cast(TruncMonth(name, output_field=DateField(), **options), DateField()),
                        Value(STOCK_MONTH, output_field=DateField()))

    def own_values(self, org_ids=None) -> QuerySet:
        """{tally_org, tally_month, value} per org and month, of all orgs or of the given ones."""
        rows, aggregate = self._rows_and_aggregate()
        if org_ids is not None:
            rows = rows.filter(**{f"{self.org_field}__in": org_ids})
        return (rows.annotate(tally_org=F(self.org_field), tally_month=self._month())
                .values("tally_org", "tally_month").annotate(value=aggregate).order_by())

    def signature(self) -> str:
        sql, params = self.own_values().query.sql_with_params()
        return hashlib.sha1(f"{sql} {params!r}".encode()).hexdigest()[:16]


def _single_table(queryset: QuerySet, aggregate) -> bool:
    query = queryset.query
    if query.distinct or query.low_mark or query.high_mark is not None or query.annotations:
        return False
    table = queryset.model._meta.db_table
    tables = {column.alias for column in _columns(query.where, Col)}
    condition = getattr(aggregate, "filter", None)
    if condition is not None:
        probe = queryset.model._default_manager.filter(condition)
        tables |= {column.alias for column in _columns(probe.query.where, Col)}
    sources = [expression for expression in aggregate.get_source_expressions() if isinstance(expression, F)]
    return tables <= {table} and all("__" not in source.name for source in sources)


def counted(indicator: Indicator) -> Counted | None:
    """How the indicator is tallied, or None when it is counted from its records at every read."""
    if indicator.is_ratio or not indicator.tallied:
        return None
    if indicator.rollup is not None:
        rows, aggregate = indicator.rollup()
    else:
        rows, aggregate = indicator.records(), indicator.aggregate()
        date_field = indicator.date_field or ""
        if "__" in date_field.removesuffix("__date"):
            return None
    model = rows.model
    names = {field.name for field in model._meta.get_fields()}
    if model is Org and indicator.path_field == "path":
        org_field, path_field = "id", "path"
    elif {"org", "org_path"} <= names and (indicator.rollup is not None or indicator.path_field == "org_path"):
        org_field, path_field = "org_id", "org_path"
    else:
        return None
    if not _additive(indicator) or not _single_table(rows, aggregate):
        return None
    columns = [expression.name for expression in aggregate.get_source_expressions() if isinstance(expression, F)]
    field = model._meta.get_field(columns[0]) if isinstance(aggregate, Sum) and columns else None
    places = field.decimal_places if isinstance(field, models.DecimalField) else None
    return Counted(indicator, model, org_field, path_field, places)


_SOURCES: dict = {}


def _installed_codes() -> set[str]:
    from .models import TallySource

    codes = set()
    for signature in TallySource.objects.values_list("signature", flat=True):
        codes |= set(json.loads(signature))
    return codes


def sources(*, installed: bool = True) -> dict[str, list[Counted]]:
    """{table: its tallied indicators}, from the registry; by default only those whose tallies were
    built (`install`, at migrate). Computed once per process and registry."""
    key = (tuple(indicator.code for indicator in registry.declared()), installed)
    if key not in _SOURCES:
        codes = _installed_codes() if installed else None
        found: dict[str, list[Counted]] = {}
        for indicator in registry.declared():
            entry = counted(indicator)
            if entry is not None and (codes is None or entry.code in codes):
                found.setdefault(entry.source, []).append(entry)
        _SOURCES.clear()
        _SOURCES[key] = found
    return _SOURCES[key]


def counted_for(code: str) -> Counted | None:
    return next((entry for entries in sources().values() for entry in entries if entry.code == code), None)


def counts_records(indicator: Indicator) -> bool:
    """A tallied count of its records — a plain count, or a roll-up's (which counts records by
    definition, ADR 0041): its value is their number."""
    entry = counted_for(indicator.code)
    if entry is None:
        return False
    if indicator.rollup is not None:
        return True
    aggregate = indicator.aggregate()
    return isinstance(aggregate, Count) and aggregate.filter is None and not aggregate.distinct


# --- triggers ---------------------------------------------------------------------------------

CHANGE_TABLE = TallyChange._meta.db_table

POSTGRESQL_FUNCTION = f"""
CREATE OR REPLACE FUNCTION yuntu_tally_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO {CHANGE_TABLE} (source, org_id, org_path) SELECT DISTINCT %L, %I, %I FROM tally_new',
                   TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1]);
  ELSE
    EXECUTE format('INSERT INTO {CHANGE_TABLE} (source, org_id, org_path) SELECT DISTINCT %L, %I, %I FROM tally_old',
                   TG_TABLE_NAME, TG_ARGV[0], TG_ARGV[1]);
  END IF;
  RETURN NULL;
END $$
"""


def _org_column(entry: Counted) -> tuple[str, str]:
    return ("id" if entry.org_field == "id" else "org_id"), entry.model._meta.get_field(entry.path_field).column


def watched_columns(entries: list[Counted]) -> list[str]:
    """The columns a table's tallied figures depend on: an update of other columns (a time seen, a
    note) changes no figure and fires no trigger."""
    columns = set(_org_column(entries[0]))
    for entry in entries:
        rows, aggregate = entry._rows_and_aggregate()
        wheres = [rows.query.where]
        if getattr(aggregate, "filter", None) is not None:
            wheres.append(entry.model._default_manager.filter(aggregate.filter).query.where)
        columns |= {column.target.column for where in wheres for column in _columns(where, Col)}
        names = [expression.name for expression in aggregate.get_source_expressions() if isinstance(expression, F)]
        names.append(entry.indicator.rollup_month if entry.indicator.rollup is not None
                     else (entry.indicator.date_field or "").removesuffix("__date"))
        columns |= {entry.model._meta.get_field(name).column for name in names if name and name != "pk"}
    return sorted(columns)


def _trigger_sql(vendor: str, table: str, org_column: str, path_column: str, columns: list[str]) -> list[str]:
    """Inserts and deletes note their orgs once per statement (PostgreSQL) or row (SQLite); an update
    only when it changes a watched column, row by row (a column list and transition tables do not mix)."""
    arguments = f"'{org_column}', '{path_column}'"  # the shared statement function quotes them itself
    columns = [f'"{column}"' for column in columns]  # quoted: a column may be a keyword ("full")
    org_column, path_column = f'"{org_column}"', f'"{path_column}"'
    listed = ", ".join(columns)
    changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" if vendor == "postgresql"
                          else f"OLD.{column} IS NOT NEW.{column}" for column in columns)
    if vendor == "postgresql":
        function = f"yuntu_tally_update_{table}"[:63]
        return [
            f"CREATE OR REPLACE TRIGGER yuntu_tally_insert AFTER INSERT ON {table} REFERENCING NEW TABLE AS tally_new "
            f"FOR EACH STATEMENT EXECUTE FUNCTION yuntu_tally_log({arguments})",
            f"CREATE OR REPLACE TRIGGER yuntu_tally_delete AFTER DELETE ON {table} REFERENCING OLD TABLE AS tally_old "
            f"FOR EACH STATEMENT EXECUTE FUNCTION yuntu_tally_log({arguments})",
            f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO {CHANGE_TABLE} (source, org_id, org_path) VALUES ('{table}', OLD.{org_column}, OLD.{path_column}); "
            f"IF NEW.{org_column} IS DISTINCT FROM OLD.{org_column} OR NEW.{path_column} IS DISTINCT FROM OLD.{path_column} "
            f"THEN INSERT INTO {CHANGE_TABLE} (source, org_id, org_path) VALUES ('{table}', NEW.{org_column}, "
            f"NEW.{path_column}); END IF; RETURN NULL; END $$",
            f"DROP TRIGGER IF EXISTS yuntu_tally_update ON {table}",
            f"CREATE TRIGGER yuntu_tally_update AFTER UPDATE OF {listed} ON {table} FOR EACH ROW "
            f"WHEN ({changed}) EXECUTE FUNCTION {function}()",
        ]

    def log(row: str) -> str:
        return (f"INSERT INTO {CHANGE_TABLE} (source, org_id, org_path) SELECT '{table}', {row}.{org_column}, "
                f"{row}.{path_column} WHERE NOT EXISTS (SELECT 1 FROM {CHANGE_TABLE} WHERE source = '{table}' "
                f"AND org_id = {row}.{org_column} AND org_path = {row}.{path_column});")

    return [
        f"CREATE TRIGGER IF NOT EXISTS yuntu_tally_{table}_insert AFTER INSERT ON {table} BEGIN {log('NEW')} END",
        f"DROP TRIGGER IF EXISTS yuntu_tally_{table}_update",
        f"CREATE TRIGGER yuntu_tally_{table}_update AFTER UPDATE OF {listed} ON {table} WHEN {changed} "
        f"BEGIN {log('OLD')} {log('NEW')} END",
        f"CREATE TRIGGER IF NOT EXISTS yuntu_tally_{table}_delete AFTER DELETE ON {table} BEGIN {log('OLD')} END",
    ]


def _installed_triggers(cursor, vendor: str) -> set[str]:
    if vendor == "postgresql":
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE t.tgname = 'yuntu_tally_insert'")
        return {row[0] for row in cursor.fetchall()}
    cursor.execute("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'yuntu_tally_%_insert'")
    return {row[0] for row in cursor.fetchall()}


def install(using: str = "default", *, stdout=None) -> list[str]:
    """Create the triggers of every counted table, and rebuild the tallies of a table that was not
    watched yet or whose indicators changed (their queries' signature). Run after every migrate."""
    from django.db import connections

    from .models import TallySource

    database = connections[using]
    vendor = database.vendor
    rebuilt = []
    with database.cursor() as cursor:
        existing_tables = set(database.introspection.table_names(cursor))
        if Tally._meta.db_table not in existing_tables:
            return rebuilt
        watched = _installed_triggers(cursor, vendor)
        if vendor == "postgresql":
            cursor.execute(POSTGRESQL_FUNCTION)
        for table, entries in sources(installed=False).items():
            if table not in existing_tables:
                continue
            for statement in _trigger_sql(vendor, table, *_org_column(entries[0]), watched_columns(entries)):
                cursor.execute(statement)
            signature = json.dumps({entry.code: entry.signature() for entry in entries}, sort_keys=True)
            state = TallySource.objects.using(using).filter(source=table).first()
            if table not in watched or state is None or state.signature != signature:
                TallySource.objects.using(using).update_or_create(source=table, defaults={"signature": signature})
                _SOURCES.clear()
                rebuild(table)
                rebuilt.append(table)
                if stdout is not None:
                    stdout.write(f"  指标汇总：重算 {table}")
    return rebuilt


# --- keeping them up to date ----------------------------------------------------------------


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


def _pending(prefix: str) -> dict[str, int]:
    """{table: changed orgs} noted under the prefix: from a bounded sample when the notes are few (the
    usual case, whatever the table's history), from a grouped count over all of them otherwise."""
    notes = TallyChange.objects.filter(org_path__startswith=prefix)
    sample = list(notes.values_list("source", "org_id")[:SAMPLE])
    if len(sample) < SAMPLE:
        orgs: dict[str, set] = defaultdict(set)
        for source, org_id in sample:
            orgs[source].add(org_id)
        return {source: len(ids) for source, ids in orgs.items()}
    rows = notes.values("source").annotate(orgs=Count("org_id", distinct=True)).order_by()
    return {row["source"]: row["orgs"] for row in rows}


def _take(source: str, prefix: str) -> set[int]:
    """Remove the table's changes under the prefix and return their orgs, in one statement: the changes
    taken are exactly those caught up (a change committed meanwhile stays for the next time)."""
    with connection.cursor() as cursor:
        # Tree paths are made of digits and capital letters: nothing in them to escape for LIKE.
        cursor.execute(f"DELETE FROM {CHANGE_TABLE} WHERE source = %s AND org_path LIKE %s RETURNING org_id",
                       [source, prefix + "%"])
        return {row[0] for row in cursor.fetchall()}


def refresh(prefix: str = "", *, limit: int | None = None) -> set[str]:
    """Bring the tallies under a subtree up to date; return the tables left stale (too many changes).

    Called before a read: with nothing pending it is one small indexed query.
    """
    pending = _pending(prefix)
    if not pending:
        return set()
    limit = READ_LIMIT if limit is None else limit
    stale = {source for source, orgs in pending.items() if orgs > limit and source in sources()}
    due = [source for source in pending if source not in stale]
    if due:
        with transaction.atomic():
            _lock()
            for source in due:
                org_ids = _take(source, prefix)
                if source in sources() and org_ids:
                    _catch_up(sources()[source], org_ids)
    return stale


def refresh_all() -> dict:
    """The background job: every pending table caught up, or rebuilt from its records when the changes are many."""
    done = {"caught_up": {}, "rebuilt": []}
    changed_orgs = 0
    for source, orgs in _pending("").items():
        changed_orgs += orgs
        if source not in sources():
            with transaction.atomic():
                TallyChange.objects.filter(source=source).delete()
            continue
        if orgs > JOB_LIMIT:
            rebuild(source)
            done["rebuilt"].append(source)
        else:
            with transaction.atomic():
                _lock()
                org_ids = _take(source, "")
                _catch_up(sources()[source], org_ids)
            done["caught_up"][source] = len(org_ids)
    if changed_orgs > JOB_LIMIT and connection.vendor == "postgresql" and not connection.in_atomic_block:
        # Many notes deleted at once leave a table of dead rows that every read would walk until
        # autovacuum comes by: reclaim them now.
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {CHANGE_TABLE}")
    return done


def _chunks(items: list, size: int = CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _catch_up(entries: list[Counted], org_ids: set[int]) -> None:
    """Count these orgs' own values again and add the differences to them and their ancestors."""
    codes = [entry.code for entry in entries]
    new: dict[tuple, Decimal] = {}
    old: dict[tuple, Decimal] = {}
    for chunk in _chunks(org_ids):
        for entry in entries:
            for row in entry.own_values(chunk):
                if row["value"]:
                    new[(row["tally_org"], entry.code, row["tally_month"])] = Decimal(row["value"])
        for org_id, code, month, own in (Tally.objects.filter(org_id__in=chunk, code__in=codes).exclude(own=0)
                                         .values_list("org_id", "code", "month", "own")):
            old[(org_id, code, month)] = own
    deltas = {key: new.get(key, 0) - old.get(key, 0) for key in set(new) | set(old)}
    deltas = {key: delta for key, delta in deltas.items() if delta}
    if deltas:
        _apply(deltas)


def _apply(deltas: dict[tuple, Decimal]) -> None:
    paths = {}
    for chunk in _chunks({org_id for org_id, _code, _month in deltas}):
        paths.update(Org.objects.filter(pk__in=chunk).values_list("pk", "path"))
    ancestors = {path[:end] for path in paths.values() for end in range(STEP, len(path) + 1, STEP)}
    ids = {}
    for chunk in _chunks(ancestors):
        ids.update(Org.objects.filter(path__in=chunk).values_list("path", "pk"))
    own: dict[tuple, Decimal] = defaultdict(Decimal)
    total: dict[tuple, Decimal] = defaultdict(Decimal)
    for (org_id, code, month), delta in deltas.items():
        path = paths.get(org_id)
        if path is None:  # the org is gone, and its tallies with it
            continue
        own[(org_id, code, month)] += delta
        for end in range(STEP, len(path) + 1, STEP):
            total[(ids[path[:end]], code, month)] += delta
    _add(own, total)


def _add(own: dict[tuple, Decimal], total: dict[tuple, Decimal]) -> None:
    """Add amounts to the own values and totals of rows {(org id, code, month): amount}, creating rows."""
    keys = set(own) | set(total)
    existing = {}
    for chunk in _chunks(sorted({org_id for org_id, _code, _month in keys})):
        for tally in Tally.objects.filter(org_id__in=chunk, code__in={code for _org, code, _month in keys},
                                          month__in={month for _org, _code, month in keys}):
            existing[(tally.org_id, tally.code, tally.month)] = tally
    changed, created = [], []
    for key in keys:
        tally = existing.get(key)
        if tally is None:
            created.append(Tally(org_id=key[0], code=key[1], month=key[2], own=own.get(key, 0), total=total.get(key, 0)))
        else:
            tally.own += own.get(key, 0)
            tally.total += total.get(key, 0)
            changed.append(tally)
    Tally.objects.bulk_update(changed, ["own", "total"], batch_size=CHUNK)
    Tally.objects.bulk_create(created, batch_size=CHUNK)


def rebuild(source: str) -> None:
    """Count a table's tallies again from all its records, in SQL: own values per org and month, then
    each depth's subtree totals (one grouped upsert per depth of the tree)."""
    entries = sources().get(source, [])
    if not entries:
        return
    codes = [entry.code for entry in entries]
    table = Tally._meta.db_table
    org_table = Org._meta.db_table
    marks = ", ".join(["%s"] * len(codes))
    with transaction.atomic(), connection.cursor() as cursor:
        _lock()
        TallyChange.objects.filter(source=source).delete()
        Tally.objects.filter(code__in=codes).delete()
        for entry in entries:
            sql, params = entry.own_values().query.sql_with_params()
            cursor.execute(f"INSERT INTO {table} (org_id, code, month, own, total) "
                           f"SELECT counted.tally_org, %s, counted.tally_month, counted.value, 0 "
                           f"FROM ({sql}) counted WHERE counted.value <> 0", [entry.code, *params])
        deepest = Org.objects.aggregate(deepest=models.Max("depth"))["deepest"] or 0
        for depth in range(1, deepest + 1):
            cursor.execute(
                f"INSERT INTO {table} (org_id, code, month, own, total) "
                f"SELECT ancestor.id, tally.code, tally.month, 0, SUM(tally.own) FROM {table} tally "
                f"JOIN {org_table} org ON org.id = tally.org_id "
                f"JOIN {org_table} ancestor ON ancestor.path = SUBSTR(org.path, 1, %s) "
                f"WHERE tally.code IN ({marks}) AND tally.own <> 0 AND org.depth >= %s "
                f"GROUP BY ancestor.id, tally.code, tally.month "
                f"ON CONFLICT (org_id, code, month) DO UPDATE SET total = excluded.total",
                [depth * STEP, *codes, depth])


def rebuild_all() -> list[str]:
    for source in sources():
        rebuild(source)
    return list(sources())


def subtree_moved(*, old_path: str, new_path: str, org: Org) -> None:
    """A subtree moved: its totals leave the old ancestors and join the new ones; notes follow the paths."""
    from django.db.models.functions import Concat, Substr

    with transaction.atomic():
        _lock()
        TallyChange.objects.filter(org_path__startswith=old_path).update(
            org_path=Concat(Value(new_path), Substr("org_path", len(old_path) + 1)))
        old = {old_path[:end] for end in range(STEP, len(old_path), STEP)}
        new = {new_path[:end] for end in range(STEP, len(new_path), STEP)}
        leaving, joining = old - new, new - old
        if not (leaving or joining):
            return
        moved = {(code, month): total for code, month, total in
                 Tally.objects.filter(org=org).exclude(total=0).values_list("code", "month", "total")}
        if not moved:
            return
        ids = dict(Org.objects.filter(path__in=leaving | joining).values_list("path", "pk"))
        deltas: dict[tuple, Decimal] = defaultdict(Decimal)
        for (code, month), amount in moved.items():
            for path in leaving:
                deltas[(ids[path], code, month)] -= amount
            for path in joining:
                deltas[(ids[path], code, month)] += amount
        _add({}, deltas)


def org_deleted(org: Org) -> None:
    """An org is being deleted (its tallies go with it): its own values leave its ancestors' totals.

    Own values, not totals, so a subtree deleted org by org is taken away once.
    """
    ancestors = [org.path[:end] for end in range(STEP, len(org.path), STEP)]
    if not ancestors:
        return
    with transaction.atomic():
        _lock()
        owned = list(Tally.objects.filter(org=org).exclude(own=0).values_list("code", "month", "own"))
        if not owned:
            return
        ids = list(Org.objects.filter(path__in=ancestors).values_list("pk", flat=True))
        deltas: dict[tuple, Decimal] = defaultdict(Decimal)
        for code, month, amount in owned:
            for ancestor in ids:
                deltas[(ancestor, code, month)] -= amount
        _add({}, deltas)


# --- reading ----------------------------------------------------------------------------------


def _number(entry: Counted, amount: Decimal):
    """A count as an int, a sum as the records' sum would be (an int for integer columns)."""
    if entry.places is None:
        return int(amount)
    return amount.quantize(Decimal(1).scaleb(-entry.places))


@dataclass
class Read:
    """The tallied figures of a subtree: totals, children's figures and months, by indicator code."""

    values: dict
    children: dict
    months: dict
    stale: set  # codes whose table could not be caught up: count them from the records


def _counts_in(code_dated: bool, month, start, end) -> bool:
    """Whether a row of this month counts in [start, end): a dated figure's undated records (STOCK_MONTH)
    count in the open period only, as the records' own count has them."""
    if not code_dated:
        return True
    if month == STOCK_MONTH:
        return start is None and end is None
    return (start is None or month >= start) and (end is None or month < end)


def read(root: Org, entries: list[Counted], *, start=None, end=None, months=(), with_children: bool = True) -> Read:
    """Totals for [start, end) — whole months, or open — of the root, of each child subtree, and by month.

    Two queries for every tallied indicator at once: the root's rows, and its children's.
    """
    stale_tables = refresh(root.path)
    fresh = {entry.code: entry for entry in entries if entry.source not in stale_tables}
    result = Read(values={}, children={}, months={}, stale={entry.code for entry in entries} - set(fresh))
    if not fresh:
        return result
    dated = {code for code, entry in fresh.items() if entry.indicator.date_field}
    month_set = set(months)
    values: dict[str, Decimal] = dict.fromkeys(fresh, Decimal(0))
    trend: dict[str, dict] = {code: dict.fromkeys(month_set, Decimal(0)) for code in dated}
    for code, month, amount in (Tally.objects.filter(org=root, code__in=list(fresh)).exclude(total=0)
                                .values_list("code", "month", "total")):
        if code in dated and month in month_set:
            trend[code][month] += amount
        if _counts_in(code in dated, month, start, end):
            values[code] += amount
    result.values = {code: _number(fresh[code], amount) for code, amount in values.items()}
    result.months = {code: {month: _number(fresh[code], amount) for month, amount in series.items()}
                     for code, series in trend.items()}
    if with_children:
        rows = Tally.objects.filter(org__depth=root.depth + 1, org__path__under=root.path,
                                    code__in=list(fresh)).exclude(total=0)
        if start is not None or end is not None:
            period = models.Q(month__gt=STOCK_MONTH)
            if start is not None:
                period &= models.Q(month__gte=start)
            if end is not None:
                period &= models.Q(month__lt=end)
            rows = rows.filter(period | ~models.Q(code__in=dated))
        children: dict[str, dict] = {code: {} for code in fresh}
        for path, code, amount in (rows.values("org__path", "code").annotate(amount=Sum("total")).order_by()
                                   .values_list("org__path", "code", "amount")):
            if amount:
                children[code][path] = _number(fresh[code], amount)
        result.children = children
    return result
