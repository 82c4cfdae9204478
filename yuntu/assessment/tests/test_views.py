"""Alert pages and API: staff see their subtree with counts; outsiders neither see nor change; bad input says why."""

from yuntu.assessment.models import Alert, RuleSetting, ScanRun
from yuntu.assessment.scan import run_scan
from yuntu.assessment.workflow import AlertStatus


def branch_alert(cast):
    return Alert.objects.get(org=cast.orgs["branch"], rule="orgs.no_secretary")


def test_staff_see_their_subtree_with_counts(cast, client_for):
    run_scan()
    page = client_for(cast.user("street_secretary")).get("/assessment/").content.decode()
    assert "兴旺社区第一党支部" in page and "山边社区第一党支部" not in page
    assert 'data-rule="orgs.no_secretary"><td><a' in page
    api = client_for(cast.user("street_secretary")).get("/api/assessment/alerts/counts/").json()
    assert {row["code"]: row["count"] for row in api["by_rule"]}["orgs.no_secretary"] == 1
    listing = client_for(cast.user("outsider")).get("/api/assessment/alerts/").json()
    assert {row["org_name"] for row in listing["results"]} == {"山边社区第一党支部"}


def test_an_outsider_neither_sees_nor_explains_an_alert(cast, client_for):
    run_scan()
    alert = branch_alert(cast)
    client = client_for(cast.user("outsider"))
    assert client.get(f"/assessment/alerts/{alert.pk}/").status_code == 404
    assert client.get(f"/api/assessment/alerts/{alert.pk}/").status_code == 404
    client.post(f"/assessment/alerts/{alert.pk}/transition/", {"name": "explain", "reason": "越权说明"})
    response = client.post(f"/api/assessment/alerts/{alert.pk}/transition/", {"name": "explain", "reason": "越权"},
                           content_type="application/json")
    assert response.status_code == 404
    alert.refresh_from_db()
    assert alert.status == AlertStatus.OPEN and alert.explanation == ""


def test_the_branch_explains_and_the_street_accepts_through_the_api(cast, client_for):
    run_scan()
    alert = branch_alert(cast)
    url = f"/api/assessment/alerts/{alert.pk}/transition/"
    secretary = client_for(cast.user("branch_secretary"))
    missing = secretary.post(url, {"name": "explain"}, content_type="application/json")
    assert missing.status_code == 400 and "须说明原因" in missing.json()["message"]
    assert secretary.post(url, {"name": "explain", "reason": "书记调任，待选举"},
                          content_type="application/json").json()["status"] == "explained"
    assert secretary.post(url, {"name": "accept"}, content_type="application/json").status_code == 403
    street = client_for(cast.user("street_secretary"))
    assert street.post(url, {"name": "accept"}, content_type="application/json").json()["status"] == "accepted"


def test_only_the_whole_trees_managers_scan_or_configure(cast, client_for):
    street = client_for(cast.user("street_secretary"))
    assert street.post("/assessment/scan/").status_code == 403
    street.post("/assessment/rules/orglife.theme_day/", {"config": '{"enabled": false}'})
    assert not ScanRun.objects.exists() and not RuleSetting.objects.exists()
    officer = client_for(cast.user("district_officer"))
    response = officer.post("/assessment/rules/orglife.theme_day/", {"config": '{"threshold": 2,'}, follow=True)
    assert "不是有效的JSON" in response.content.decode() and not RuleSetting.objects.exists()
    assert officer.post("/assessment/scan/").status_code == 302 and ScanRun.objects.count() == 1


def test_circular_export_is_a_word_file_for_its_readers_only(cast, client_for):
    import io

    from docx import Document

    from yuntu.assessment import services
    from yuntu.core import clock

    run_scan()
    circular = services.circular_generate(actor=cast.user("street_secretary"), org=cast.orgs["street"],
                                          start=clock.today().replace(day=1), end=clock.today())
    response = client_for(cast.user("street_secretary")).get(f"/assessment/circulars/{circular.pk}/export.docx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.wordprocessingml")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "中共海沧区新阳街道工作委员会" in text
    assert client_for(cast.user("outsider")).get(f"/assessment/circulars/{circular.pk}/export.docx").status_code == 404


def test_a_flag_is_lifted_once_its_problem_is_closed(cast, client_for):
    from yuntu.assessment import services
    from yuntu.assessment.models import WeakLaxFlag
    from yuntu.ledger.models import Problem

    flag = services.weak_lax_flag(actor=cast.user("district_officer"), org=cast.orgs["branch"], reason="书记空缺",
                                  plan="选优配强书记，恢复三会一课")
    officer = client_for(cast.user("district_officer"))
    refused = officer.post(f"/assessment/weak-lax/{flag.pk}/lift/", follow=True).content.decode()
    assert "尚未在整改台账中销号" in refused
    Problem.objects.filter(pk=flag.problem_id).update(status="closed")
    assert client_for(cast.user("outsider")).post(f"/assessment/weak-lax/{flag.pk}/lift/").status_code == 404
    assert WeakLaxFlag.objects.get(pk=flag.pk).status == "rectifying"
    client_for(cast.user("district_officer")).post(f"/assessment/weak-lax/{flag.pk}/lift/")
    assert WeakLaxFlag.objects.get(pk=flag.pk).status == "lifted"
