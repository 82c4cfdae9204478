from django.urls import path

from . import apis

app_name = "assessment_api"
urlpatterns = [
    path("alerts/", apis.AlertListApi.as_view(), name="alerts"),
    path("alerts/counts/", apis.AlertCountsApi.as_view(), name="alert-counts"),
    path("alerts/<int:pk>/", apis.AlertDetailApi.as_view(), name="alert"),
    path("alerts/<int:pk>/transition/", apis.AlertTransitionApi.as_view(), name="alert-transition"),
    path("schemes/", apis.SchemeListApi.as_view(), name="schemes"),
    path("schemes/<int:pk>/", apis.SchemeDetailApi.as_view(), name="scheme"),
    path("schemes/<int:pk>/periods/", apis.SchemePeriodsApi.as_view(), name="scheme-periods"),
    path("periods/", apis.PeriodListApi.as_view(), name="periods"),
    path("periods/<int:pk>/ranking/", apis.PeriodRankingApi.as_view(), name="period-ranking"),
]
