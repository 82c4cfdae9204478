"""GeoReport v2 routes, each with its format suffix (.xml or .json); mounted at /open311/v2/."""

from django.urls import re_path

from . import views

app_name = "open311"
FMT = r"\.(?P<fmt>[A-Za-z]+)$"
urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/.]+)" + FMT, views.service_definition, name="service"),
    re_path(r"^service/(?P<code>[^/.]+)" + FMT, views.service_definition, name="service-liberal"),
    re_path(r"^requests" + FMT, views.requests_view, name="requests"),
    re_path(r"^requests/(?P<number>[^/.]+)" + FMT, views.request_detail, name="request"),
    re_path(r"^request/(?P<number>[^/.]+)" + FMT, views.request_detail, name="request-liberal"),
    re_path(r"^tokens/(?P<token>[^/.]+)" + FMT, views.token, name="token"),
    re_path(r"^servicerequestupdates" + FMT, views.request_updates, name="updates"),
]
