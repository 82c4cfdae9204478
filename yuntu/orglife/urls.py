from django.urls import path

from . import views

app_name = "orglife"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/hold/", views.meeting_hold, name="meeting_hold"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="meeting_minutes"),
    path("meetings/<int:pk>/photos/", views.meeting_photos, name="meeting_photos"),
    path("meetings/<int:pk>/photos/<int:photo_pk>/", views.meeting_photo, name="meeting_photo"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/qr.svg", views.meeting_qr, name="meeting_qr"),
    path("sign-in/<str:sign_in_token>/", views.sign_in, name="sign_in"),
    path("members/<int:member_pk>/", views.member_history, name="member_history"),
    path("my/", views.my_attendance, name="my"),
    path("dues/", views.dues_list, name="dues"),
    path("dues/declare/", views.dues_declare, name="dues_declare"),
    path("dues/<int:pk>/pay/", views.dues_pay, name="dues_pay"),
    path("dues/table/", views.dues_table, name="dues_table"),
]
