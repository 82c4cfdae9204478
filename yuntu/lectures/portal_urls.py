"""The resident's phone pages of the lecture menu, mounted at /portal/lectures/."""

from django.urls import path

from .views import portal

app_name = "lectures_portal"
urlpatterns = [
    path("", portal.menu, name="menu"),
    path("topics/<int:pk>/", portal.topic, name="topic"),
    path("mine/", portal.mine, name="mine"),
    path("orders/<int:pk>/", portal.order, name="order"),
    path("orders/<int:pk>/qr.svg", portal.order_qr, name="order_qr"),
    path("orders/<int:pk>/cancel/", portal.cancel, name="cancel"),
    path("rate/<str:rating_token>/", portal.rate, name="rate"),
]
