"""Reads of compliance alerts, assessments and circulars, limited to what the acting user may see."""

import datetime

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr

from yuntu.accounts.policy import scope_paths, scope_q, visible
from yuntu.accounts.roles import Permission
from yuntu.orgs.models import Level, Org, levels_above

from . import rules
from .models import Alert, AssessmentPeriod, RedFlag, ScanRun, ScoringScheme, WeakLaxFlag
from .workflow import ACTIVE_ALERT_STATUSES, Severity

STEP = Org.steplen


def alerts_visible_to(user) -> QuerySet[Alert]:
    return visible(user, Alert, Permission.ASSESSMENT_VIEW).select_related("org")


def alert_list(user, *, org: Org | None = None, rule: str = "", status: str = "", severity: str = "",
               active_only: bool = True) -> QuerySet[Alert]:
    alerts = alerts_visible_to(user)
    if org is not None:
        alerts = alerts.filter(org_path__under=org.path)
    if rule:
        alerts = alerts.filter(rule=rule)
    if status:
        alerts = alerts.filter(status=status)
    elif active_only:
        alerts = alerts.filter(status__in=ACTIVE_ALERT_STATUSES)
    if severity:
        alerts = alerts.filter(severity=severity)
    return alerts.order_by("-escalated", "-last_seen_at", "org_path", "id")


def counts_by_rule(user, *, org: Org) -> list[dict]:
    """Active alerts under org by rule (one grouped query), every declared rule listed."""
    rows = dict(alert_list(user, org=org).order_by().values("rule").annotate(n=Count("id")).values_list("rule", "n"))
    return [{"code": rule.code, "name": rule.name, "period": rule.period_label, "count": rows.get(rule.code, 0)}
            for rule in rules.all_rules()]


def counts_by_unit(user, *, org: Org) -> list[dict]:
    """Active alerts of each child unit of org (its whole subtree), most first (one grouped query)."""
    rows = list(alert_list(user, org=org).exclude(org_path=org.path).order_by()
                .annotate(child=Substr("org_path", 1, len(org.path) + STEP)).values("child")
                .annotate(n=Count("id"), lapses=Count("id", filter=Q(severity=Severity.LAPSE)),
                          escalated=Count("id", filter=Q(escalated=True))))
    own = alert_list(user, org=org).filter(org_path=org.path).count()
    orgs = {o.path: o for o in Org.objects.filter(path__in=[row["child"] for row in rows])}
    for row in rows:
        row["org"] = orgs.get(row["child"])
    rows = [row for row in rows if row["org"] is not None]
    if own:
        rows.append({"child": org.path, "org": org, "n": own, "lapses": None, "escalated": None, "own": True})
    return sorted(rows, key=lambda row: (-row["n"], row["child"]))


def alert_roots_for(user) -> QuerySet[Org]:
    from yuntu.orglife.selectors import orglife_roots_for

    return orglife_roots_for(user, permission=Permission.ASSESSMENT_VIEW)


def assessment_orgs_visible_to(user, *, permission: str = Permission.ASSESSMENT_VIEW) -> QuerySet[Org]:
    return visible(user, Org, permission)


def last_scan() -> ScanRun | None:
    return ScanRun.objects.order_by("-started_at", "-id").first()


def periods_visible_to(user) -> QuerySet[AssessmentPeriod]:
    return (visible(user, AssessmentPeriod, Permission.ASSESSMENT_VIEW).select_related("scheme", "org")
            .order_by("-end", "-id"))


def schemes_visible_to(user) -> QuerySet[ScoringScheme]:
    """Schemes set within the user's scope, and those of the orgs above it: a rubric the district publishes is the
    one its streets and communities assess with."""
    paths = scope_paths(user, Permission.ASSESSMENT_VIEW)
    above = {path[:end] for path in paths for end in range(STEP, len(path), STEP)}
    return (ScoringScheme.objects.filter(scope_q(user, Permission.ASSESSMENT_VIEW, "org_path") | Q(org_path__in=above))
            .select_related("org").annotate(item_count=Count("items", distinct=True),
                                            period_count=Count("periods", distinct=True))
            .order_by("org_path", "name", "id"))


def scheme_orgs_for(user) -> QuerySet[Org]:
    """Where the user may set a scheme: orgs they manage assessment in, above the branches."""
    return (visible(user, Org, Permission.ASSESSMENT_MANAGE)
            .filter(is_active=True, level__in=[Level.DISTRICT, Level.STREET, Level.COMMUNITY]).order_by("path"))


