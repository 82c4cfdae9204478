"""会议通知: the members of a planned meeting are told its time, place and topics.

Delivery goes through `yuntu.core.senders`; ``ORGLIFE_NOTIFICATION_SENDERS`` lists the dotted paths
of the senders (default: console and e-mail). Only members with an account can be reached.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from yuntu.core.senders import MultiSender, Sender

DEFAULT_SENDERS = ("yuntu.core.senders.ConsoleSender", "yuntu.core.senders.EmailSender")


def get_sender() -> Sender:
    paths = getattr(settings, "ORGLIFE_NOTIFICATION_SENDERS", DEFAULT_SENDERS)
    senders = [import_string(path)() for path in paths]
    return senders[0] if len(senders) == 1 else MultiSender(senders)


def meeting_message(meeting) -> tuple[str, str]:
    when = timezone.localtime(meeting.starts_at)
    subject = f"【会议通知】{meeting.org.short_name or meeting.org.name}{meeting.get_kind_display()}"
    lines = [f"{meeting.title}", f"时间：{when:%Y年%m月%d日 %H:%M}", f"地点：{meeting.place or '另行通知'}"]
    if meeting.topic_list:
        lines.append("议题：" + "；".join(meeting.topic_list))
    lines.append("请准时参加，到场后扫描会议二维码签到；不能参加的请向支部书记请假。")
    return subject, "\n".join(lines)


def notify_meeting(meeting_id: int, sender: Sender | None = None) -> dict:
    from .models import Meeting
    from .services import expected_members

    meeting = Meeting.objects.select_related("org").filter(pk=meeting_id).first()
    if meeting is None:
        return {"sent": 0, "skipped": 0}
    sender = sender or get_sender()
    subject, body = meeting_message(meeting)
    sent = skipped = 0
    members = expected_members(meeting).filter(user__isnull=False).select_related("user")
    for member in members.iterator():
        if sender.send(member.user, subject, body, {"meeting": meeting.pk, "kind": meeting.kind}):
            sent += 1
        else:
            skipped += 1
    return {"sent": sent, "skipped": skipped}
