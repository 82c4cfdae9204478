"""The figures of campaigns, declared once: counted per owner org's subtree (tasks) or lead org (campaigns, projects)."""

from django.db.models import Count, FloatField, Q, Value
from django.db.models.functions import Cast, NullIf

from yuntu.core import clock
from yuntu.indicators.registry import Indicator, Unit, register

from .models import Campaign, Project, Task
from .selectors import done_on_time, overdue
from .workflow import TaskStatus


def _on_time_rate():
    """Tasks done on time ÷ tasks due (done, or open past deadline), in percent; NULL when nothing is due."""
    due = Count("pk", filter=Q(status=TaskStatus.DONE) | overdue(clock.today()))
    on_time = Count("pk", filter=done_on_time())
    return Cast(on_time, FloatField()) * Value(100.0) / NullIf(Cast(due, FloatField()), Value(0.0))


register(
    Indicator(code="campaigns.campaigns", name="专项行动", unit=Unit.MATTER,
              definition="牵头单位在该范围内的专项行动数，按开始日期计入时段。",
              records=lambda: Campaign.objects.all(), date_field="start_date",
              phrases=("专项行动", "大专项行动", "党建引领专项行动")),
    Indicator(code="campaigns.projects", name="攻坚项目", unit=Unit.ITEM,
              definition="牵头单位在该范围内的专项行动项目数，按计划开始日期计入时段。",
              records=lambda: Project.objects.all(), date_field="planned_start",
              phrases=("项目", "细化项目", "攻坚项目", "设岗定责项目")),
    Indicator(code="campaigns.tasks", name="攻坚任务", unit=Unit.MATTER,
              definition="责任单位在该范围内的专项行动任务数，按完成时限计入时段。",
              records=lambda: Task.objects.all(), date_field="deadline",
              phrases=("任务", "细化任务", "攻坚任务", "条任务")),
    Indicator(code="campaigns.tasks_done", name="已完成任务", unit=Unit.MATTER,
              definition="已报告完成的任务数，按实际完成日期计入时段。",
              records=lambda: Task.objects.filter(status=TaskStatus.DONE), date_field="completed_on",
              phrases=("完成任务", "已完成")),
    Indicator(code="campaigns.tasks_overdue", name="逾期任务", unit=Unit.MATTER,
              definition="今天仍未完成且已过完成时限的任务数（存量，不按时段）。",
              records=lambda: Task.objects.filter(overdue(clock.today())), tallied=False,
              phrases=("逾期任务", "逾期未完成")),
    Indicator(code="campaigns.on_time_rate", name="按期完成率", unit=Unit.PERCENT,
              definition="按期完成的任务 ÷ 到期任务（已完成的，或未完成但已过完成时限的），按完成时限计入时段。",
              records=lambda: Task.objects.all(), date_field="deadline", aggregate=_on_time_rate,
              phrases=("按期完成率", "按时完成率")),
)
