"""Writes of assessment and compliance: alerts explained and reviewed, rule settings, scores, red flags,
weak-and-lax flags and circulars. Each is atomic and leaves an audit entry (alerts also a timeline event)."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import can
from yuntu.accounts.roles import Permission
from yuntu.core import clock, workflow
from yuntu.indicators import registry
from yuntu.orglife.access import holds_at_root
from yuntu.orgs.models import Level, Org, levels_above

from . import rules, selectors
from .models import (
    Alert,
    AlertEvent,
    AssessmentPeriod,
    Circular,
    RedFlag,
    RuleSetting,
    SchemeItem,
    Score,
    ScoringScheme,
    StarThreshold,
    WeakLaxFlag,
)
from .workflow import ALERT_TRANSITIONS, CIRCULAR_TRANSITIONS, CircularStatus, ItemMethod, WeakLaxStatus


def points(value: Decimal) -> str:
    """A score as people write it: 60, 92.5 — not 6E+1 or 60.00."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


def _require(actor, permission: str, path: str, message: str) -> None:
    if not can(actor, permission, path=path):
        raise PermissionDenied(message)


@transaction.atomic
def alert_transition(*, actor, alert: Alert, name: str, reason: str = "") -> Alert:
    """情况说明 by the org (explain); the level above accepts or sends the explanation back."""
    transition = workflow.find(ALERT_TRANSITIONS, name)
    alert = Alert.objects.select_for_update().get(pk=alert.pk)
    if name == "explain":
        _require(actor, transition.permission, alert.org_path, "无权为该预警作情况说明。")
    elif not alert.parent_path or not can(actor, transition.permission, path=alert.parent_path):
        raise PermissionDenied("情况说明由上级党组织审核，您无权审核。")
    reason = workflow.begin(transition, noun="预警", status=alert.status, status_label=alert.get_status_display(),
                            reason=reason)
    before = alert.status
    alert.status = transition.target
    if name == "explain":
        alert.explanation, alert.explained_by = reason, actor
    else:
        alert.review_note, alert.reviewed_by = reason[:255], actor
    alert.save()
    AlertEvent.objects.create(alert=alert, action=name, label=f"{transition.label}{'：' + reason if reason else ''}"[:128],
                              actor=actor, occurred_at=clock.now())
    audit_record(actor=actor, action=f"alert.{name}", obj=alert, before={"status": before},
                 after={"status": alert.status, "reason": reason})
    return alert


@transaction.atomic
def rule_configure(*, actor, code: str, config: str) -> RuleSetting:
    """Save staff's JSON overrides of one rule; text that does not parse is refused and nothing is saved."""
    if not holds_at_root(actor, Permission.ASSESSMENT_MANAGE):
        raise PermissionDenied("只有区委组织部可以调整合规规则。")
    rule = rules.get(code)
    if rule is None:
        raise ValidationError({"code": "没有这条规则。"})
    rules.parse_config(rule, config)
    setting, _ = RuleSetting.objects.select_for_update().get_or_create(code=code, defaults={"config": config})
    before = setting.config
    setting.config, setting.updated_by = config.strip(), actor
    setting.save()
    audit_record(actor=actor, action="compliance.rule", obj=setting, before={"config": before},
                 after={"config": setting.config})
    return setting


# --- schemes and periods --------------------------------------------------------------------------

MAX_STARS = 5
MAX_PERIOD_DAYS = 366


def _clean_items(items: list[dict]) -> list[SchemeItem]:
    """The items of a scheme as rows, or every problem with them at once (Chinese, row by row)."""
    rows, errors, names = [], [], set()
    for number, item in enumerate(items, start=1):
        name = (item.get("name") or "").strip()
        method = item.get("method") or ItemMethod.ASSESSOR
        indicator = (item.get("indicator") or "").strip() if method == ItemMethod.AUTOMATIC else ""
        max_score, full_at = item.get("max_score"), item.get("full_at") if method == ItemMethod.AUTOMATIC else None
        label = f"第{number}项“{name}”" if name else f"第{number}项"
        if not name:
            errors.append(f"{label}：请填写考评项目名称。")
        elif name in names:
            errors.append(f"{label}：项目名称重复。")
        names.add(name)
        if method not in ItemMethod.values:
            errors.append(f"{label}：计分方式无效。")
        if max_score is None or max_score <= 0:
            errors.append(f"{label}：满分应大于0。")
        if method == ItemMethod.AUTOMATIC:
            try:
                registry.get(indicator)
            except registry.UnknownIndicator:
                errors.append(f"{label}：自动计分须选择指标库中登记的指标。")
            if full_at is not None and full_at <= 0:
                errors.append(f"{label}：满分对应指标值应大于0。")
        rows.append(SchemeItem(name=name, max_score=max_score, method=method, indicator=indicator, full_at=full_at,
                               position=number))
    if not rows:
        errors.append("方案至少要有一个考评项目。")
    if errors:
        raise ValidationError(errors)
    return rows


