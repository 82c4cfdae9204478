"""/portal/: the resident's home and sign-in, plus every page of residents' voices under the same names."""

from django.urls import path

from yuntu.voices import portal_urls as voices_portal

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("signin/", views.signin, name="signin"),
    *[pattern for pattern in voices_portal.urlpatterns if pattern.name != "home"],
]
