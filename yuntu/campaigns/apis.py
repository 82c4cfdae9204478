"""REST wiring of campaigns: reads from selectors, writes through services, lookups by access.

Errors are raised by serializers and services and answered as `{"code", "message", "fields"}`
with a Chinese message by `yuntu.api.errors.exception_handler`.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.schema import error_responses

from . import selectors, services
from .access import get_campaign_for_user, get_project_for_user, get_task_for_user
from .serializers import (
    BoardSerializer,
    CampaignSerializer,
    ProjectSerializer,
    TaskCreateSerializer,
    TaskFilterSerializer,
    TaskProgressCreateSerializer,
    TaskProgressSerializer,
    TaskSerializer,
)

TAGS = ["专项行动"]


class CampaignListApi(generics.ListAPIView):
    """专项行动：用户可见的专项行动（牵头单位在范围内，或有本范围的任务）。"""

    serializer_class = CampaignSerializer

    def get_queryset(self):
        return selectors.campaigns_visible_to(self.request.user).order_by("-start_date", "id")

    @extend_schema(tags=TAGS, summary="专项行动列表", responses={200: CampaignSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class CampaignDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="专项行动详情", responses={200: CampaignSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(CampaignSerializer(get_campaign_for_user(request.user, pk)).data)


class CampaignBoardApi(APIView):
    @extend_schema(tags=TAGS, summary="挂图作战数据（按用户可见的任务分组统计）",
                   responses={200: BoardSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(selectors.board_data(request.user, get_campaign_for_user(request.user, pk)))


class ProjectListApi(generics.ListAPIView):
    serializer_class = ProjectSerializer

    def get_queryset(self):
        projects = selectors.projects_visible_to(self.request.user).order_by("campaign_id", "number", "id")
        campaign = self.request.query_params.get("campaign", "")
        return projects.filter(campaign_id=campaign) if campaign.isdigit() else projects

    @extend_schema(tags=TAGS, summary="项目列表（?campaign= 按专项行动筛选）",
                   responses={200: ProjectSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ProjectDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="项目详情", responses={200: ProjectSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(ProjectSerializer(get_project_for_user(request.user, pk)).data)


class TaskListApi(generics.ListAPIView):
    serializer_class = TaskSerializer

    def get_queryset(self):
        filters = TaskFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        tasks = selectors.tasks_visible_to(self.request.user).select_related("org").order_by("deadline", "id")
        if data.get("campaign"):
            tasks = tasks.filter(campaign_id=data["campaign"])
        if data.get("project"):
            tasks = tasks.filter(project_id=data["project"])
        if data.get("overdue"):
            from yuntu.core import clock

            tasks = tasks.filter(selectors.overdue(clock.today()))
        return tasks

    @extend_schema(tags=TAGS, summary="任务列表（?campaign= ?project= ?overdue=true）", parameters=[TaskFilterSerializer],
                   responses={200: TaskSerializer(many=True), **error_responses(400, 401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="新增任务（完成时限不得早于计划开始；责任单位须在专项行动牵头单位范围内）",
                   request=TaskCreateSerializer, responses={201: TaskSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        serializer = TaskCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        project = get_project_for_user(request.user, data.pop("project"))
        org = selectors.edit_orgs_for(request.user, project.campaign).filter(pk=data.pop("org")).first()
        if org is None:
            raise ValidationError({"org": "责任单位不存在，或不在专项行动牵头单位的范围内。"})
        task = services.task_create(actor=request.user, project=project, org=org, **data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)


class TaskDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="任务详情", responses={200: TaskSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(TaskSerializer(get_task_for_user(request.user, pk)).data)


class TaskProgressApi(APIView):
    @extend_schema(tags=TAGS, summary="任务的进展", responses={200: TaskProgressSerializer(many=True), **error_responses(401, 404)})
    def get(self, request, pk):
        task = get_task_for_user(request.user, pk)
        return Response(TaskProgressSerializer(selectors.task_progress(request.user, task), many=True).data)

    @extend_schema(tags=TAGS, summary="填报进展（进度回调须说明原因；100% 即报告完成）", request=TaskProgressCreateSerializer,
                   responses={201: TaskProgressSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        task = get_task_for_user(request.user, pk)
        serializer = TaskProgressCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        progress = services.progress_record(actor=request.user, task=task, **serializer.validated_data)
        return Response(TaskProgressSerializer(progress).data, status=status.HTTP_201_CREATED)