def _clean_stars(stars: list[dict], total: Decimal) -> list[StarThreshold]:
    """达标创星 thresholds: distinct star counts, within the scheme's total, more stars for a higher score."""
    rows, errors = [], []
    for row in sorted(stars, key=lambda row: row.get("stars") or 0):
        count, minimum = row.get("stars"), row.get("min_score")
        if count is None or not 1 <= count <= MAX_STARS:
            errors.append(f"星级应在1到{MAX_STARS}之间。")
            continue
        if minimum is None or minimum <= 0 or minimum > total:
            errors.append(f"{count}星的最低得分应大于0且不超过方案总分{points(total)}分。")
            continue
        if rows and rows[-1].stars == count:
            errors.append(f"{count}星的门槛重复。")
        elif rows and rows[-1].min_score >= minimum:
            errors.append(f"{count}星的最低得分应高于{rows[-1].stars}星的{points(rows[-1].min_score)}分。")
        rows.append(StarThreshold(stars=count, min_score=minimum))
    if errors:
        raise ValidationError(errors)
    return rows


def _clean_scheme(org: Org, name: str, target_level: str, items: list[dict], stars) -> tuple:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写方案名称。"})
    if org.level not in levels_above(target_level):
        raise ValidationError({"target_level": "考核对象应是制定单位下级的党组织。"})
    rows = _clean_items(items)
    return name, rows, _clean_stars(list(stars), sum(row.max_score for row in rows))


def _scheme_rows(scheme: ScoringScheme, rows: list[SchemeItem], thresholds: list[StarThreshold]) -> dict:
    """Write a scheme's items and thresholds; what the audit entry keeps of them."""
    for row in [*rows, *thresholds]:
        row.scheme = scheme
    SchemeItem.objects.bulk_create(rows)
    StarThreshold.objects.bulk_create(thresholds)
    return {"name": scheme.name, "target_level": scheme.target_level,
            "items": [[row.name, row.max_score, row.method, row.indicator] for row in rows],
            "stars": [[row.stars, row.min_score] for row in thresholds]}


@transaction.atomic
def scheme_create(*, actor, org: Org, name: str, target_level: str, description: str = "", items: list[dict],
                  stars: list[dict] = ()) -> ScoringScheme:
    """考评方案: a rubric of items (scored from an indicator or by an assessor) and its star thresholds, whole or not
    at all; the org that sets it and every org under it may assess with it."""
    _require(actor, Permission.ASSESSMENT_MANAGE, org.path, "无权为该组织制定考评方案。")
    name, rows, thresholds = _clean_scheme(org, name, target_level, items, stars)
    scheme = ScoringScheme.objects.create(org=org, org_path=org.path, name=name, target_level=target_level,
                                          description=(description or "").strip())
    audit_record(actor=actor, action="assessment.scheme_create", obj=scheme,
                 after=_scheme_rows(scheme, rows, thresholds))
    return scheme


@transaction.atomic
def scheme_update(*, actor, scheme: ScoringScheme, name: str, target_level: str, description: str = "",
                  items: list[dict], stars: list[dict] = ()) -> ScoringScheme:
    """Correct a scheme while nobody has been scored under it: its items and thresholds are replaced whole."""
    scheme = ScoringScheme.objects.select_for_update().select_related("org").get(pk=scheme.pk)
    _require(actor, Permission.ASSESSMENT_MANAGE, scheme.org_path, "无权修改该考评方案。")
    if selectors.scheme_is_scored(scheme):
        raise ValidationError("已有单位按该方案评分，方案不能再修改；如需调整，请制定新方案。")
    name, rows, thresholds = _clean_scheme(scheme.org, name, target_level, items, stars)
    before = _scheme_as_it_is(scheme)
    scheme.name, scheme.target_level, scheme.description = name, target_level, (description or "").strip()
    scheme.save(update_fields=["name", "target_level", "description", "updated_at"])
    scheme.items.all().delete()
    scheme.stars.all().delete()
    audit_record(actor=actor, action="assessment.scheme_update", obj=scheme, before=before,
                 after=_scheme_rows(scheme, rows, thresholds))
    return scheme


