"""Staff pages of 四下基层, mounted at /grassroots/."""

from django.urls import path

from .views import figures, pairing, receptions, records, topics

app_name = "grassroots"
urlpatterns = [
    path("", figures.index, name="index"),
    path("topics/", topics.topic_list, name="topics"),
    path("topics/new/", topics.topic_create, name="topic_create"),
    path("topics/<int:pk>/", topics.topic_detail, name="topic_detail"),
    path("topics/<int:pk>/visit/", topics.topic_visit, name="topic_visit"),
    path("topics/<int:pk>/report/", topics.topic_report, name="topic_report"),
    path("proposals/<int:pk>/adopt/", topics.proposal_adopt, name="proposal_adopt"),
    path("receptions/", receptions.reception_list, name="receptions"),
    path("receptions/new/", receptions.reception_day_create, name="reception_day_create"),
    path("receptions/<int:pk>/", receptions.reception_day, name="reception_day"),
    path("bookings/<int:pk>/receive/", receptions.booking_receive, name="booking_receive"),
    path("contacts/new/", receptions.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", receptions.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/request/", receptions.contact_to_request, name="contact_to_request"),
    path("mediations/", receptions.mediation_list, name="mediations"),
    path("mediations/new/", receptions.mediation_create, name="mediation_create"),
    path("mediations/<int:pk>/", receptions.mediation_detail, name="mediation_detail"),
    path("mediations/<int:pk>/session/", receptions.mediation_session, name="mediation_session"),
    path("mediations/<int:pk>/close/", receptions.mediation_close, name="mediation_close"),
    path("enterprises/", pairing.enterprise_list, name="enterprises"),
    path("enterprises/new/", pairing.enterprise_create, name="enterprise_create"),
    path("pairings/", pairing.pairing_list, name="pairings"),
    path("pairings/new/", pairing.pairing_create, name="pairing_create"),
    path("pairings/<int:pk>/", pairing.pairing_detail, name="pairing_detail"),
    path("pairings/visit/", pairing.pairing_visit, name="pairing_visit"),
    path("demands/<int:pk>/", pairing.demand_detail, name="demand_detail"),
    path("cadres/", records.cadre_list, name="cadres"),
    path("cadres/<int:pk>/", records.cadre_record, name="cadre_record"),
    path("cadres/<int:pk>/export/", records.cadre_record_export, name="cadre_record_export"),
    path("cadres/<int:pk>/assign/", records.assignment_create, name="assignment_create"),
]
