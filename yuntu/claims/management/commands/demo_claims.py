from django.core.management.base import BaseCommand, CommandError

from yuntu.claims import demo
from yuntu.core import commands


class Command(BaseCommand):
    help = ("为演示区（manage.py demo --scale district 生成的海沧区）生成服务认领与双报到数据：在职党员和单位党组织的双报到、"
            "一年来的群众需求（微心愿）及其认领、完成与确认，志愿服务记录（到社区服务2万余人次）和党员承诺事项。重复运行不会重复生成。")

    def add_arguments(self, parser):
        commands.add_demo_arguments(parser, seed=demo.DEFAULT_SEED)

    def handle(self, *args, **options):
        root = commands.root_option(options)
        try:
            result = demo.generate_claims(root, seed=options["seed"])
        except demo.DemoClaimsError as error:
            raise CommandError(str(error)) from error
        verb = "已生成" if result.created else "已存在，未重复生成"
        figures = result.figures
        self.stdout.write(
            f"“{result.root.name}”的服务认领与双报到{verb}：报到党组织{figures['branches_reported']}个、"
            f"报到在职党员{figures['members_reported']}人；发布群众需求{figures['needs_posted']}个、"
            f"认领{figures['needs_claimed']}个、完成{figures['needs_done']}个；到社区服务{figures['service_visits']}人次，"
            f"志愿服务时长{figures['service_hours']}小时。")
