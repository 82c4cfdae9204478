"""A sender that keeps the messages (a fake at the world's edge: SMS / WeChat are not reached in tests)."""

SENT: list[tuple] = []


class RecordingSender:
    def send(self, recipient, subject: str, body: str, data: dict | None = None) -> bool:
        SENT.append((recipient.get_username(), subject, body, data))
        return True
