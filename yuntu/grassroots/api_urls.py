from django.urls import path

from . import apis

app_name = "grassroots_api"
urlpatterns = [
    path("topics/", apis.TopicListApi.as_view(), name="topics"),
    path("topics/<int:pk>/", apis.TopicDetailApi.as_view(), name="topic"),
    path("contacts/", apis.ContactListApi.as_view(), name="contacts"),
    path("receptions/", apis.ReceptionDayListApi.as_view(), name="receptions"),
    path("enterprises/", apis.EnterpriseListApi.as_view(), name="enterprises"),
    path("pairings/", apis.PairingListApi.as_view(), name="pairings"),
    path("pairings/visits/", apis.PairingVisitApi.as_view(), name="pairing-visits"),
    path("demands/", apis.DemandListApi.as_view(), name="demands"),
    path("mediations/", apis.MediationListApi.as_view(), name="mediations"),
    path("cadres/<int:pk>/record/", apis.CadreRecordApi.as_view(), name="cadre-record"),
    path("figures/", apis.FiguresApi.as_view(), name="figures"),
]
