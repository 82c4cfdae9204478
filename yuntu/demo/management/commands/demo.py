"""`manage.py demo --scale district|city|province [--seed N] [--password P] [--reset]`."""

import unicodedata

from django.core.management.base import BaseCommand
from django.db import connection

from yuntu.accounts.roles import Role
from yuntu.demo import generator
from yuntu.demo.plan import SCALES


class Command(BaseCommand):
    help = "生成演示数据（海沧区 / 厦门市 / 福建省规模），并列出各角色的演示账号。已存在则跳过。"

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="district",
                            help="district ≈ 1,100 个组织 / 16,000 名党员；city ≈ 10⁴ / 10⁵；province ≈ 10⁵ / 10⁶；tiny 供测试")
        parser.add_argument("--seed", type=int, default=generator.DEFAULT_SEED, help="随机种子：同一种子生成相同数据")
        parser.add_argument("--password", default=generator.DEFAULT_PASSWORD, help="所有演示账号的密码")
        parser.add_argument("--reset", action="store_true", help="删除该规模已有的演示数据后重新生成")

    def handle(self, *args, scale, seed, password, reset, **options):
        result = generator.generate(scale, seed=seed, password=password, reset=reset,
                                    progress=lambda message: self.stdout.write(message))
        if result.created:
            self.stdout.write(self.style.SUCCESS(
                f"已生成 {scale} 规模演示数据：{result.orgs:,} 个党组织，{result.members:,} 名党员，"
                f"用时 {result.seconds:.1f} 秒（{connection.vendor}）。"))
            self.stdout.write("  分步用时（秒）：" + "，".join(f"{name} {seconds}" for name, seconds in result.timings.items()))
            password_note = password
        else:
            self.stdout.write(self.style.WARNING(
                f"{scale} 规模演示数据已存在（根组织：{result.root.name}），未重新生成；如需重建请加 --reset。"))
            password_note = f"{password}（生成时设定的密码；如不同请用 --reset --password 重设）"
        self.stdout.write("")
        self.stdout.write(f"演示账号（密码：{password_note}）")
        rows = [("角色", "用户名", "组织")]
        rows += [(Role(login.role).label, login.username, login.org + (f"（{login.note}）" if login.note else ""))
                 for login in result.logins]
        widths = [max(_width(row[column]) for row in rows) for column in range(2)]
        for role, username, org in rows:
            self.stdout.write(f"  {_pad(role, widths[0])}  {_pad(username, widths[1])}  {org}")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
