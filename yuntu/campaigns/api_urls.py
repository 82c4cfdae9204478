from django.urls import path

from . import apis

app_name = "campaigns_api"
urlpatterns = [
    path("campaigns/", apis.CampaignListApi.as_view(), name="campaigns"),
    path("campaigns/<int:pk>/", apis.CampaignDetailApi.as_view(), name="campaign"),
    path("campaigns/<int:pk>/board/", apis.CampaignBoardApi.as_view(), name="campaign-board"),
    path("projects/", apis.ProjectListApi.as_view(), name="projects"),
    path("projects/<int:pk>/", apis.ProjectDetailApi.as_view(), name="project"),
    path("tasks/", apis.TaskListApi.as_view(), name="tasks"),
    path("tasks/<int:pk>/", apis.TaskDetailApi.as_view(), name="task"),
    path("tasks/<int:pk>/progress/", apis.TaskProgressApi.as_view(), name="task-progress"),
]
