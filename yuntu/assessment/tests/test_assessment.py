"""Assessment: automatic and assessor scores, ranking, stars, the red flag, weak and lax orgs, circulars."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from yuntu.accounts.models import AuditEntry
from yuntu.assessment import services
from yuntu.assessment.exports import circular_docx
from yuntu.assessment.models import Circular, RedFlag, Score
from yuntu.assessment.scan import run_scan
from yuntu.core import clock
from yuntu.ledger.models import Problem
from yuntu.orglife.tests.factories import held_meeting

from .factories import scheme_and_period


def test_a_score_above_the_items_maximum_is_refused(cast):
    setup = scheme_and_period(cast)
    officer = cast.user("district_officer")
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError, match="超过“阵地建设与党员教育”的满分60分"):
        services.score_record(actor=officer, period=setup["period"], item=setup["manual"], org=cast.orgs["branch"],
                              score=Decimal("61"), evidence="阵地规范")
    with pytest.raises(ValidationError, match="自动计分"):
        services.score_record(actor=officer, period=setup["period"], item=setup["automatic"], org=cast.orgs["branch"],
                              score=Decimal("10"), evidence="手工")
    with pytest.raises(PermissionDenied):
        services.score_record(actor=cast.user("outsider"), period=setup["period"], item=setup["manual"],
                              org=cast.orgs["branch"], score=Decimal("10"), evidence="越权")
    assert not Score.objects.exists() and AuditEntry.objects.count() == before


def test_ranking_stars_and_the_red_flag(cast):
    setup = scheme_and_period(cast)
    officer, secretary = cast.user("district_officer"), cast.user("branch_secretary")
    for days in (1, 8, 15):
        held_meeting(secretary, cast.orgs["branch"], when=clock.now() - datetime.timedelta(days=days))
    period = setup["period"]
    services.scores_compute(actor=officer, period=period)
    assert Score.objects.get(org=cast.orgs["branch"], item=setup["automatic"]).score == Decimal("40.00")
    assert Score.objects.get(org=setup["second"], item=setup["automatic"]).score == Decimal("0.00")
    services.score_record(actor=officer, period=period, item=setup["manual"], org=cast.orgs["branch"],
                          score=Decimal("52"), evidence="党员活动室规范，学习台账齐全")
    services.score_record(actor=officer, period=period, item=setup["manual"], org=setup["second"],
                          score=Decimal("58"), evidence="阵地建设突出")
    rows = services.ranking(period)
    assert [(row["org"].name, row["total"], row["rank"], row["stars"]) for row in rows] == [
        ("兴旺社区第一党支部", Decimal("92.00"), 1, 5), ("兴旺社区第二党支部", Decimal("58.00"), 2, 0)]
    flag = services.red_flag_award(actor=officer, period=period)
    assert flag.org == cast.orgs["branch"] and flag.total == Decimal("92.00")
    with pytest.raises(ValidationError, match="已经授予"):
        services.red_flag_award(actor=officer, period=period)
    assert RedFlag.objects.count() == 1


def test_weak_and_lax_flag_enters_the_ledger(cast):
    officer = cast.user("district_officer")
    flag = services.weak_lax_flag(actor=officer, org=cast.orgs["branch"], reason="组织生活长期不正常，书记空缺",
                                  plan="街道班子成员包联，三个月内选优配强书记，恢复三会一课")
    problem = Problem.objects.get(pk=flag.problem_id)
    assert problem.org == cast.orgs["branch"] and problem.batch == "软弱涣散党组织整顿"
    assert "恢复三会一课" in problem.description
    with pytest.raises(ValidationError, match="已在整顿中"):
        services.weak_lax_flag(actor=officer, org=cast.orgs["branch"], reason="重复认定", plan="重复认定方案")
    with pytest.raises(ValidationError, match="尚未在整改台账中销号"):
        services.weak_lax_lift(actor=officer, flag=flag)


def test_a_circular_names_lapses_and_the_best_units_and_exports_as_word(cast):
    setup = scheme_and_period(cast)
    officer = cast.user("district_officer")
    today = clock.today()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    run_scan()
    services.score_record(actor=officer, period=setup["period"], item=setup["manual"], org=setup["second"],
                          score=Decimal("55"), evidence="阵地建设突出")
    services.red_flag_award(actor=officer, period=setup["period"])
    circular = services.circular_generate(actor=officer, org=cast.orgs["district"], start=last_month.replace(day=1),
                                          end=today)
    assert "兴旺社区第一党支部" in circular.lapses and "山边社区第一党支部" in circular.lapses
    assert "兴旺社区第二党支部（55分）" in circular.commendations and "获流动红旗" in circular.commendations
    with pytest.raises(ValidationError, match="不能晚于今天"):
        services.circular_generate(actor=officer, org=cast.orgs["district"], start=today,
                                   end=today + datetime.timedelta(days=1))
    services.circular_update(actor=officer, circular=circular, title="关于基层党组织组织生活情况的通报",
                             lapses=circular.lapses, commendations=circular.commendations, closing="限期整改。")
    services.circular_publish(actor=officer, circular=circular)
    document = Document(io.BytesIO(circular_docx(Circular.objects.get(pk=circular.pk))))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert text.startswith("关于基层党组织组织生活情况的通报") and "一、存在问题的单位" in text
    assert "限期整改。" in text and "兴旺社区第二党支部（55分）" in text


def test_a_published_circular_reaches_the_subtree_only(cast, client_for):
    officer = cast.user("district_officer")
    street = services.circular_generate(actor=cast.user("street_secretary"), org=cast.orgs["street"],
                                        start=clock.today().replace(day=1), end=clock.today())
    assert client_for(cast.user("branch_secretary")).get(f"/assessment/circulars/{street.pk}/").status_code == 404
    services.circular_publish(actor=officer, circular=street)
    assert client_for(cast.user("branch_secretary")).get(f"/assessment/circulars/{street.pk}/").status_code == 200
    assert client_for(cast.user("outsider")).get(f"/assessment/circulars/{street.pk}/").status_code == 404
    assert client_for(cast.user("resident")).get(f"/assessment/circulars/{street.pk}/").status_code in (403, 404)


def test_every_compliance_rule_is_named_and_described_in_english():
    """Rules declared by other apps' compliance.py carry their English names in those apps' catalogues."""
    from django.utils import translation

    from yuntu.assessment import rules

    codes = {rule.code for rule in rules.all_rules()}
    assert {"campaigns.task_overdue", "publicity.overdue", "claims.need_unclaimed"} <= codes
    with translation.override("en"):
        untranslated = [text for rule in rules.all_rules() for text in (rule.name, rule.description, rule.applies_to)
                        if translation.gettext(text) == text]
    assert untranslated == []
