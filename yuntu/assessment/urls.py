from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("", views.alert_list, name="alerts"),
    path("scan/", views.scan_now, name="scan"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert_detail"),
    path("alerts/<int:pk>/transition/", views.alert_transition, name="alert_transition"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<str:rule_code>/", views.rule_configure, name="rule_configure"),
    path("schemes/", views.scheme_list, name="schemes"),
    path("schemes/new/", views.scheme_create, name="scheme_create"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme_detail"),
    path("schemes/<int:pk>/edit/", views.scheme_edit, name="scheme_edit"),
    path("schemes/<int:pk>/delete/", views.scheme_delete, name="scheme_delete"),
    path("schemes/<int:pk>/periods/", views.period_create, name="period_create"),
    path("periods/", views.period_list, name="periods"),
    path("periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("periods/<int:pk>/score/", views.period_score, name="period_score"),
    path("periods/<int:pk>/compute/", views.period_compute, name="period_compute"),
    path("periods/<int:pk>/red-flag/", views.period_award, name="period_award"),
    path("weak-lax/", views.weak_lax_list, name="weak_lax"),
    path("weak-lax/<int:pk>/lift/", views.weak_lax_lift, name="weak_lax_lift"),
    path("circulars/", views.circular_list, name="circulars"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/publish/", views.circular_publish, name="circular_publish"),
    path("circulars/<int:pk>/export.docx", views.circular_export, name="circular_export"),
]
