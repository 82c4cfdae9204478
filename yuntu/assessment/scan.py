"""The compliance scan: every enabled rule over the whole tree, findings turned into alerts in bulk.

Cost follows the number of orgs and alerts, not rules × orgs: each rule runs one or two grouped
queries over the whole tree (meeting counts are shared between rules of the same kind and window),
and the alerts are read, created, refreshed, resolved and escalated with a fixed number of bulk
statements per rule and period. An alert is raised to its org and the org's parent (`parent_path`);
one found again for `escalate_after` consecutive periods (periodic rules) or scans (standing rules)
is escalated to the level above the parent (`escalated_path`).

At province scale a first scan writes 10⁵ alerts and their events and a daily scan touches as many,
so rows are not compiled one by one through the ORM: new alerts go in by COPY (PostgreSQL) or
executemany (SQLite), events and updates are single statements over a list of ids passed as one
parameter (`pk__among`: an array, or JSON read by `json_each`), the alerts still found are refreshed
by one UPDATE per rule and period, and no statement's plan depends on the alert table's statistics
(stale while a first scan fills it).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Length, Substr
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.core import clock
from yuntu.core.lookups import id_rows
from yuntu.orgs.models import Org

from . import rules
from .models import Alert, AlertEvent, ScanRun
from .workflow import ACTIVE_ALERT_STATUSES, AlertStatus, Severity

BATCH = 20000  # rows per COPY / executemany


@dataclass
class ScanResult:
    as_of: datetime.date
    orgs: int = 0
    raised: int = 0
    resolved: int = 0
    escalated: int = 0
    still_open: int = 0
    queries: int = 0
    seconds: float = 0.0
    new_alert_ids: list[int] = field(default_factory=list)
    escalated_ids: list[int] = field(default_factory=list)
    steps: list[dict] = field(default_factory=list)  # per rule and period: seconds, statements, findings

    def as_dict(self, *, steps: bool = False) -> dict:
        shown = {key: value for key, value in self.__dict__.items() if not key.endswith("_ids") and key != "steps"}
        return shown | {"as_of": self.as_of.isoformat()} | ({"steps": self.steps} if steps else {})


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _parent(path: str) -> str:
    return path[:-Org.steplen] if len(path) > Org.steplen else ""


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _update_ids(ids: list[int], **values) -> None:
    if ids:
        Alert.objects.filter(pk__among=ids).update(**values)


def _events(ids: list[int], action: str, label: str, now) -> None:
    """One timeline event per alert, written by one INSERT … SELECT over the ids."""
    if not ids:
        return
    rows, params = id_rows(ids, connection.vendor)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(AlertEvent._meta.db_table)} (alert_id, action, label, occurred_at) "
                       f"SELECT ids.id, %s, %s, %s FROM ({rows}) AS ids",
                       [action, label, connection.ops.adapt_datetimefield_value(now), *params])


ALERT_COLUMNS = ("id", "rule", "period", "severity", "status", "detail", "subject_count", "org_id", "org_path",
                 "parent_path", "escalated", "escalated_path", "seen_count", "raised_count", "raised_at", "last_seen_at",
                 "explanation", "review_note", "created_at", "updated_at")


def _insert_alerts(rows: list[tuple], counter: _QueryCounter) -> list[int]:
    """Append alert rows (`ALERT_COLUMNS` without the id, datetimes already adapted); returns their ids.

    Django's bulk_create spends most of a first scan compiling values field by field. PostgreSQL: ids
    drawn from the sequence, then COPY. SQLite: executemany, then the ids read back by the caller.
    """
    quote, table = connection.ops.quote_name, Alert._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            columns = ", ".join(quote(column) for column in ALERT_COLUMNS[1:])
            placeholders = ", ".join(["%s"] * (len(ALERT_COLUMNS) - 1))
            for chunk in _chunks(rows):
                cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({placeholders})", chunk)
            return []
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                       [table, len(rows)])
        ids = [row[0] for row in cursor.fetchall()]
        columns = ", ".join(quote(column) for column in ALERT_COLUMNS)
        with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row))
        counter.count += 1  # COPY does not pass through Django's execute wrappers
    return ids


def run_scan(*, today: datetime.date | None = None, now: datetime.datetime | None = None, actor=None) -> ScanResult:
    """Evaluate every enabled rule and bring the alerts in line with the data (idempotent on the same data)."""
    counter = _QueryCounter()
    started = time.perf_counter()
    now = now or clock.now()
    today = today or clock.today()
    result = ScanResult(as_of=today)
    since = ScanRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    with connection.execute_wrapper(counter), transaction.atomic():
        if connection.vendor == "postgresql":
            # For this transaction only: grouped counts over 10⁵ orgs hash in memory rather than spill to
            # disk, and no query is worth compiling (JIT costs more than it saves on these).
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL work_mem = '64MB'")
                cursor.execute("SET LOCAL jit = off")
        context = rules.Context(today, now)
        paths = {org_id: path for org_id, path, *_rest in context.orgs}
        result.orgs = len(paths)
        for effective in rules.effective_rules():
            if not effective.enabled:
                continue
            rule = effective.rule
            windows = rules.windows_for(rule.period, today) or [None]
            for window in windows:
                step_started, step_queries = time.perf_counter(), counter.count
                findings = rule.evaluate(context, window, effective.threshold)
                evaluated = time.perf_counter()
                _apply(rule, effective, window, findings, paths, now, result, counter)
                result.steps.append({"rule": rule.code, "period": window.key if window else "", "findings": len(findings),
                                     "evaluate": round(evaluated - step_started, 3),
                                     "apply": round(time.perf_counter() - evaluated, 3),
                                     "queries": counter.count - step_queries})
        if since is not None:
            _recheck_late_records(context, since, now, result, counter)
        result.still_open = Alert.objects.filter(rules.active_filter()).count()
        result.seconds = round(time.perf_counter() - started, 3)
        run = ScanRun.objects.create(as_of=today, started_at=now, seconds=result.seconds, orgs=result.orgs,
                                     raised=result.raised, resolved=result.resolved, escalated=result.escalated,
                                     still_open=result.still_open, queries=counter.count)
        audit_record(actor=actor, action="compliance.scan", obj=run, after=result.as_dict())
    result.queries = counter.count
    if result.new_alert_ids or result.escalated_ids:
        from .tasks import notify_alerts_on_commit

        notify_alerts_on_commit(result.new_alert_ids[:5000], result.escalated_ids[:5000])
    return result


def _apply(rule: rules.ComplianceRule, effective: rules.Effective, window: rules.Window | None,
           findings: dict[int, rules.Finding], paths: dict[int, str], now, result: ScanResult,
           counter: _QueryCounter) -> None:
    """Bring the alerts of one rule and period in line with its findings.

    The order matters for the set-based refresh: alerts gone are resolved first, then every alert still
    open or explained (all found again, but for orgs no longer active) is refreshed by one UPDATE,
    then resolved ones found again are reopened and new ones inserted — neither counted as seen twice.
    """
    period = window.key if window else ""
    severity = str(Severity.WARNING if window and window.current else Severity.LAPSE)
    existing = {org_id: (pk, status, (detail, count, level)) for pk, org_id, status, detail, count, level in
                Alert.objects.filter(rule=rule.code, period=period)
                .values_list("pk", "org_id", "status", "detail", "subject_count", "severity")}
    new, changed, reopened, gone, frozen = [], [], [], [], []
    seen = 0
    for org_id, finding in findings.items():
        shown = existing.get(org_id)
        if org_id not in paths:
            if shown is not None and shown[1] in ACTIVE_ALERT_STATUSES:
                frozen.append(shown[0])  # an inactive org's alert is left as it is
            continue
        if shown is None:
            new.append(org_id)
            continue
        pk, status, before = shown
        if status == AlertStatus.RESOLVED:
            reopened.append(pk)
        elif status in ACTIVE_ALERT_STATUSES:
            seen += 1
        detail = finding.detail[:500]
        if before != (detail, finding.count, severity):
            changed.append((detail, finding.count, severity, pk))
    for org_id, (pk, status, _shown) in existing.items():
        if org_id not in findings and status != AlertStatus.RESOLVED:
            gone.append(pk)

    _update_ids(gone, status=AlertStatus.RESOLVED, resolved_at=now)
    _events(gone, "resolve", "数据已符合要求，自动消除", now)
    result.resolved += len(gone)
    if seen:
        refreshed = Alert.objects.filter(rule=rule.code, period=period, status__in=ACTIVE_ALERT_STATUSES)
        if frozen:
            refreshed = refreshed.exclude(pk__among=frozen)
        refreshed.update(last_seen_at=now, seen_count=F("seen_count") + 1)
    _update_ids(reopened, status=AlertStatus.OPEN, resolved_at=None, last_seen_at=now, seen_count=1,
                raised_count=F("raised_count") + 1, escalated=False, escalated_path="")
    _events(reopened, "reopen", "再次发现", now)
    result.raised += len(reopened)
    result.new_alert_ids.extend(reopened)
    if changed:
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(f"UPDATE {quote(Alert._meta.db_table)} SET detail = %s, subject_count = %s, "
                               f"severity = %s WHERE id = %s", changed)
    if new:
        stamp = connection.ops.adapt_datetimefield_value(now)
        created = connection.ops.adapt_datetimefield_value(timezone.now())
        rows = []
        for org_id in new:
            finding, path = findings[org_id], paths[org_id]
            rows.append((rule.code, period, severity, str(AlertStatus.OPEN), finding.detail[:500], finding.count, org_id, path,
                         _parent(path), False, "", 1, 1, stamp, stamp, "", "", created, created))
        ids = _insert_alerts(rows, counter) or list(
            Alert.objects.filter(rule=rule.code, period=period, org__among=new).values_list("pk", flat=True))
        result.new_alert_ids.extend(ids)
        _events(ids, "raise", "扫描发现", now)
        result.raised += len(new)
    _escalate(rule, effective, window, period, now, result)


def _recheck_late_records(context: rules.Context, since: datetime.datetime, now, result: ScanResult,
                          counter: _QueryCounter) -> None:
    """Meetings recorded since the last scan for a period the scan no longer evaluates clear that period's alerts.

    Only the periods such a record falls in are evaluated again (a branch that records September's theme
    day in November clears September's alert), and only to resolve: an old period raises nothing new.
    One read of the meetings recorded since (an index on `updated_at`), then per period touched one
    grouped count, shared by the rules of one kind.
    """
    from yuntu.orglife.models import Meeting
    from yuntu.orglife.workflow import MeetingStatus

    late = set(Meeting.objects.filter(updated_at__gte=since, status=MeetingStatus.HELD, held_on__isnull=False)
               .order_by().values_list("kind", "held_on").distinct())
    if not late:
        return
    for effective in rules.effective_rules():
        rule = effective.rule
        if not (effective.enabled and rule.counts_kind and rule.period):
            continue
        evaluated = {window.key for window in rules.windows_for(rule.period, context.today)}
        current_start = rules.window_of(rule.period, context.today, current=True).start
        windows = {window.key: window for window in (rules.window_of(rule.period, day, current=False)
                                                     for kind, day in late if kind == rule.counts_kind)
                   if window.key not in evaluated and window.start < current_start}
        for key, window in sorted(windows.items()):
            standing = dict(Alert.objects.filter(rule=rule.code, period=key).exclude(status=AlertStatus.RESOLVED)
                            .values_list("pk", "org_id"))
            if not standing:
                continue
            step_started, step_queries = time.perf_counter(), counter.count
            findings = rule.evaluate(context, window, effective.threshold)
            gone = [pk for pk, org_id in standing.items() if org_id not in findings and org_id in context.active_ids]
            _update_ids(gone, status=AlertStatus.RESOLVED, resolved_at=now)
            _events(gone, "resolve", "补录的记录已符合要求，自动消除", now)
            result.resolved += len(gone)
            result.steps.append({"rule": rule.code, "period": key, "late_records": True, "findings": len(gone),
                                 "evaluate": round(time.perf_counter() - step_started, 3),
                                 "apply": 0.0, "queries": counter.count - step_queries})


def _escalate(rule, effective, window, period: str, now, result: ScanResult) -> None:
    """Repeated alerts go one level up: periodic lapses in consecutive periods, standing ones seen scan after scan.

    The orgs that lapsed in every earlier period are intersected in Python from one plain read per
    period: a grouped subquery here left the plan to the alert table's statistics, which are stale
    (empty) within the first scan that fills it, and took minutes at province scale.
    """
    candidates = Alert.objects.filter(rule=rule.code, period=period, escalated=False, status=AlertStatus.OPEN)
    if window is None:
        ids = list(candidates.filter(seen_count__gte=effective.escalate_after).values_list("pk", flat=True))
    elif window.current:
        return  # a warning of a period still running is never escalated
    else:
        earlier = [w.key for w in rules.previous_windows(rule.period, window, effective.escalate_after - 1)]
        repeated: set[int] | None = None
        for key in earlier:
            lapsed = set(Alert.objects.filter(rule=rule.code, period=key, severity=Severity.LAPSE)
                         .exclude(status=AlertStatus.ACCEPTED).values_list("org_id", flat=True))
            repeated = lapsed if repeated is None else repeated & lapsed
            if not repeated:
                return
        rows = candidates.values_list("pk", "org_id")
        ids = [pk for pk, org_id in rows if repeated is None or org_id in repeated]
    if not ids:
        return
    # The level above the parent, computed in the statement: one UPDATE whatever the number of targets.
    above_parent = Case(When(GreaterThan(Length("parent_path"), Org.steplen),
                             then=Substr("parent_path", 1, Length("parent_path") - Org.steplen)), default=Value(""))
    _update_ids(ids, escalated=True, escalated_path=above_parent)
    _events(ids, "escalate", "多次发现，升级上报", now)
    result.escalated += len(ids)
    result.escalated_ids.extend(ids)
