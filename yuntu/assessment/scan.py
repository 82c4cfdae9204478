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
parameter (an array, or JSON read by `json_each`), and the alerts still found are refreshed by one
UPDATE per rule and period.
"""

from __future__ import annotations

import datetime
import json
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Case, F, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length, Substr
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from yuntu.accounts.audit import audit_record
from yuntu.core import clock
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


def _ids(ids: list[int]) -> RawSQL:
    """`SELECT id` over a list of ids in one parameter, whatever its length (SQLite allows 999 parameters)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[]) AS id", (list(ids),))
    return RawSQL("SELECT value AS id FROM json_each(%s)", (json.dumps(list(ids)),))


def _update_ids(ids: list[int], **values) -> None:
    if ids:
        Alert.objects.filter(pk__in=_ids(ids)).update(**values)


def _events(ids: list[int], action: str, label: str, now) -> None:
    """One timeline event per alert, written by one INSERT … SELECT over the ids."""
    if not ids:
        return
    subquery = _ids(ids)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {quote(AlertEvent._meta.db_table)} (alert_id, action, label, occurred_at) "
                       f"SELECT ids.id, %s, %s, %s FROM ({subquery.sql}) AS ids",
                       [action, label, connection.ops.adapt_datetimefield_value(now), *subquery.params])


ALERT_COLUMNS = ("rule", "period", "severity", "status", "detail", "subject_count", "org_id", "org_path", "parent_path",
                 "escalated", "escalated_path", "seen_count", "raised_count", "raised_at", "last_seen_at",
                 "explanation", "review_note", "created_at", "updated_at")


def _insert_alerts(rows: list[tuple], counter: _QueryCounter) -> None:
    """Append alert rows (in `ALERT_COLUMNS` order, datetimes already adapted): COPY or executemany.

    Django's bulk_create spends most of a first scan compiling values field by field; the rows of one
    rule and period differ only in org, detail and count.
    """
    quote, table = connection.ops.quote_name, Alert._meta.db_table
    columns = ", ".join(quote(column) for column in ALERT_COLUMNS)
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
                    for row in chunk:
                        copy.write_row(row)
                counter.count += 1  # COPY does not pass through Django's execute wrappers
            else:
                placeholders = ", ".join(["%s"] * len(ALERT_COLUMNS))
                cursor.executemany(f"INSERT INTO {quote(table)} ({columns}) VALUES ({placeholders})", chunk)


def run_scan(*, today: datetime.date | None = None, now: datetime.datetime | None = None, actor=None) -> ScanResult:
    """Evaluate every enabled rule and bring the alerts in line with the data (idempotent on the same data)."""
    counter = _QueryCounter()
    started = time.perf_counter()
    now = now or clock.now()
    today = today or clock.today()
    result = ScanResult(as_of=today)
    with connection.execute_wrapper(counter), transaction.atomic():
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
            refreshed = refreshed.exclude(pk__in=_ids(frozen))
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
        _insert_alerts(rows, counter)
        ids = list(Alert.objects.filter(rule=rule.code, period=period, org_id__in=_ids(new)).values_list("pk", flat=True))
        result.new_alert_ids.extend(ids)
        _events(ids, "raise", "扫描发现", now)
        result.raised += len(new)
    _escalate(rule, effective, window, period, now, result)


def _escalate(rule, effective, window, period: str, now, result: ScanResult) -> None:
    """Repeated alerts go one level up: periodic lapses in consecutive periods, standing ones seen scan after scan."""
    candidates = Alert.objects.filter(rule=rule.code, period=period, escalated=False, status=AlertStatus.OPEN)
    if window is None:
        candidates = candidates.filter(seen_count__gte=effective.escalate_after)
    elif window.current:
        return  # a warning of a period still running is never escalated
    else:
        earlier = [w.key for w in rules.previous_windows(rule.period, window, effective.escalate_after - 1)]
        if earlier:
            from django.db.models import Count

            repeated = (Alert.objects.filter(rule=rule.code, period__in=earlier, severity=Severity.LAPSE)
                        .exclude(status=AlertStatus.ACCEPTED).order_by().values("org_id")
                        .annotate(n=Count("id")).filter(n=len(earlier)).values("org_id"))
            candidates = candidates.filter(org_id__in=repeated)
    ids = list(candidates.values_list("pk", flat=True))
    if not ids:
        return
    # The level above the parent, computed in the statement: one UPDATE whatever the number of targets.
    above_parent = Case(When(GreaterThan(Length("parent_path"), Org.steplen),
                             then=Substr("parent_path", 1, Length("parent_path") - Org.steplen)), default=Value(""))
    _update_ids(ids, escalated=True, escalated_path=above_parent)
    _events(ids, "escalate", "多次发现，升级上报", now)
    result.escalated += len(ids)
    result.escalated_ids.extend(ids)
