"""Staff pages of residents' voices, mounted at /voices/."""

from django.urls import path

from . import views

app_name = "voices"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="request_create"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/triage/", views.request_triage, name="request_triage"),
    path("requests/<int:pk>/dispatch/", views.request_dispatch, name="request_dispatch"),
    path("requests/<int:pk>/photo/", views.request_photo, name="request_photo"),
    path("desk/", views.desk, name="desk"),
    path("dispatches/<int:pk>/", views.dispatch_detail, name="dispatch_detail"),
    path("dispatches/<int:pk>/transition/", views.dispatch_transition, name="dispatch_transition"),
    path("overdue/", views.overdue, name="overdue"),
    path("suggestions/", views.suggestion_list, name="suggestions"),
    path("suggestions/new/", views.suggestion_create, name="suggestion_create"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/adopt/", views.suggestion_adopt, name="suggestion_adopt"),
    path("suggestions/<int:pk>/decline/", views.suggestion_decline, name="suggestion_decline"),
]
