from django.core.management import call_command

from yuntu.core import chinese
from yuntu.grassroots import demo
from yuntu.grassroots.models import Demand, Enterprise, ResearchTopic
from yuntu.voices.models import Request


def test_the_demo_lands_on_haicangs_figures_and_runs_once(cast, capsys):
    call_command("demo_grassroots")
    out = capsys.readouterr().out
    result = demo.generate_grassroots()
    assert not result.created
    for code, expected in demo.EXPECTED.items():
        assert result.figures[code] == expected, code
    assert "现场解决问题96个" in out and "服务企业511家" in out
    assert ResearchTopic.objects.count() == 221 and Enterprise.objects.count() == demo.ENTERPRISES
    assert Request.objects.filter(channel="visit").count() == Demand.objects.count() == demo.DEMANDS
    for code in Enterprise.objects.values_list("credit_code", flat=True):
        assert chinese.validate_credit_code(code) == code
