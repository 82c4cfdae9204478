"""The demo district's nine special actions (九大专项行动) with their projects, tasks, posts and progress.

The seed describes a roadmap of 23 projects and 78 tasks, each with key point, owner, schedule and
deadline, "fought from the wall map"; the first campaign here is that roadmap. The other eight
carry four projects of three tasks each. Dates are laid out around today from one seeded random
generator, so some tasks are done on time, some late, some open past their deadline (overdue),
and three projects of the first campaign have a project HQ with a temporary branch. Every project
has posts with duties and holders (设岗定责), and the tasks are assigned to them. Written in bulk,
with one audit entry; a campaign that already exists under the district is left as it is.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from yuntu.accounts.audit import audit_record
from yuntu.core import clock
from yuntu.demo.history import history_kept
from yuntu.orgs import services as org_services
from yuntu.orgs.models import Level, Member, Org

from .models import Campaign, CampaignEvent, HQMembership, Post, Project, Task, TaskProgress
from .workflow import TaskStatus

DIVISION_CODE = "350205"
DEFAULT_SEED = 2021
AUDIT_ACTION = "campaigns.demo_generate"
ROADMAP = {"projects": 23, "tasks": 78}
OTHER_PROJECTS, OTHER_TASKS = 4, 3

CAMPAIGNS = [
    ("党建引领项目攻坚专项行动", "制定攻坚路线图，细化项目和任务，明确工作要点、责任主体、时序安排和完成时限，挂图作战。"),
    ("党建引领乡村振兴专项行动", "推动村级集体经济发展，打造乡村振兴示范村。"),
    ("党建引领城市更新专项行动", "老旧小区改造、城中村整治与“红色物业”同步推进。"),
    ("近邻党建“百日攻坚”专项行动", "小区党支部全覆盖，近邻党建示范小区创建。"),
    ("党建引领营商环境优化专项行动", "“益企服务”走访全覆盖，企业诉求限时办结。"),
    ("党建引领人才集聚专项行动", "落实“国际一流人才湾区”政策，建好人才驿站。"),
    ("党建引领生态保护专项行动", "三江口湿地、马銮湾生态修复与岸线整治。"),
    ("党建引领网格化基层治理专项行动", "红色网格责任田，网格员队伍建强。"),
    ("党建引领民生实事专项行动", "学位、养老、口袋公园等民生实事项目按期交付。"),
]
SITES = [
    ("马銮湾智慧体育公园", 24.5431, 118.0132), ("三江口湿地公园", 24.5126, 117.9868), ("海沧招商花园城", 24.4856, 118.0508),
    ("沧江高中", 24.4689, 118.0396), ("山边社区", 24.5772, 117.9405), ("渐美村", 24.5093, 118.0019),
    ("新垵村", 24.5127, 118.0443), ("石塘村", 24.5346, 118.0232), ("海沧湾公园", 24.4605, 118.0614),
    ("东孚产业园", 24.5654, 117.9551), ("未来海岸", 24.4523, 118.0721), ("海沧港区", 24.4432, 118.0304),
]
PROJECT_WORDS = ["建设", "提升改造", "综合整治", "示范创建", "配套完善", "攻坚", "提质扩面", "标准化建设"]
TASK_STEPS = [
    ("完成方案编制", "细化实施方案，明确责任分工和时间节点"), ("完成征迁协调", "党员干部包户入户，做好群众工作"),
    ("完成立项审批", "并联审批，压缩办理时限"), ("开工建设", "落实施工组织和安全文明施工"),
    ("完成主体工程", "倒排工期，挂图作战"), ("完成配套设施", "同步推进水电、道路和绿化配套"),
    ("组织验收交付", "组织联合验收，建立问题清单限期整改"), ("开展群众评议", "群众满意度测评，评议结果公开"),
]
SURNAMES = "陈林黄张李王吴刘蔡杨郑许谢洪郭邱曾廖赖周叶苏庄"
GIVEN = ["建国", "志强", "海燕", "丽华", "文彬", "晓红", "国平", "明辉", "秀英", "伟", "敏", "婷婷", "振华", "立新", "佳怡"]
POSTS = [("项目总负责岗", "统筹项目推进，协调解决重大问题"), ("协调推进岗", "跟踪任务进度，督促责任单位按时限完成"),
         ("群众工作岗", "入户宣传，化解矛盾，收集群众意见")]


class DemoCampaignsError(Exception):
    pass


@dataclass
class DemoResult:
    root: Org
    created: int = 0
    existing: int = 0
    projects: int = 0
    tasks: int = 0
    done: int = 0
    overdue: int = 0


def find_root() -> Org | None:
    return Org.objects.filter(depth=1, division_code=DIVISION_CODE).order_by("path").first()


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _jitter(rng: random.Random, value: float) -> Decimal:
    return Decimal(str(round(value + rng.uniform(-0.006, 0.006), 6)))


def _moment(day: datetime.date) -> datetime.datetime:
    """A working-hours moment of a demo day, in the current time zone."""
    from django.utils import timezone

    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def _task_rows(rng, today, campaign, project, org, number):
    """One task's row and its progress reports, laid out around today."""
    name, key_point = TASK_STEPS[number % len(TASK_STEPS)]
    start = project.planned_start + datetime.timedelta(days=number * rng.randint(6, 14))
    deadline = start + datetime.timedelta(days=rng.randint(20, 80))
    task = Task(campaign=campaign, project=project, org=org, org_path=org.path, name=f"{project.name}：{name}",
                key_point=key_point, owner_name=_person(rng), planned_start=start, planned_end=deadline,
                deadline=deadline)
    reports = []
    if start <= today:
        task.started_on = start + datetime.timedelta(days=rng.randint(0, 5))
        if task.started_on > today:
            task.started_on = today
        roll = rng.random()
        if deadline < today and roll < 0.85 or deadline >= today and roll < 0.08:
            task.status = TaskStatus.DONE
            task.percent = 100
            late = deadline < today and rng.random() < 0.2
            task.completed_on = min(today, deadline + datetime.timedelta(days=rng.randint(2, 15)) if late
                                    else deadline - datetime.timedelta(days=rng.randint(0, 10)))
            task.completed_on = max(task.completed_on, task.started_on)
        else:
            task.status = TaskStatus.IN_PROGRESS
            task.percent = rng.choice([20, 30, 40, 50, 60, 70, 80, 90])
        steps = [task.percent] if task.percent < 60 else [task.percent // 2, task.percent]
        previous = 0
        for index, percent in enumerate(steps):
            day = task.started_on + (((task.completed_on or today) - task.started_on) * (index + 1)) // len(steps)
            reports.append(TaskProgress(percent=percent, previous_percent=previous, reported_on=day,
                                        created_at=_moment(day),
                                        text="按时序推进，已完成阶段目标" if percent < 100 else "已全部完成，资料归档"))
            previous = percent
    return task, reports


@transaction.atomic
def generate_campaigns(root: Org | None = None, *, seed: int = DEFAULT_SEED) -> DemoResult:
    root = root or find_root()
    if root is None:
        raise DemoCampaignsError("没有找到演示区（行政区划代码 350205）：请先运行 manage.py demo --scale district。")
    rng = random.Random(seed)
    today = clock.today()
    streets = list(Org.objects.filter(path__under=root.path, level=Level.STREET, is_active=True).order_by("path"))
    units = list(Org.objects.filter(path__under=root.path, depth__in=(2, 3), is_active=True, temporary=False)
                 .exclude(level=Level.BRANCH).order_by("path")) or [root]
    leads = streets or [root]
    result = DemoResult(root=root)
    for index, (name, goal) in enumerate(CAMPAIGNS):
        if Campaign.objects.filter(org=root, name=name).exists():
            result.existing += 1
            continue
        project_count, task_count = ((ROADMAP["projects"], ROADMAP["tasks"]) if index == 0
                                     else (OTHER_PROJECTS, OTHER_PROJECTS * OTHER_TASKS))
        start = today - datetime.timedelta(days=rng.randint(100, 160))
        campaign = Campaign.objects.create(org=root, org_path=root.path, name=name, goal=goal, start_date=start,
                                           end_date=start + datetime.timedelta(days=365))
        projects = []
        for number in range(1, project_count + 1):
            site, latitude, longitude = SITES[(index * 5 + number) % len(SITES)]
            lead = leads[(index + number) % len(leads)]
            project_start = start + datetime.timedelta(days=rng.randint(0, 40))
            projects.append(Project(
                campaign=campaign, org=lead, org_path=lead.path, number=number,
                name=f"{site}{PROJECT_WORDS[(index + number) % len(PROJECT_WORDS)]}（{number}）",
                owner_name=_person(rng), site=site, latitude=_jitter(rng, latitude), longitude=_jitter(rng, longitude),
                planned_start=project_start, planned_end=project_start + datetime.timedelta(days=rng.randint(120, 240))))
        Project.objects.bulk_create(projects)
        posts = Post.objects.bulk_create([
            Post(project=project, org=project.org, org_path=project.org_path, name=post_name, duties=duties,
                 holder_name=_person(rng)) for project in projects for post_name, duties in POSTS[:2]])
        posts_of = {}
        for post in posts:
            posts_of.setdefault(post.project_id, []).append(post)
        # Spread the tasks over the projects: 78 over 23 gives 3 or 4 each.
        counts = [task_count // project_count + (1 if number < task_count % project_count else 0)
                  for number in range(project_count)]
        tasks, reports = [], []
        for project, count in zip(projects, counts, strict=True):
            for number in range(count):
                candidates = [unit for unit in units if unit.path.startswith(project.org_path)] or units
                owner = rng.choice(candidates)
                task, task_reports = _task_rows(rng, today, campaign, project, owner, number)
                task.post = posts_of[project.pk][number % 2]
                tasks.append(task)
                reports.append(task_reports)
        Task.objects.bulk_create(tasks)
        progress = []
        for task, task_reports in zip(tasks, reports, strict=True):
            for report in task_reports:
                report.task = task
                progress.append(report)
        imported = _moment(start)
        with history_kept(TaskProgress, CampaignEvent):
            TaskProgress.objects.bulk_create(progress)
            events = [CampaignEvent(campaign=campaign, action="import", label=f"导入路线图：{len(projects)}个项目、"
                                    f"{len(tasks)}项任务", occurred_at=imported)]
            events += [CampaignEvent(campaign=campaign, project_id=task.project_id, task=task, action="task_create",
                                     label="新增任务", to_status=TaskStatus.NOT_STARTED, occurred_at=imported)
                       for task in tasks]
            events += [CampaignEvent(campaign=campaign, project_id=report.task.project_id, task=report.task,
                                     action="progress", label=f"更新进展（{report.previous_percent}%→{report.percent}%）",
                                     occurred_at=report.created_at) for report in progress]
            events += [CampaignEvent(campaign=campaign, project_id=task.project_id, task=task, action="complete",
                                     label="报告完成", from_status=TaskStatus.IN_PROGRESS, to_status=TaskStatus.DONE,
                                     occurred_at=_moment(task.completed_on)) for task in tasks
                       if task.status == TaskStatus.DONE]
            CampaignEvent.objects.bulk_create(events)
        if index == 0:
            _hq_branches(rng, projects[:3])
        result.created += 1
        result.projects += len(projects)
        result.tasks += len(tasks)
        result.done += sum(1 for task in tasks if task.status == TaskStatus.DONE)
        result.overdue += sum(1 for task in tasks if task.status != TaskStatus.DONE and task.deadline < today)
    if result.created:
        audit_record(actor=None, action=AUDIT_ACTION, obj=root, after={
            "campaigns": result.created, "projects": result.projects, "tasks": result.tasks, "seed": seed})
    return result


def _hq_branches(rng: random.Random, projects: list[Project]) -> None:
    """项目指挥部 + 临时党支部 on the first projects, members seconded from several orgs."""
    for project in projects:
        branch = org_services.org_create(actor=None, parent=project.org, name=f"{project.name}项目临时党支部",
                                         level=Level.BRANCH, temporary=True, end_date=project.planned_end,
                                         address=project.site)
        project.hq_name = f"{project.name}项目指挥部"
        project.hq_branch = branch
        project.save(update_fields=["hq_name", "hq_branch", "updated_at"])
        members = list(Member.objects.filter(org_path__under=project.org_path, is_active=True)
                       .order_by("org_path", "id")[:400])
        chosen = rng.sample(members, min(5, len(members)))
        HQMembership.objects.bulk_create([
            HQMembership(project=project, member=member, home_org_id=member.org_id, org=branch, org_path=branch.path,
                         duty="书记" if number == 0 else "党员") for number, member in enumerate(chosen)])
