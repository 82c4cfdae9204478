"""Who hears what about publicity: the asker hears the answer to their question; staff hear of a new one.

Messages leave through `yuntu.core.senders` (setting ``PUBLICITY_NOTIFICATION_SENDERS``; console and
e-mail by default), so each also lands in the recipient's inbox. Sent after commit, in a task
(`tasks.notify_on_commit`).
"""

import logging

from django.conf import settings
from django.urls import reverse

from yuntu.accounts.models import RoleGrant
from yuntu.accounts.roles import Role
from yuntu.core import senders
from yuntu.orgs.models import Org

from .models import Question

logger = logging.getLogger("yuntu.publicity.notifications")
DEFAULT_SENDERS = ("yuntu.core.senders.ConsoleSender", "yuntu.core.senders.EmailSender")
KIND = "党务公开"
SECRETARY_ROLES = (Role.BRANCH_SECRETARY, Role.COMMUNITY_SECRETARY, Role.STREET_SECRETARY, Role.DISTRICT_OFFICER)


def get_sender():
    return senders.build(getattr(settings, "PUBLICITY_NOTIFICATION_SENDERS", DEFAULT_SENDERS))


def nearest_secretaries(path: str) -> list:
    prefixes = [path[:end] for end in range(Org.steplen, len(path) + 1, Org.steplen)]
    grants = RoleGrant.objects.filter(org_path__in=prefixes, role__in=SECRETARY_ROLES, user__is_active=True)
    by_path: dict[str, list] = {}
    for grant in grants.select_related("user").order_by("user_id"):
        by_path.setdefault(grant.org_path, []).append(grant.user)
    for prefix in reversed(prefixes):
        if by_path.get(prefix):
            return by_path[prefix]
    return []


def deliver(event: str, question_id: int, *, sender=None) -> int:
    question = Question.objects.select_related("publication", "asker", "org").filter(pk=question_id).first()
    if question is None:
        return 0
    sender = sender or get_sender()
    title = question.publication.title
    if event == "answered":
        recipients = [question.asker] if question.asker.is_active else []
        subject = "【党务公开】您的提问已答复"
        body = f"您对“{title}”的提问：{question.text[:60]}\n答复：{question.answer}\n（{question.org.name}）"
        link = reverse("portal_publicity:affair", args=[question.publication_id])
    else:
        recipients = nearest_secretaries(question.org_path)
        subject = "【党务公开】群众对公开事项提问待答复"
        body = f"群众对“{title}”提问：{question.text[:120]}\n请登录云图答复。"
        link = reverse("publicity:questions")
    sent = 0
    for user in recipients:
        try:
            sent += bool(sender.send(user, subject, body, {"kind": KIND, "link": link, "status": subject[6:],
                                                           "detail": title[:30]}))
        except Exception:
            logger.exception("公开事项通知发送失败：%s", subject)
    return sent
