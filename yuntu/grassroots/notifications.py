"""Messages of leaders' reception days: the resident hears that the booking stands and how it was received;
the leader hears of each booking and cancellation. Delivered through the deployment's senders (the ones
residents' voices uses), after the write has committed."""

from dataclasses import dataclass

from yuntu.core.senders import Sender

from .models import ReceptionBooking


@dataclass
class Message:
    recipient: object
    subject: str
    body: str


def _when(booking: ReceptionBooking) -> str:
    day = booking.day
    return f"{day.date:%Y-%m-%d} {booking.slot:%H:%M}，{day.place}"


def compose(event: str, booking: ReceptionBooking) -> list[Message]:
    day = booking.day
    leader = f"{day.leader_title}{day.leader}"
    if event == "booked":
        return [Message(booking.resident, "【领导接访】预约成功",
                        f"您已预约{leader}的接访：{_when(booking)}。反映事项：{booking.matter[:40]}。如不能到场请在“我的预约”中取消。"),
                Message(day.leader, "【领导接访】新的群众预约", f"{booking.name}预约了您的接访：{_when(booking)}。")]
    if event == "received":
        contact = getattr(booking, "contact", None)
        outcome = contact.outcome if contact and contact.outcome else "已登记，将按规定办理"
        return [Message(booking.resident, "【领导接访】已接待", f"您{_when(booking)}的接访已接待。办理结果：{outcome}。")]
    if event == "cancelled":
        return [Message(day.leader, "【领导接访】群众取消预约", f"{booking.name}取消了{_when(booking)}的接访预约。")]
    raise ValueError(f"unknown reception event {event}")


def deliver(event: str, booking_id: int, *, sender: Sender | None = None) -> int:
    """Send the messages of one event; returns how many went out."""
    from yuntu.voices.notifications import get_sender

    booking = ReceptionBooking.objects.select_related("day", "day__leader", "resident").filter(pk=booking_id).first()
    if booking is None:
        return 0
    sender = sender or get_sender()
    return sum(1 for message in compose(event, booking)
               if sender.send(message.recipient, message.subject, message.body, {"event": event, "booking": booking_id}))
