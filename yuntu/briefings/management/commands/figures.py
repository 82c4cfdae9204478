"""Read the figures of a report: `figures extract FILE [--json]`, `figures compare A B [--json]`."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yuntu.briefings import reading

QUALIFIER_WORDS = {"exact": "", "more_than": "余/多", "about": "约", "nearly": "近", "at_least": "以上"}


def _read(path: str) -> str:
    file = Path(path)
    if not file.is_file():
        raise CommandError(f"找不到文件：{path}")
    if file.stat().st_size > reading.MAX_BYTES:
        raise CommandError(f"文件过大，报送材料不能超过 {reading.MAX_BYTES // 1024 // 1024} MB：{path}")
    try:
        return reading.read_document(file.read_bytes(), file_name=file.name).text
    except reading.ReadingError as error:
        raise CommandError(f"{path}：{' '.join(error.messages)}") from error


class Command(BaseCommand):
    help = "读取报送材料中的数据（extract），或比对同一单位同一期间的两份材料（compare）。"

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="action", required=True)
        extract = commands.add_parser("extract", help="列出材料中的每一个数据")
        extract.add_argument("file")
        extract.add_argument("--json", action="store_true", help="每行一个 JSON 对象")
        compare = commands.add_parser("compare", help="列出两份材料中不一致的数据")
        compare.add_argument("a")
        compare.add_argument("b")
        compare.add_argument("--json", action="store_true", help="每行一个 JSON 对象")

    def handle(self, *args, **options):
        if options["action"] == "extract":
            for figure in reading.extract(_read(options["file"])):
                data = figure.as_json()
                if options["json"]:
                    self.stdout.write(json.dumps({key: data[key] for key in (
                        "value", "unit", "qualifier", "indicator", "code", "sentence", "start", "end")},
                        ensure_ascii=False))
                else:
                    self.stdout.write(f"{data['start']:>6}  {data['indicator'] or '—'}  "
                                      f"{QUALIFIER_WORDS[data['qualifier']]}{data['value']}{data['unit']}")
            return
        differences = reading.compare(reading.extract(_read(options["a"])), reading.extract(_read(options["b"])))
        for difference in differences:
            if options["json"]:
                self.stdout.write(json.dumps(difference, ensure_ascii=False))
            else:
                a, b = difference["a"], difference["b"]
                self.stdout.write(f"{difference['indicator'] or '—'}（{difference['unit']}）："
                                  f"{a['value'] if a else '无'} ≠ {b['value'] if b else '无'}")
        if not options["json"]:
            self.stdout.write(f"共 {len(differences)} 处不一致。")
