"""A series and a template of the district, shared by the briefings and browser tests."""

from .models import BriefingSeries, BriefingTemplate

TEMPLATE_BODY = """# 一、检视整改
{期间}，{单位}梳理问题{ledger.problems}，制定整改措施{ledger.measures}，完成{ledger.measures_completed}，整改完成率{ledger.completion_rate}。

{table:ledger.problems,ledger.measures,ledger.measures_completed,ledger.completion_rate}

# 二、群众诉求
受理群众诉求{voices.requests}，办结{voices.requests_resolved}；征集群众意见建议{voices.suggestions}，采纳{voices.suggestions_adopted}。

{list:ledger.problems:3}"""


def district_series_and_template(cast) -> tuple[BriefingSeries, BriefingTemplate]:
    district = cast.orgs["district"]
    series, _ = BriefingSeries.objects.get_or_create(
        org=district, name="主题教育工作简报",
        defaults={"org_path": district.path, "issuer": "海沧区委主题教育办公室", "document_prefix": "海委教办",
                  "next_number": 27})
    template, _ = BriefingTemplate.objects.get_or_create(
        org=district, name="月度工作简报",
        defaults={"org_path": district.path, "title": "{单位}主题教育进展情况（{期号}）", "body": TEMPLATE_BODY})
    return series, template
