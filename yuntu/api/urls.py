from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from .views.accounts import MeView, TokenView
from .views.members import MemberViewSet
from .views.orgs import OrgViewSet

app_name = "api"

router = SimpleRouter(use_regex_path=False)
router.register("orgs", OrgViewSet, basename="org")
router.register("members", MemberViewSet, basename="member")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="token"),
    path("me/", MeView.as_view(), name="me"),
    *router.urls,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its set-up script as a file, so the CSP needs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
