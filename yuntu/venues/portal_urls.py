"""The resident's phone pages of venues, mounted at /portal/venues/."""

from django.urls import path

from .views import portal

app_name = "venues_portal"
urlpatterns = [
    path("", portal.circle, name="circle"),
    path("<int:pk>/", portal.venue, name="venue"),
    path("<int:pk>/book/", portal.book, name="book"),
    path("mine/", portal.mine, name="mine"),
    path("bookings/<int:pk>/", portal.booking, name="booking"),
    path("bookings/<int:pk>/cancel/", portal.cancel, name="cancel"),
    path("checkin/<str:checkin_token>/", portal.check_in, name="check_in"),
]
