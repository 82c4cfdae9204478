from django.core.management.base import BaseCommand, CommandError

from yuntu.publicity import demo


class Command(BaseCommand):
    help = ("为演示区生成党务村务公开（按目录、按期间，部分组织逾期未公开）、3个主题教育专栏和451篇报道、8本辅学材料、"
            "三类学习清单和党员学习记录、91篇征文（已评审公布）和主题党日案例评选，以及群众提问与答复。重复运行不会重复生成。")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, **options):
        try:
            result = demo.generate_publicity(seed=options["seed"])
        except demo.DemoPublicityError as error:
            raise CommandError(str(error)) from error
        if not result.created:
            self.stdout.write(f"“{result.root.name}”的党务公开与宣传学习数据已存在，未重复生成。")
            return
        self.stdout.write("已生成" + demo.summary(result))
        self.stdout.write("群众端：/portal/（手机号 17000350205 验证码登录，验证码打印在服务器控制台）。")
