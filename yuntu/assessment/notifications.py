"""预警通知: after a scan, the staff of each alerted org and of its parent get one digest each;
escalated alerts also go to the level above the parent. Delivery through `yuntu.core.senders`
(``ASSESSMENT_NOTIFICATION_SENDERS``, default console and e-mail)."""

from django.conf import settings
from django.utils.module_loading import import_string

from yuntu.accounts.models import RoleGrant
from yuntu.accounts.roles import STAFF_ROLES
from yuntu.core.senders import MultiSender, Sender

from . import rules
from .models import Alert

DEFAULT_SENDERS = ("yuntu.core.senders.ConsoleSender", "yuntu.core.senders.EmailSender")
LINES_PER_DIGEST = 10


def get_sender() -> Sender:
    paths = getattr(settings, "ASSESSMENT_NOTIFICATION_SENDERS", DEFAULT_SENDERS)
    senders = [import_string(path)() for path in paths]
    return senders[0] if len(senders) == 1 else MultiSender(senders)


def _line(alert) -> str:
    rule = rules.get(alert.rule)
    return f"{alert.org.short_name or alert.org.name}：{rule.name if rule else alert.rule}（{alert.detail}）"


def deliver(new_ids: list[int], escalated_ids: list[int], sender: Sender | None = None) -> dict:
    """One digest per staff user whose grant sits on an alerted org, its parent, or (escalated) the level above."""
    alerts = list(Alert.objects.filter(pk__in=set(new_ids) | set(escalated_ids)).select_related("org"))
    targets: dict[str, list] = {}
    escalated = set(escalated_ids)
    for alert in alerts:
        for path in {alert.org_path, alert.parent_path} | ({alert.escalated_path} if alert.pk in escalated else set()):
            if path:
                targets.setdefault(path, []).append(alert)
    grants = RoleGrant.objects.filter(org_path__in=list(targets), role__in=STAFF_ROLES).select_related("user")
    by_user: dict[int, tuple] = {}
    for grant in grants:
        user, lines = by_user.setdefault(grant.user_id, (grant.user, []))
        lines.extend(alert for alert in targets[grant.org_path] if alert not in lines)
    sender = sender or get_sender()
    sent = 0
    for user, user_alerts in by_user.values():
        shown = [("【已升级】" if alert.pk in escalated else "") + _line(alert) for alert in user_alerts[:LINES_PER_DIGEST]]
        more = len(user_alerts) - len(shown)
        body = "\n".join(shown + ([f"……另有{more}条，请登录云图查看。"] if more > 0 else []))
        sent += bool(sender.send(user, f"【合规预警】新发现{len(user_alerts)}条", body, {"alerts": len(user_alerts)}))
    return {"recipients": len(by_user), "sent": sent}
