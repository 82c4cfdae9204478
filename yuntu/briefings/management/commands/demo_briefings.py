from django.core.management.base import BaseCommand, CommandError

from yuntu.briefings import demo


class Command(BaseCommand):
    help = ("为演示区生成简报：“主题教育工作简报”系列、月度简报模板与整改进度工作提示模板，并签发第25—27期（按月累计，"
            "数据固定），另留一份本月草稿。须先运行 demo_ledger 与 demo_voices；重复运行不会重复生成。")

    def handle(self, *args, **options):
        try:
            result = demo.generate_briefings()
        except ValueError as error:
            raise CommandError(str(error)) from error
        verb = "已签发" if result.created else "已存在，复用"
        numbers = "、".join(f"第{number}期" for number in result.numbers)
        self.stdout.write(f"简报{verb}：{result.root.name} {demo.SERIES_NAME} {numbers}。")
