"""Many people pressing "book" for one slot at the same moment: used by the tests and `make bench`.

Each thread has its own database connection, waits at a barrier, then calls the real service.
"""

import datetime
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection

from yuntu.accounts.models import User

from . import services
from .models import Room


def fire_bookings(*, room_id: int, user_ids: list[int], starts_at: datetime.datetime, ends_at: datetime.datetime,
                  threads: int | None = None) -> dict:
    """Book the same slot once per user, all at once; returns outcome counts and the wall time."""
    threads = threads or len(user_ids)
    barrier = threading.Barrier(len(user_ids))

    def attempt(user_id: int) -> str:
        try:
            user = User.objects.get(pk=user_id)
            room = Room.objects.select_related("venue").get(pk=room_id)
            barrier.wait(timeout=60)
            services.booking_create(actor=user, room=room, starts_at=starts_at, ends_at=ends_at, purpose="并发预约测试",
                                    attendees=1)
            return "booked"
        except ValidationError as error:
            return "refused" if "已被预约" in " ".join(error.messages) else f"invalid: {' '.join(error.messages)}"
        except Exception as error:  # counted, not hidden: a lock error here would fail the test
            return f"error: {type(error).__name__}: {error}"
        finally:
            connection.close()

    close_old_connections()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=threads) as pool:
        outcomes = list(pool.map(attempt, user_ids))
    return {"outcomes": dict(Counter(outcomes)), "seconds": round(time.perf_counter() - started, 3)}
