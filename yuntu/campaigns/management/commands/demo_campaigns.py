from django.core.management.base import BaseCommand, CommandError

from yuntu.campaigns import demo
from yuntu.core import commands


class Command(BaseCommand):
    help = ("为演示区（manage.py demo --scale district 生成的海沧区）生成九大专项行动：第一项为23个项目、78项任务的攻坚路线图，"
            "其余各4个项目；含设岗定责、项目指挥部和临时党支部，部分任务逾期。重复运行不会重复生成。")

    def add_arguments(self, parser):
        commands.add_demo_arguments(parser, seed=demo.DEFAULT_SEED, seed_help="随机种子")

    def handle(self, *args, **options):
        root = commands.root_option(options)
        try:
            result = demo.generate_campaigns(root, seed=options["seed"])
        except demo.DemoCampaignsError as error:
            raise CommandError(str(error)) from error
        if result.created:
            self.stdout.write(f"已为“{result.root.name}”生成{result.created}项专项行动：{result.projects}个项目、"
                              f"{result.tasks}项任务，已完成{result.done}项，逾期未完成{result.overdue}项。")
        if result.existing:
            self.stdout.write(f"{result.existing}项专项行动已存在，未重复生成。")