def _scheme_as_it_is(scheme: ScoringScheme) -> dict:
    """The scheme as the audit trail keeps it before a correction or a deletion."""
    return {"name": scheme.name, "target_level": scheme.target_level,
            "items": list(scheme.items.values_list("name", "max_score", "method", "indicator")),
            "stars": list(scheme.stars.values_list("stars", "min_score"))}


@transaction.atomic
def scheme_delete(*, actor, scheme: ScoringScheme) -> None:
    """Remove a scheme set by mistake, while no period applies it (no score, ranking or circular refers to it)."""
    scheme = ScoringScheme.objects.select_for_update().select_related("org").get(pk=scheme.pk)
    _require(actor, Permission.ASSESSMENT_MANAGE, scheme.org_path, "无权删除该考评方案。")
    if selectors.scheme_has_periods(scheme):
        raise ValidationError("该方案已设立考核期，不能删除；不再使用的方案不必删除，不再按它设立考核期即可。")
    audit_record(actor=actor, action="assessment.scheme_delete", obj=scheme, before=_scheme_as_it_is(scheme))
    scheme.delete()


@transaction.atomic
def period_create(*, actor, scheme: ScoringScheme, org: Org, name: str, start: datetime.date,
                  end: datetime.date) -> AssessmentPeriod:
    """A period a scheme is applied in; `org` is the group whose units of the scheme's level compete."""
    _require(actor, Permission.ASSESSMENT_MANAGE, org.path, "无权在该组织开展考评。")
    if not org.path.startswith(scheme.org_path):
        raise ValidationError({"org": f"“{scheme.name}”由{scheme.org.name}制定，只能在其所辖组织中使用。"})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写考核期名称。"})
    if start is None or end is None or end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise ValidationError({"end": "一个考核期不超过一年。"})
    period = AssessmentPeriod(scheme=scheme, org=org, org_path=org.path, name=name, start=start, end=end)
    if not competitors(period).exists():
        raise ValidationError({"org": f"{org.name}下没有“{Level(scheme.target_level).label}”一级的参评单位。"})
    if AssessmentPeriod.objects.filter(scheme=scheme, org=org, start=start, end=end).exists():
        raise ValidationError({"name": "该组织已有同一方案、同一期间的考核期。"})
    period.save()
    audit_record(actor=actor, action="assessment.period_create", obj=period, after={
        "scheme": scheme.pk, "name": name, "start": start, "end": end})
    return period


# --- scores ---------------------------------------------------------------------------------------


def competitors(period: AssessmentPeriod):
    """The units that compete in a period: the orgs of the scheme's level under the period's group."""
    return Org.objects.filter(path__startswith=period.org_path, level=period.scheme.target_level,
                              is_active=True).exclude(pk=period.org_id)


def _check_unit(period: AssessmentPeriod, org: Org) -> None:
    if not org.path.startswith(period.org_path) or org.pk == period.org_id or org.level != period.scheme.target_level:
        raise ValidationError({"org": "该单位不是本考核期的考核对象。"})


@transaction.atomic
def score_record(*, actor, period: AssessmentPeriod, item: SchemeItem, org: Org, score: Decimal,
                 evidence: str = "") -> Score:
    """An assessor's score of one unit on one item, with evidence; above the item's maximum is refused."""
    _require(actor, Permission.ASSESSMENT_MANAGE, period.org_path, "无权为该考核期评分。")
    if item.scheme_id != period.scheme_id:
        raise ValidationError({"item": "该项目不属于本考核期的方案。"})
    if item.method != ItemMethod.ASSESSOR:
        raise ValidationError({"item": f"“{item.name}”由系统根据数据自动计分，不能手工评分。"})
    _check_unit(period, org)
    if score is None or score < 0:
        raise ValidationError({"score": "得分不能为负数。"})
    if score > item.max_score:
        raise ValidationError({"score": f"得分{points(score)}超过“{item.name}”的满分{points(item.max_score)}分。"})
    if not (evidence or "").strip():
        raise ValidationError({"evidence": "请填写评分依据。"})
    row, created = Score.objects.select_for_update().get_or_create(
        period=period, item=item, org=org,
        defaults={"org_path": org.path, "score": score, "evidence": evidence.strip(), "assessor": actor})
    before = None if created else {"score": row.score}
    if not created:
        row.score, row.evidence, row.assessor = score, evidence.strip(), actor
        row.save()
    audit_record(actor=actor, action="assessment.score", obj=row, org=org, before=before,
                 after={"item": item.pk, "score": score, "evidence": evidence.strip()})
    return row


