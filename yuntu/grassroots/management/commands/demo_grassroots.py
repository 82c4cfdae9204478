from django.core.management.base import BaseCommand, CommandError

from yuntu.grassroots import demo
from yuntu.indicators import registry


class Command(BaseCommand):
    help = ("为演示区（manage.py demo --scale district 生成的海沧区）生成四下基层数据：221个调研课题及实地调研、现场解决问题96个，"
            "挂钩走访企业141家次、服务企业511家、协助解决诉求296个，领导接访日、入户走访、矛盾调解和下派基层。"
            "宜在 demo_voices 之后运行；重复运行不会重复生成。")

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=demo.SEED, help="随机种子（相同种子生成相同数据）")

    def handle(self, *args, **options):
        try:
            result = demo.generate_grassroots(seed=options["seed"])
        except demo.DemoGrassrootsError as error:
            raise CommandError(str(error)) from error
        verb = "已生成" if result.created else "已存在，未重复生成"
        self.stdout.write(f"“{result.root.name}”的四下基层数据{verb}。")
        self.stdout.write("，".join(f"{registry.get(code).name}{value}{registry.get(code).unit}"
                                   for code, value in result.figures.items()))
        wrong = {code: value for code, value in demo.EXPECTED.items() if result.figures.get(code) != value}
        if wrong:
            raise CommandError(f"四下基层的数字与海沧区通报不一致：{wrong}，该区数据可能已被改动。")
