from django.urls import path

from . import apis

app_name = "venues_api"
urlpatterns = [
    path("venues/", apis.VenueListApi.as_view(), name="venues"),
    path("venues/<int:pk>/", apis.VenueDetailApi.as_view(), name="venue"),
    path("circle/", apis.CircleApi.as_view(), name="circle"),
    path("bookings/", apis.BookingListApi.as_view(), name="bookings"),
    path("bookings/mine/", apis.MyBookingsApi.as_view(), name="my-bookings"),
    path("bookings/<int:pk>/", apis.BookingDetailApi.as_view(), name="booking"),
    path("bookings/<int:pk>/transition/", apis.BookingTransitionApi.as_view(), name="booking-transition"),
    path("usage/", apis.UsageApi.as_view(), name="usage"),
]
