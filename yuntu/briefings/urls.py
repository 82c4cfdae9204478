from django.urls import path

from . import views

app_name = "briefings"
urlpatterns = [
    path("", views.briefing_list, name="list"),
    path("generate/", views.briefing_generate, name="generate"),
    path("templates/new/", views.template_edit, name="template_create"),
    path("templates/<int:pk>/edit/", views.template_edit, name="template_edit"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/figures/<int:figure_pk>/confirm/", views.report_figure_confirm, name="report_figure_confirm"),
    path("<int:pk>/", views.briefing_detail, name="detail"),
    path("<int:pk>/edit/", views.briefing_edit, name="edit"),
    path("<int:pk>/publish/", views.briefing_publish, name="publish"),
    path("<int:pk>/export.docx", views.briefing_export, {"fmt": "docx"}, name="export_docx"),
    path("<int:pk>/export.pdf", views.briefing_export, {"fmt": "pdf"}, name="export_pdf"),
    path("<int:pk>/export.xlsx", views.briefing_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("<int:pk>/figures/<int:figure_pk>/", views.figure_records, name="figure_records"),
]
