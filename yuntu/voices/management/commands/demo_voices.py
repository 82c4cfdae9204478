from django.core.management.base import BaseCommand, CommandError

from yuntu.core import commands
from yuntu.voices import demo
from yuntu.voices.workflow import RequestStatus


class Command(BaseCommand):
    help = ("为演示区（manage.py demo --scale district 生成的海沧区）生成群众诉求与建言献策：8个诉求类别、一季度的群众诉求"
            "（五事工作法各阶段、吹哨派单、评价、超期），以及“我为高质量发展献良策”活动的796条建议、采纳384条并关联整改台账措施。"
            "须先运行 manage.py demo_ledger；重复运行不会重复生成。")

    def add_arguments(self, parser):
        commands.add_demo_arguments(parser, seed=demo.DEFAULT_SEED)
        parser.add_argument("--requests", type=int, default=demo.REQUESTS, help="生成的诉求件数")
        parser.add_argument("--reset", action="store_true", help="先删除该区已有的诉求与建议再生成")
        parser.add_argument("--bench", action="store_true",
                            help="性能测试用：在 --root 整个下级范围的社区批量生成 --requests 件诉求（只写诉求本身，"
                                 "约70%已答复公开或已评价），已生成则复用")

    def handle(self, *args, **options):
        root = commands.root_option(options)
        if options["bench"]:
            if root is None:
                raise CommandError("--bench 须指定 --root。")
            try:
                bench = demo.generate_bench_requests(root, requests=options["requests"], seed=options["seed"])
            except demo.DemoVoicesError as error:
                raise CommandError(str(error)) from error
            verb = f"已生成（{bench.seconds}秒，分步{bench.timings}）" if bench.created else "已存在，复用"
            self.stdout.write(f"性能测试诉求{verb}：“{bench.root.name}”下{bench.requests}件诉求。")
            return
        if options["requests"] < 50:
            raise CommandError("--requests 至少为50件，才能覆盖各个办理阶段。")
        try:
            result = demo.generate_voices(root, seed=options["seed"], reset=options["reset"], requests=options["requests"])
        except demo.DemoVoicesError as error:
            raise CommandError(str(error)) from error
        if result.created:
            self.stdout.write(f"已为“{result.root.name}”生成群众诉求{result.requests}件（派单{result.dispatches}件、"
                              f"时间线{result.events}条），建议{result.suggestions}条。")
        else:
            self.stdout.write(f"“{result.root.name}”的群众诉求与建言献策已存在，未重复生成。")
        figures = result.figures["requests"]
        statuses = "，".join(f"{RequestStatus(status).label}{count}件" for status, count in sorted(result.by_status.items()))
        self.stdout.write(f"群众诉求：收到{figures['received']}件，已答复{figures['answered']}件（按期{figures['answered_on_time']}件，"
                          f"按期率{figures['on_time_rate']}%），办结{figures['resolved']}件，满意率{figures['satisfaction_rate']}%；"
                          f"{statuses}。")
        suggestions = result.figures["suggestions"]
        self.stdout.write(f"建言献策：收集建议{suggestions['collected']}条，采纳{suggestions['adopted']}条，"
                          f"转化为整改措施{suggestions['measures']}项。")
        if (suggestions["collected"], suggestions["adopted"], suggestions["measures"]) != (demo.SUGGESTIONS, demo.ADOPTED,
                                                                                           demo.ADOPTED):
            raise CommandError(f"建言献策的数字与海沧区通报不一致（应为{demo.SUGGESTIONS}条建议、采纳{demo.ADOPTED}条），"
                               "该区数据可能已被改动。")