def _automatic_score(item: SchemeItem, value) -> Decimal:
    if not item.full_at:
        return item.max_score if value else Decimal("0")
    ratio = min(Decimal(str(value)) / item.full_at, Decimal("1"))
    return (item.max_score * ratio).quantize(Decimal("0.01"))


@transaction.atomic
def scores_compute(*, actor, period: AssessmentPeriod) -> int:
    """Score every automatic item for every unit from its indicator: one grouped query per item."""
    _require(actor, Permission.ASSESSMENT_MANAGE, period.org_path, "无权为该考核期计分。")
    units = list(competitors(period).values_list("pk", "path"))
    scope = registry.Scope(org_path=period.org_path, start=period.start,
                           end=period.end + datetime.timedelta(days=1))
    written = 0
    for item in period.scheme.items.filter(method=ItemMethod.AUTOMATIC):
        try:
            indicator = registry.get(item.indicator)
        except registry.UnknownIndicator:
            raise ValidationError(f"“{item.name}”引用的指标“{item.indicator}”未在指标库中登记。") from None
        values = _values_by_unit(indicator, scope, [path for _pk, path in units])
        Score.objects.filter(period=period, item=item).delete()
        Score.objects.bulk_create([
            Score(period=period, item=item, org_id=pk, org_path=path, score=_automatic_score(item, values.get(path, 0)),
                  evidence=f"{indicator.name}：{values.get(path, 0)}{indicator.unit}", automatic=True)
            for pk, path in units])
        written += len(units)
    audit_record(actor=actor, action="assessment.compute", obj=period, after={"scores": written})
    return written


def _values_by_unit(indicator, scope, unit_paths: list[str]) -> dict[str, object]:
    """The indicator's value for each unit's subtree: grouped by the unit's path prefix (units share one depth)."""
    from django.db.models.functions import Substr

    if not unit_paths:
        return {}
    length = len(unit_paths[0])
    rows = (registry.records_in(indicator, scope).annotate(unit=Substr(indicator.path_field, 1, length))
            .filter(unit__in=unit_paths).values("unit").annotate(value=indicator.aggregate()).order_by())
    return {row["unit"]: row["value"] or 0 for row in rows}


def ranking(period: AssessmentPeriod) -> list[dict]:
    """Totals of the period's units, best first, with their rank and stars (one grouped query)."""
    totals = dict(Score.objects.filter(period=period).order_by().values("org_id").annotate(total=Sum("score"))
                  .values_list("org_id", "total"))
    thresholds = list(period.scheme.stars.values_list("stars", "min_score"))
    rows = [{"org": org, "total": totals.get(org.pk, Decimal("0"))} for org in competitors(period).order_by("path")]
    rows.sort(key=lambda row: (-row["total"], row["org"].path))
    previous = None
    for index, row in enumerate(rows, start=1):
        row["rank"] = previous["rank"] if previous and previous["total"] == row["total"] else index
        row["stars"] = next((stars for stars, minimum in thresholds if row["total"] >= minimum), 0)
        previous = row
    return rows


@transaction.atomic
def red_flag_award(*, actor, period: AssessmentPeriod) -> RedFlag:
    """流动红旗: the top unit of the period takes the flag; each period awards it once."""
    _require(actor, Permission.ASSESSMENT_MANAGE, period.org_path, "无权授予流动红旗。")
    period = AssessmentPeriod.objects.select_for_update().get(pk=period.pk)
    if RedFlag.objects.filter(period=period).exists():
        raise ValidationError("本期流动红旗已经授予。")
    rows = ranking(period)
    if not rows or rows[0]["total"] <= 0:
        raise ValidationError("本期尚无评分，不能授予流动红旗。")
    if len(rows) > 1 and rows[1]["total"] == rows[0]["total"]:
        raise ValidationError(f"{rows[0]['org'].name}与{rows[1]['org'].name}得分相同，请复核评分后再授予。")
    top = rows[0]
    try:
        with transaction.atomic():
            flag = RedFlag.objects.create(period=period, org=top["org"], org_path=top["org"].path, total=top["total"],
                                          awarded_by=actor)
    except IntegrityError:
        raise ValidationError("本期流动红旗已经授予。") from None
    audit_record(actor=actor, action="assessment.red_flag", obj=flag, after={"period": period.pk, "total": top["total"]})
    return flag


