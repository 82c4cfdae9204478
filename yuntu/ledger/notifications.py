"""Reminders of the ledger cadence (两周一更新) and the overdue escalation, through a pluggable sender.

Who is told:

* a measure in progress whose owner has not reported for 14 days (`selectors.stale_measures`):
  its responsible person (when they have an account) and the secretaries of its owning org —
  the nearest org on its path that has any, so a branch without a secretary account falls to
  its community;
* an open measure past its deadline: the secretaries of the org *above* the owning org (the
  nearest ancestor that has any), who answer for their lower units.

Each measure is reminded at most once per fortnight and kind; the record of what was sent is a
`LedgerEvent` on the measure's timeline (action ``reminder`` or ``escalation``) whose reason
names the recipients. Fortnights are counted from Monday 2024-01-01, so a timer that fires daily,
weekly or every other week sends the same reminders once.

The sender is chosen by the setting ``LEDGER_NOTIFICATION_SENDER`` (a dotted path to a class
with ``send(recipient, subject, body)``); the default prints to the console.
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from yuntu.accounts.models import RoleGrant
from yuntu.accounts.roles import Role
from yuntu.core import clock
from yuntu.core.senders import ConsoleSender, EmailSender, MultiSender, Sender  # noqa: F401 (settings name them here)
from yuntu.orgs.models import Org

from . import selectors
from .models import LedgerEvent, Measure

logger = logging.getLogger("yuntu.ledger.notifications")

DEFAULT_SENDER = "yuntu.ledger.notifications.ConsoleSender"
SECRETARY_ROLES = (Role.DISTRICT_OFFICER, Role.STREET_SECRETARY, Role.COMMUNITY_SECRETARY, Role.BRANCH_SECRETARY)
FORTNIGHT_EPOCH = datetime.date(2024, 1, 1)  # a Monday
STALE_DAYS = 14
REMINDER, ESCALATION = "reminder", "escalation"
LABELS = {REMINDER: "两周未更新提醒", ESCALATION: "逾期督办提醒"}
CHUNK = 1000
STEP = Org.steplen


def get_sender() -> Sender:
    return import_string(getattr(settings, "LEDGER_NOTIFICATION_SENDER", DEFAULT_SENDER))()


def fortnight_of(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The fortnight containing `day`, as aware datetimes [start, end) in the current time zone."""
    start = FORTNIGHT_EPOCH + datetime.timedelta(days=(day - FORTNIGHT_EPOCH).days // 14 * 14)
    begin = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    return begin, begin + datetime.timedelta(days=14)


@dataclass
class ReminderReport:
    fortnight_start: str = ""
    stale: int = 0  # measures not updated for 14 days and not yet reminded this fortnight
    overdue: int = 0  # measures past deadline and not yet escalated this fortnight
    reminded: int = 0  # measures whose reminder reached someone
    escalated: int = 0
    unreachable: int = 0  # measures with nobody to tell (no account, no secretary above)
    messages: int = 0  # messages delivered
    failed: int = 0  # messages the sender could not deliver
    recipients: int = 0  # distinct users reached

    def as_dict(self) -> dict:
        return asdict(self)


def _prefixes(path: str) -> list[str]:
    return [path[:end] for end in range(STEP, len(path) + 1, STEP)]


def _secretaries_by_path(paths: set[str]) -> dict[str, list]:
    """Active users holding a secretary role on exactly each of `paths` (one query)."""
    found: dict[str, list] = defaultdict(list)
    grants = RoleGrant.objects.filter(org_path__in=paths, role__in=SECRETARY_ROLES, user__is_active=True)
    for grant in grants.select_related("user").order_by("org_path", "user_id"):
        if grant.user not in found[grant.org_path]:
            found[grant.org_path].append(grant.user)
    return found


def _nearest(path_candidates: list[str], secretaries: dict[str, list]) -> list:
    for path in path_candidates:
        if secretaries.get(path):
            return secretaries[path]
    return []


def _recipients(measures: list[Measure], kind: str) -> dict[int, list]:
    """Measure id → users to tell, in a single grant query for the whole chunk."""
    paths = {prefix for measure in measures for prefix in _prefixes(measure.org_path)}
    secretaries = _secretaries_by_path(paths)
    result = {}
    for measure in measures:
        upward = list(reversed(_prefixes(measure.org_path)))  # own org first, then its ancestors
        if kind == REMINDER:
            users = []
            if measure.responsible_user_id and measure.responsible_user.is_active:
                users.append(measure.responsible_user)
            users += [user for user in _nearest(upward, secretaries) if user not in users]
        else:
            users = list(_nearest(upward[1:], secretaries))
        result[measure.pk] = users
    return result


def _line(measure: Measure, today: datetime.date) -> str:
    last = timezone.localtime(measure.last_progress_at).date().isoformat() if measure.last_progress_at else "未填报"
    late = f"，已逾期{(today - measure.deadline).days}天" if measure.deadline < today else ""
    return (f"· {measure.org.name}｜{measure.problem.title}｜{measure.text[:40]}｜责任人：{measure.responsible_person}"
            f"｜完成时限：{measure.deadline.isoformat()}{late}｜最近更新：{last}")


def _compose(kind: str, measures: list[Measure], today: datetime.date) -> tuple[str, str]:
    lines = "\n".join(_line(measure, today) for measure in measures)
    if kind == REMINDER:
        subject = f"【整改台账】{len(measures)}项整改措施已超过{STALE_DAYS}天未更新进展"
        intro = "按照“两周一更新”的要求，以下整改措施请尽快填报进展情况（文字、进度和佐证材料）："
    else:
        subject = f"【整改台账】下级单位{len(measures)}项整改措施已逾期未完成"
        intro = "以下整改措施已超过完成时限仍未验收，请督促责任单位抓紧整改并及时报告："
    return subject, f"{intro}\n{lines}\n\n（云图·整改台账自动提醒，请登录系统处理）"


def _due(kind: str, now: datetime.datetime, today: datetime.date, stale_days: int):
    begin, end = fortnight_of(today)
    already = LedgerEvent.objects.filter(action=kind, measure__isnull=False, occurred_at__gte=begin,
                                         occurred_at__lt=end).values("measure_id")
    measures = (selectors.stale_measures(days=stale_days, now=now) if kind == REMINDER
                else selectors.measures_past_deadline(today=today))
    return measures.exclude(pk__in=already).select_related("org", "problem", "responsible_user").order_by("org_path", "id")


def _run(kind: str, sender: Sender, report: ReminderReport, now: datetime.datetime, today: datetime.date,
         stale_days: int, reached: set[int]) -> None:
    measures = list(_due(kind, now, today, stale_days))
    setattr(report, "stale" if kind == REMINDER else "overdue", len(measures))
    for offset in range(0, len(measures), CHUNK):
        chunk = measures[offset:offset + CHUNK]
        recipients = _recipients(chunk, kind)
        by_user: dict = defaultdict(list)
        users = {}
        for measure in chunk:
            for user in recipients[measure.pk]:
                by_user[user.pk].append(measure)
                users[user.pk] = user
        delivered_to: dict[int, list[str]] = defaultdict(list)
        for user_pk, items in by_user.items():
            subject, body = _compose(kind, items, today)
            try:
                delivered = sender.send(users[user_pk], subject, body)
            except Exception:  # one failing address must not stop the others
                logger.exception("整改台账提醒发送失败：%s", users[user_pk].get_username())
                delivered = False
            if not delivered:
                report.failed += 1
                continue
            report.messages += 1
            reached.add(user_pk)
            for measure in items:
                delivered_to[measure.pk].append(str(users[user_pk]))
        report.unreachable += sum(1 for measure in chunk if not recipients[measure.pk])
        _record(kind, [measure for measure in chunk if delivered_to.get(measure.pk)], delivered_to, now)
        done = sum(1 for measure in chunk if delivered_to.get(measure.pk))
        if kind == REMINDER:
            report.reminded += done
        else:
            report.escalated += done


@transaction.atomic
def _record(kind: str, measures: list[Measure], delivered_to: dict[int, list[str]], now: datetime.datetime) -> None:
    """One timeline event per measure reminded: the record that makes the run idempotent per fortnight."""
    events = LedgerEvent.objects.bulk_create([
        LedgerEvent(problem_id=measure.problem_id, measure=measure, action=kind, label=LABELS[kind], actor=None,
                    reason=("已提醒：" + "、".join(delivered_to[measure.pk]))[:255])
        for measure in measures
    ])
    # occurred_at is auto_now_add; the run's own clock is the time of record (a test may pass a fake one).
    LedgerEvent.objects.filter(pk__in=[event.pk for event in events]).update(occurred_at=now)


def send_reminders(*, now: datetime.datetime | None = None, sender: Sender | None = None,
                   stale_days: int = STALE_DAYS) -> ReminderReport:
    """Remind owners of stale measures and escalate overdue ones to the unit above; see the module docstring."""
    now = now or clock.now()
    today = timezone.localdate(now)
    sender = sender or get_sender()
    report = ReminderReport(fortnight_start=timezone.localdate(fortnight_of(today)[0]).isoformat())
    reached: set[int] = set()
    _run(REMINDER, sender, report, now, today, stale_days, reached)
    _run(ESCALATION, sender, report, now, today, stale_days, reached)
    report.recipients = len(reached)
    return report
