from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.board, name="board"),
    path("records/", views.records, name="records"),
]
