from django.urls import path

from . import views

app_name = "ledger"
urlpatterns = [
    path("", views.problem_list, name="list"),
    path("todo/", views.todo, name="todo"),
    path("overdue/", views.overdue, name="overdue"),
    path("weekly/", views.weekly, name="weekly"),
    path("monthly/", views.monthly, name="monthly"),
    path("monthly/export.xlsx", views.monthly_export, name="monthly_export"),
    path("print/", views.print_ledger, name="print"),
    path("export.xlsx", views.export, name="export"),
    path("import/", views.import_ledger, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/<int:pk>/", views.problem_detail, name="problem_detail"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("problems/<int:pk>/transition/", views.problem_transition, name="problem_transition"),
    path("problems/<int:pk>/push/", views.problem_push, name="problem_push"),
    path("problems/<int:pk>/measures/new/", views.measure_add, name="measure_add"),
    path("problems/<int:pk>/file/", views.problem_file, name="problem_file"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/transition/", views.measure_transition, name="measure_transition"),
    path("measures/<int:pk>/progress/", views.measure_progress, name="measure_progress"),
    path("measures/<int:pk>/file/", views.measure_file, name="measure_file"),
]
