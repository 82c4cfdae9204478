from django.http import Http404

from . import selectors
from .models import Message


def get_message_for_user(user, pk) -> Message:
    """The user's own message; 404 for a missing one and another's alike."""
    message = selectors.messages_of(user).filter(pk=pk).first()
    if message is None:
        raise Http404("没有这条消息。")
    return message
