"""The compliance scan: every enabled rule over the whole tree, findings turned into alerts in bulk.

Cost follows the number of orgs and alerts, not rules × orgs: each rule runs one or two grouped
queries over the whole tree (meeting counts are shared between rules of the same window), and the
alerts are read, created, refreshed, resolved and escalated with a fixed number of bulk statements
per rule. An alert is raised to its org and the org's parent (`parent_path`); one found again for
`escalate_after` consecutive periods (periodic rules) or scans (standing rules) is escalated to the
level above the parent (`escalated_path`).
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F

from yuntu.accounts.audit import audit_record
from yuntu.core import clock
from yuntu.orgs.models import Org

from . import rules
from .models import Alert, AlertEvent, ScanRun
from .workflow import AlertStatus, Severity

BATCH = 2000


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

    def as_dict(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if not key.endswith("_ids")} | {
            "as_of": self.as_of.isoformat()}


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
    for chunk in _chunks(ids):
        Alert.objects.filter(pk__in=chunk).update(**values)


def _events(ids: list[int], action: str, label: str, now) -> None:
    for chunk in _chunks(ids):
        AlertEvent.objects.bulk_create([AlertEvent(alert_id=pk, action=action, label=label, occurred_at=now)
                                        for pk in chunk])


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
                findings = rule.evaluate(context, window, effective.threshold)
                _apply(rule, effective, window, findings, paths, now, result)
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
           findings: dict[int, rules.Finding], paths: dict[int, str], now, result: ScanResult) -> None:
    period = window.key if window else ""
    severity = Severity.WARNING if window and window.current else Severity.LAPSE
    existing = {org_id: (pk, status, (detail, count, level)) for pk, org_id, status, detail, count, level in
                Alert.objects.filter(rule=rule.code, period=period)
                .values_list("pk", "org_id", "status", "detail", "subject_count", "severity")}
    new, seen, changed, reopened, gone = [], [], [], [], []
    for org_id, finding in findings.items():
        if org_id not in paths:
            continue
        if org_id not in existing:
            path = paths[org_id]
            new.append(Alert(rule=rule.code, period=period, severity=severity, org_id=org_id, org_path=path,
                             parent_path=_parent(path), detail=finding.detail[:500], subject_count=finding.count,
                             raised_at=now, last_seen_at=now))
            continue
        pk, status, shown = existing[org_id]
        if status == AlertStatus.RESOLVED:
            reopened.append(pk)
        elif status in (AlertStatus.OPEN, AlertStatus.EXPLAINED):
            seen.append(pk)
        if shown != (finding.detail[:500], finding.count, severity):
            changed.append(Alert(pk=pk, detail=finding.detail[:500], subject_count=finding.count, severity=severity))
    for org_id, (pk, status, _shown) in existing.items():
        if org_id not in findings and status != AlertStatus.RESOLVED:
            gone.append(pk)
    for chunk in _chunks(new):
        created = Alert.objects.bulk_create(chunk)
        ids = [alert.pk for alert in created]
        if any(pk is None for pk in ids):  # backends that return no ids on bulk insert
            ids = list(Alert.objects.filter(rule=rule.code, period=period, org_id__in=[a.org_id for a in chunk])
                       .values_list("pk", flat=True))
        result.new_alert_ids.extend(ids)
        _events(ids, "raise", "扫描发现", now)
    result.raised += len(new)
    if changed:
        Alert.objects.bulk_update(changed, ["detail", "subject_count", "severity"], batch_size=BATCH)
    _update_ids(seen, last_seen_at=now, seen_count=F("seen_count") + 1)
    _update_ids(reopened, status=AlertStatus.OPEN, resolved_at=None, last_seen_at=now, seen_count=1,
                raised_count=F("raised_count") + 1, escalated=False, escalated_path="")
    _events(reopened, "reopen", "再次发现", now)
    result.raised += len(reopened)
    result.new_alert_ids.extend(reopened)
    _update_ids(gone, status=AlertStatus.RESOLVED, resolved_at=now)
    _events(gone, "resolve", "数据已符合要求，自动消除", now)
    result.resolved += len(gone)
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
    rows = list(candidates.values_list("pk", "parent_path"))
    by_target: dict[str, list[int]] = {}
    for pk, parent_path in rows:
        by_target.setdefault(_parent(parent_path), []).append(pk)
    for target, ids in by_target.items():
        _update_ids(ids, escalated=True, escalated_path=target)
    ids = [pk for pk, _ in rows]
    _events(ids, "escalate", "多次发现，升级上报", now)
    result.escalated += len(ids)
    result.escalated_ids.extend(ids)
