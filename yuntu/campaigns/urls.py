from django.urls import path

from . import views

app_name = "campaigns"
urlpatterns = [
    path("", views.campaign_list, name="list"),
    path("follow-up/", views.follow_up, name="follow_up"),
    path("<int:pk>/", views.campaign_detail, name="detail"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/board.json", views.board_data, name="board_data"),
    path("<int:pk>/weekly/", views.weekly, name="weekly"),
    path("<int:pk>/transition/", views.campaign_transition, name="transition"),
    path("<int:pk>/projects/new/", views.project_create, name="project_create"),
    path("<int:pk>/import/", views.import_roadmap, name="import"),
    path("<int:pk>/import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("projects/<int:pk>/", views.project_detail, name="project"),
    path("projects/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("projects/<int:pk>/hq/", views.hq_create, name="hq_create"),
    path("projects/<int:pk>/hq/members/", views.hq_member_add, name="hq_member_add"),
    path("projects/<int:pk>/hq/dissolve/", views.hq_dissolve, name="hq_dissolve"),
    path("projects/<int:pk>/posts/", views.post_create, name="post_create"),
    path("posts/<int:pk>/marks/", views.mark_add, name="mark_add"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    path("tasks/<int:pk>/transition/", views.task_transition, name="task_transition"),
    path("tasks/<int:pk>/file/", views.task_file, name="task_file"),
    path("milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
]
