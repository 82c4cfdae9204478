"""The resident's phone pages and the public board, mounted at /portal/."""

from django.urls import path

from .views import portal

app_name = "portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("new/", portal.submit, name="submit"),
    path("similar/", portal.similar, name="similar"),
    path("mine/", portal.mine, name="mine"),
    path("requests/<int:pk>/", portal.request_detail, name="request_detail"),
    path("requests/<int:pk>/photo/", portal.request_photo, name="request_photo"),
    path("requests/<int:pk>/rate/", portal.request_rate, name="request_rate"),
    path("requests/<int:pk>/reopen/", portal.request_reopen, name="request_reopen"),
    path("board/", portal.board, name="board"),
    path("board/requests/<int:pk>/", portal.board_detail, name="board_detail"),
    path("suggestions/", portal.suggestions, name="suggestions"),
]
