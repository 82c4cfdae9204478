"""Compliance over affairs publicity: an entry not published by its due period raises an alert; publishing clears it."""

from yuntu.assessment.models import Alert
from yuntu.assessment.scan import run_scan
from yuntu.core import clock
from yuntu.publicity import services
from yuntu.publicity.catalogue import REQUIREMENTS, Catalogue, last_due_period


def alerts() -> dict[str, str]:
    return dict(Alert.objects.filter(rule="publicity.overdue").values_list("org__name", "status"))


def test_unpublished_entries_raise_an_alert_until_the_branch_publishes_them(cast):
    branch, other = cast.orgs["branch"], cast.orgs["other_branch"]
    run_scan()
    assert alerts()[branch.name] == "open" and alerts()[other.name] == "open"
    required = [requirement for requirement in REQUIREMENTS if requirement.level == branch.level]
    alert = Alert.objects.get(rule="publicity.overdue", org=branch)
    assert alert.subject_count == len(required) and f"“{Catalogue.DUES.label}”" in alert.detail
    for requirement in required:
        start, end = last_due_period(clock.today(), requirement.frequency)
        services.publication_save(actor=cast.user("branch_secretary"), org=branch, catalogue=requirement.catalogue,
                                  title=f"{Catalogue(requirement.catalogue).label}公开", body="<p>公开内容</p>",
                                  period_start=start, period_end=end, publish=True)
    run_scan()
    assert alerts()[branch.name] == "resolved" and alerts()[other.name] == "open"
