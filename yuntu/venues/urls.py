"""Staff pages of venues, mounted at /venues/."""

from django.urls import path

from .views import staff

app_name = "venues"
urlpatterns = [
    path("", staff.venue_list, name="list"),
    path("new/", staff.venue_create, name="venue_create"),
    path("<int:pk>/", staff.venue_detail, name="venue"),
    path("<int:pk>/edit/", staff.venue_edit, name="venue_edit"),
    path("<int:pk>/add-room/", staff.room_add, name="room_add"),
    path("<int:pk>/closed-days/", staff.closed_day_add, name="closed_day_add"),
    path("<int:pk>/photos/", staff.photos_add, name="photos_add"),
    path("rooms/<int:pk>/poster/", staff.room_poster, name="room_poster"),
    path("rooms/<int:pk>/qr.svg", staff.room_qr, name="room_qr"),
    path("bookings/", staff.booking_list, name="bookings"),
    path("bookings/<int:pk>/", staff.booking_detail, name="booking"),
    path("bookings/<int:pk>/transition/", staff.booking_transition, name="booking_transition"),
]
