"""What the scheduled management commands share: run now or --enqueue, a --today/--now, a --sender.

Every reminder, escalation and scan is a cron-called command that either does the work in the
process or hands it to the background task queue, may be run "as of" another day for catch-up or
drills, and may send through another sender; these helpers keep the options and their messages alike.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

from yuntu.core.senders import ConsoleSender

ENQUEUE_HELP = "交给后台任务执行，不在本进程内发送"


def add_sender_arguments(parser, *, setting_help: str) -> None:
    """--sender (a dotted class path; `setting_help` says what the default is) and --enqueue."""
    parser.add_argument("--sender", help=f"发送方式的类路径，缺省取设置 {setting_help}")
    parser.add_argument("--enqueue", action="store_true", help=ENQUEUE_HELP)


def day_option(options: dict, name: str = "today") -> datetime.date | None:
    """The date an option names (YYYY-MM-DD), or None when it was not given."""
    if not options[name]:
        return None
    try:
        return datetime.date.fromisoformat(options[name])
    except ValueError as error:
        raise CommandError(f"--{name} 的日期格式不正确：{options[name]}") from error


def moment_option(options: dict, name: str = "now") -> datetime.datetime | None:
    """The moment an option names (ISO), in the current time zone when written without one; None when not given."""
    if not options[name]:
        return None
    try:
        moment = datetime.datetime.fromisoformat(options[name])
    except ValueError as error:
        raise CommandError(f"--{name} 的时间格式不正确：{options[name]}") from error
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def enqueue(command: BaseCommand, task, **arguments) -> None:
    """Hand the work to the background queue and say which job it became."""
    result = task.enqueue(**arguments)
    command.stdout.write(f"已加入后台任务队列：{result.id}")


def sender_option(command: BaseCommand, options: dict, default):
    """The sender --sender names, else `default()`; console parts write to the command's output."""
    try:
        sender = import_string(options["sender"])() if options["sender"] else default()
    except ImportError as error:
        raise CommandError(f"找不到发送方式：{options['sender']}") from error
    for part in getattr(sender, "senders", [sender]):
        if isinstance(part, ConsoleSender) and part.stream is None:
            part.stream = command.stdout
    return sender


SEED_HELP = "随机种子（相同种子生成相同数据）"
ROOT_HELP = "演示区根组织的编号（缺省自动查找行政区划代码 350205 的区级根组织）"


def add_demo_arguments(parser, *, seed: int, seed_help: str = SEED_HELP, root_help: str = ROOT_HELP) -> None:
    """The demo commands' --seed (same seed, same data) and --root (the demo district when not given)."""
    parser.add_argument("--seed", type=int, default=seed, help=seed_help)
    parser.add_argument("--root", type=int, help=root_help)


def root_option(options: dict):
    """The org --root names, or None for the demo's own district; an unknown number is a CommandError."""
    from yuntu.orgs.models import Org

    if options["root"] is None:
        return None
    root = Org.objects.filter(pk=options["root"]).first()
    if root is None:
        raise CommandError(f"组织 {options['root']} 不存在。")
    return root
