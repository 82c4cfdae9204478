import datetime
import json

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from yuntu.accounts.models import RoleGrant, User
from yuntu.accounts.roles import Role
from yuntu.orgs.models import Level, Org
from yuntu.venues.contention import fire_bookings
from yuntu.venues.models import Room, Venue, VenueLevel


class Command(BaseCommand):
    help = "并发预约检验：N个用户同时预约同一活动室的同一时段，输出结果（JSON）。用于测试与性能测试。"

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50)

    @transaction.atomic
    def _setup(self, users: int) -> tuple[Room, list[int]]:
        org = Org.objects.filter(depth=1).first() or Org.add_root(name="并发检验区委", level=Level.DISTRICT)
        venue, _ = Venue.objects.get_or_create(
            name="并发检验党群服务中心", defaults={"org": org, "org_path": org.path, "level": VenueLevel.COMMUNITY,
                                                 "address": "并发检验路1号", "latitude": 24.48, "longitude": 118.03,
                                                 "opens_at": datetime.time(0), "closes_at": datetime.time(23, 30),
                                                 "closed_on_public_holidays": False})
        room, _ = Room.objects.get_or_create(venue=venue, name="多功能室", defaults={"capacity": 50})
        ids = []
        for index in range(users):
            user, created = User.objects.get_or_create(username=f"contention{index:03d}",
                                                       defaults={"display_name": f"并发用户{index}"})
            if created:
                RoleGrant.objects.create(user=user, role=Role.RESIDENT, org=org, org_path=org.path)
            ids.append(user.pk)
        return room, ids

    def handle(self, *args, **options):
        room, ids = self._setup(options["users"])
        start = (timezone.localtime() + datetime.timedelta(days=1)).replace(hour=10, minute=0, second=0, microsecond=0)
        room.bookings.all().delete()
        result = fire_bookings(room_id=room.pk, user_ids=ids, starts_at=start, ends_at=start + datetime.timedelta(hours=1))
        result["bookings"] = room.bookings.count()
        self.stdout.write(json.dumps(result, ensure_ascii=False))
