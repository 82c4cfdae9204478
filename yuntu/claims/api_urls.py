from django.urls import path

from . import apis

app_name = "claims_api"
urlpatterns = [
    path("needs/", apis.NeedListApi.as_view(), name="needs"),
    path("needs/<int:pk>/", apis.NeedDetailApi.as_view(), name="need"),
    path("needs/<int:pk>/claim/", apis.NeedClaimApi.as_view(), name="need-claim"),
    path("claims/", apis.ClaimListApi.as_view(), name="claims"),
    path("claims/<int:pk>/", apis.ClaimDetailApi.as_view(), name="claim"),
    path("claims/<int:pk>/transition/", apis.ClaimTransitionApi.as_view(), name="claim-transition"),
    path("reports/", apis.DualReportListApi.as_view(), name="reports"),
    path("services/", apis.ServiceRecordListApi.as_view(), name="services"),
    path("fiveplusx/", apis.FivePlusXApi.as_view(), name="fiveplusx"),
    path("figures/", apis.FiguresApi.as_view(), name="figures"),
]