@transaction.atomic
def weak_lax_flag(*, actor, org: Org, reason: str, plan: str) -> WeakLaxFlag:
    """软弱涣散: put an org under rectification; its plan is entered in the ledger as a problem of the org."""
    from yuntu.ledger import services as ledger_services

    _require(actor, Permission.ASSESSMENT_MANAGE, org.path, "无权认定软弱涣散党组织。")
    if len((reason or "").strip()) < 4 or len((plan or "").strip()) < 4:
        raise ValidationError("请写明主要问题和整顿方案。")
    if WeakLaxFlag.objects.filter(org=org, status=WeakLaxStatus.RECTIFYING).exists():
        raise ValidationError(f"{org.name}已在整顿中。")
    problem = ledger_services.problem_create(
        actor=actor, org=org, title=f"软弱涣散党组织整顿：{reason.strip()[:60]}", source="upper",
        category="party_building", found_on=clock.today(), description=f"主要问题：{reason.strip()}\n整顿方案：{plan.strip()}",
        batch="软弱涣散党组织整顿")
    flag = WeakLaxFlag.objects.create(org=org, org_path=org.path, reason=reason.strip(), plan=plan.strip(),
                                      flagged_on=clock.today(), problem=problem, flagged_by=actor)
    audit_record(actor=actor, action="assessment.weak_lax", obj=flag, after={"problem": problem.pk})
    return flag


@transaction.atomic
def weak_lax_lift(*, actor, flag: WeakLaxFlag) -> WeakLaxFlag:
    flag = WeakLaxFlag.objects.select_for_update(of=("self",)).select_related("problem").get(pk=flag.pk)
    _require(actor, Permission.ASSESSMENT_MANAGE, flag.org_path, "无权为该组织摘帽。")
    if flag.status != WeakLaxStatus.RECTIFYING:
        raise ValidationError("该组织不在整顿中。")
    if flag.problem is not None and flag.problem.status != "closed":
        raise ValidationError("整顿问题尚未在整改台账中销号，不能摘帽。")
    flag.status, flag.lifted_on = WeakLaxStatus.LIFTED, clock.today()
    flag.save(update_fields=["status", "lifted_on", "updated_at"])
    audit_record(actor=actor, action="assessment.weak_lax_lift", obj=flag, after={"status": flag.status})
    return flag


# --- circulars -----------------------------------------------------------------------------------


@transaction.atomic
def circular_generate(*, actor, org: Org, start: datetime.date, end: datetime.date) -> Circular:
    """Draft a circular from the alerts of the period (units with lapses) and the scores (best units)."""
    from . import selectors

    _require(actor, Permission.ASSESSMENT_MANAGE, org.path, "无权为该组织起草通报。")
    if end < start:
        raise ValidationError({"end": "结束日期不能早于开始日期。"})
    if end > clock.today():
        raise ValidationError({"end": "通报期间不能晚于今天。"})
    content = selectors.circular_content(org=org, start=start, end=end)
    circular = Circular.objects.create(
        org=org, org_path=org.path, title=f"关于{start:%Y年%m月%d日}至{end:%Y年%m月%d日}基层党组织建设情况的通报",
        period_start=start, period_end=end, lapses=content["lapses"], commendations=content["commendations"],
        closing="请存在问题的党组织对照通报内容，于15个工作日内完成整改，并将整改情况报上级党组织。", created_by=actor)
    audit_record(actor=actor, action="circular.generate", obj=circular, after={"title": circular.title})
    return circular


@transaction.atomic
def circular_update(*, actor, circular: Circular, title: str, lapses: str, commendations: str, closing: str) -> Circular:
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    _require(actor, Permission.ASSESSMENT_MANAGE, circular.org_path, "无权修改该通报。")
    if circular.status != CircularStatus.DRAFT:
        raise ValidationError("通报发布后不能再修改。")
    if not title.strip():
        raise ValidationError({"title": "请填写标题。"})
    before = {"title": circular.title, "lapses": circular.lapses, "commendations": circular.commendations}
    circular.title, circular.lapses = title.strip(), lapses.strip()
    circular.commendations, circular.closing = commendations.strip(), closing.strip()
    circular.save()
    audit_record(actor=actor, action="circular.update", obj=circular, before=before,
                 after={"title": circular.title, "lapses": circular.lapses, "commendations": circular.commendations})
    return circular


@transaction.atomic
def circular_publish(*, actor, circular: Circular) -> Circular:
    """发布: the circular becomes visible to every org in the publishing org's subtree."""
    transition = workflow.find(CIRCULAR_TRANSITIONS, "publish")
    circular = Circular.objects.select_for_update().get(pk=circular.pk)
    _require(actor, transition.permission, circular.org_path, "无权发布该通报。")
    workflow.begin(transition, noun="通报", status=circular.status, status_label=circular.get_status_display())
    circular.status, circular.published_at = transition.target, clock.now()
    circular.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(actor=actor, action="circular.publish", obj=circular, after={"status": circular.status})
    return circular
