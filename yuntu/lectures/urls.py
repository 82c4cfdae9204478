"""Staff pages of the lecture menu, mounted at /lectures/."""

from django.urls import path

from .views import staff

app_name = "lectures"
urlpatterns = [
    path("", staff.order_list, name="list"),
    path("orders/<int:pk>/", staff.order_detail, name="order"),
    path("orders/<int:pk>/transition/", staff.order_transition, name="order_transition"),
    path("menu/", staff.menu, name="menu"),
    path("figures/", staff.figures, name="figures"),
]
