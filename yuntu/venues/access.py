from django.shortcuts import get_object_or_404

from .models import Booking, Room, Venue
from .selectors import bookings_of_booker, bookings_visible_to, public_venues, venues_visible_to


def get_venue_for_user(user, pk) -> Venue:
    return get_object_or_404(venues_visible_to(user), pk=pk)


def get_room_for_user(user, pk) -> Room:
    return get_object_or_404(Room.objects.filter(venue__in=venues_visible_to(user).values("pk")).select_related("venue"),
                             pk=pk)


def get_booking_for_user(user, pk) -> Booking:
    return get_object_or_404(bookings_visible_to(user), pk=pk)


def get_own_booking(user, pk) -> Booking:
    return get_object_or_404(bookings_of_booker(user), pk=pk)


def get_public_venue(pk) -> Venue:
    """Venues are a public directory (name, address, hours, rooms); bookings are not."""
    return get_object_or_404(public_venues().prefetch_related("rooms"), pk=pk)
