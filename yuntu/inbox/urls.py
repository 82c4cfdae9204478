"""The inbox, mounted at /portal/inbox/ (every signed-in user has one, staff included)."""

from django.urls import path

from . import views

app_name = "inbox"
urlpatterns = [
    path("", views.message_list, name="list"),
    path("<int:pk>/", views.message_detail, name="detail"),
    path("read-all/", views.read_all, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
]
