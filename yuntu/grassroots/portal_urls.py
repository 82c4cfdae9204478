"""The resident's pages of leaders' reception days, mounted at /portal/receptions/."""

from django.urls import path

from .views import portal

app_name = "receptions"
urlpatterns = [
    path("", portal.schedule, name="schedule"),
    path("days/<int:pk>/", portal.day_detail, name="day"),
    path("days/<int:pk>/book/", portal.book, name="book"),
    path("mine/", portal.mine, name="mine"),
    path("bookings/<int:pk>/", portal.booking_detail, name="booking"),
    path("bookings/<int:pk>/cancel/", portal.booking_cancel, name="booking_cancel"),
]
