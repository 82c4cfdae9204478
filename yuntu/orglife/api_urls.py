from django.urls import path

from . import apis

app_name = "orglife_api"
urlpatterns = [
    path("meetings/", apis.MeetingListApi.as_view(), name="meetings"),
    path("meetings/<int:pk>/", apis.MeetingDetailApi.as_view(), name="meeting"),
    path("meetings/<int:pk>/minutes/", apis.MeetingMinutesApi.as_view(), name="meeting-minutes"),
    path("sign-in/", apis.SignInApi.as_view(), name="sign-in"),
    path("members/<int:member_pk>/attendance/", apis.MemberAttendanceApi.as_view(), name="member-attendance"),
    path("figures/", apis.FiguresApi.as_view(), name="figures"),
]
