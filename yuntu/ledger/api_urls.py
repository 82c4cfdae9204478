from django.urls import path

from . import apis

app_name = "ledger_api"
urlpatterns = [
    path("problems/", apis.ProblemListApi.as_view(), name="problems"),
    path("problems/<int:pk>/", apis.ProblemDetailApi.as_view(), name="problem"),
    path("problems/<int:pk>/transition/", apis.ProblemTransitionApi.as_view(), name="problem-transition"),
    path("problems/<int:pk>/push/", apis.ProblemPushApi.as_view(), name="problem-push"),
    path("problems/<int:pk>/measures/", apis.ProblemMeasuresApi.as_view(), name="problem-measures"),
    path("measures/", apis.MeasureListApi.as_view(), name="measures"),
    path("measures/<int:pk>/", apis.MeasureDetailApi.as_view(), name="measure"),
    path("measures/<int:pk>/transition/", apis.MeasureTransitionApi.as_view(), name="measure-transition"),
    path("measures/<int:pk>/progress/", apis.MeasureProgressApi.as_view(), name="measure-progress"),
    path("figures/", apis.FiguresApi.as_view(), name="figures"),
]