def period_groups_for(user, scheme: ScoringScheme) -> QuerySet[Org]:
    """The groups a period of `scheme` may compete in: managed orgs under the scheme's org, above its units' level."""
    return (visible(user, Org, Permission.ASSESSMENT_MANAGE)
            .filter(path__under=scheme.org_path, is_active=True, level__in=levels_above(scheme.target_level))
            .order_by("path"))


def red_flag_of(period: AssessmentPeriod) -> RedFlag | None:
    """The period's red flag, once awarded (the caller has looked the period up for its user)."""
    return RedFlag.objects.filter(period=period).select_related("org").first()


def scheme_has_periods(scheme: ScoringScheme) -> bool:
    """Is the scheme applied in any period? Then rankings and circulars refer to it, and it stays."""
    return scheme.periods.exists()


def scheme_is_scored(scheme: ScoringScheme) -> bool:
    """Has any unit been scored under the scheme? From then on it stays as it was scored."""
    from .models import Score

    return Score.objects.filter(period__scheme=scheme).exists()


def red_flags_of(user, *, group: Org) -> QuerySet[RedFlag]:
    """The rotation of a group's red flag, newest first."""
    return (visible(user, RedFlag, Permission.ASSESSMENT_VIEW).filter(period__org=group)
            .select_related("org", "period").order_by("-period__end"))


def weak_lax_visible_to(user) -> QuerySet[WeakLaxFlag]:
    return visible(user, WeakLaxFlag, Permission.ASSESSMENT_VIEW).select_related("org", "problem")


def published_circular_filter(user) -> Q:
    """A published circular reaches its publisher's whole subtree: users whose grants sit on or under its org
    (users above it see it through their assessment scope)."""
    from yuntu.accounts.policy import _grants
    from yuntu.accounts.roles import Role

    condition = Q(pk__in=[])
    for role, path in _grants(user):
        if role == Role.RESIDENT:  # circulars are internal to the party organisations
            continue
        ancestors = [path[:end] for end in range(STEP, len(path) + 1, STEP)]
        condition |= Q(org_path__in=ancestors)
    if getattr(user, "is_superuser", False):
        condition = Q()
    return condition


def circular_content(*, org: Org, start: datetime.date, end: datetime.date) -> dict:
    """The draft text of a circular: lapses by unit (from alerts) and the best units (from assessment)."""
    end_exclusive = end + datetime.timedelta(days=1)
    alerts = (Alert.objects.filter(org_path__under=org.path, severity=Severity.LAPSE, raised_at__date__gte=start,
                                   raised_at__date__lt=end_exclusive).exclude(status="accepted")
              .select_related("org").order_by("org_path", "rule"))
    by_unit: dict[int, list[Alert]] = {}
    units: dict[int, Org] = {}
    for alert in alerts[:2000]:
        by_unit.setdefault(alert.org_id, []).append(alert)
        units[alert.org_id] = alert.org
    lines = []
    for index, (org_id, unit_alerts) in enumerate(sorted(by_unit.items(), key=lambda item: -len(item[1])), start=1):
        names = "；".join(f"{rules.get(a.rule).name if rules.get(a.rule) else a.rule}（{a.detail}）" for a in unit_alerts)
        lines.append(f"{index}. {units[org_id].name}：{names}。")
        if index >= 50:
            lines.append(f"另有{len(by_unit) - 50}个单位存在问题，详见合规预警清单。")
            break
    best = []
    periods = (AssessmentPeriod.objects.filter(org_path__under=org.path, end__gte=start, end__lte=end)
               .select_related("scheme", "org").order_by("-end"))
    from .services import points, ranking

    for period in periods[:3]:
        top = [row for row in ranking(period)[:3] if row["total"] > 0]
        flag = RedFlag.objects.filter(period=period).select_related("org").first()
        if top:
            named = "、".join(f"{row['org'].name}（{points(row['total'])}分）" for row in top)
            best.append(f"{period.name}“{period.scheme.name}”考评中，{named}位居前{len(top)}名"
                        + (f"，{flag.org.name}获流动红旗。" if flag else "。"))
    return {"lapses": "\n".join(lines) or "本期未发现组织生活和党员管理方面的问题。",
            "commendations": "\n".join(best) or "本期暂无考评结果。", "unit_count": len(by_unit),
            "alert_count": sum(len(items) for items in by_unit.values())}
