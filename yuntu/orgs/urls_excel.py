from django.urls import path

from . import views_excel

app_name = "excel"
urlpatterns = [
    path("", views_excel.import_start, name="index"),
    path("template/orgs.xlsx", views_excel.template_orgs, name="template_orgs"),
    path("template/members.xlsx", views_excel.template_members, name="template_members"),
    path("import/", views_excel.import_start, name="import"),
    path("import/<int:pk>/", views_excel.import_job, name="import_job"),
    path("import/<int:pk>/progress/", views_excel.import_progress, name="import_progress"),
    path("export/members.xlsx", views_excel.export_members, name="export_members"),
    path("export/orgs.xlsx", views_excel.export_orgs, name="export_orgs"),
]
