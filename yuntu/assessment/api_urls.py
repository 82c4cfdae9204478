from django.urls import path

from . import apis

app_name = "assessment_api"
urlpatterns = [
    path("alerts/", apis.AlertListApi.as_view(), name="alerts"),
    path("alerts/counts/", apis.AlertCountsApi.as_view(), name="alert-counts"),
    path("alerts/<int:pk>/", apis.AlertDetailApi.as_view(), name="alert"),
    path("alerts/<int:pk>/transition/", apis.AlertTransitionApi.as_view(), name="alert-transition"),
]
