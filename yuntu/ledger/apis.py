"""REST wiring of the rectification ledger: reads from selectors, writes through services, lookups by access.

Errors (bad input, invalid transitions, no permission, not found) are raised by serializers and
services and turned into `{"code", "message", "fields"}` with a Chinese message by
`yuntu.api.errors.exception_handler`.
"""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.accounts.policy import scope_paths
from yuntu.accounts.roles import Permission
from yuntu.api.input import validated
from yuntu.api.schema import error_responses
from yuntu.orgs.models import Org

from . import selectors, services
from .access import get_measure_for_user, get_problem_for_user
from .models import LedgerEvent, Measure, Progress
from .serializers import (
    FiguresQuerySerializer,
    FiguresSerializer,
    MeasureCreateSerializer,
    MeasureDetailSerializer,
    MeasureFilterSerializer,
    MeasureSerializer,
    MeasureTransitionSerializer,
    MeasureUpdateSerializer,
    ProblemCreateSerializer,
    ProblemDetailSerializer,
    ProblemFilterSerializer,
    ProblemSerializer,
    ProblemTransitionSerializer,
    ProblemUpdateSerializer,
    ProgressCreateSerializer,
    ProgressSerializer,
    PushSerializer,
)

TAGS = ["整改台账"]
PARSERS = [JSONParser, MultiPartParser, FormParser]



def _problem_detail(request, pk) -> dict:
    problem = get_problem_for_user(request.user, pk)
    prefetch_related_objects(
        [problem],
        Prefetch("measures", queryset=Measure.objects.select_related("org").order_by("id")),
        "attachments",
        Prefetch("events", queryset=LedgerEvent.objects.select_related("actor")),
    )
    rollup = selectors.push_down_rollup(request.user, problem)
    context = {"request": request, "pushed_down": rollup if rollup["problems"] else None}
    return ProblemDetailSerializer(problem, context=context).data


def _measure_detail(request, pk) -> dict:
    measure = get_measure_for_user(request.user, pk)
    prefetch_related_objects(
        [measure], Prefetch("progress_reports", queryset=Progress.objects.select_related("author").prefetch_related("evidence"))
    )
    return MeasureDetailSerializer(measure, context={"request": request}).data


class ProblemListApi(generics.ListAPIView):
    """问题清单：列表（按组织、状态、来源、类别、单位类别、发现日期筛选）与填报。"""

    serializer_class = ProblemSerializer
    filter_backends: list = []
    parser_classes = PARSERS

    def get_queryset(self):
        filters = validated(ProblemFilterSerializer, self.request.query_params.dict(), self.request)
        return selectors.problem_list(
            self.request.user, org=filters.get("org"), status=filters.get("status", ""),
            source=filters.get("source", ""), category=filters.get("category", ""),
            level_class=filters.get("level_class", ""), query=filters.get("q", ""), start=filters.get("start"),
            end=filters.get("end"),
        )

    @extend_schema(tags=TAGS, summary="问题清单", parameters=[ProblemFilterSerializer],
                   responses={200: ProblemSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="填报问题", request=ProblemCreateSerializer,
                   responses={201: ProblemDetailSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        data = validated(ProblemCreateSerializer, request.data, request)
        problem = services.problem_create(
            actor=request.user, org=data["org"], title=data["title"], description=data["description"],
            source=data["source"], category=data["category"], found_on=data["found_on"], batch=data["batch"],
            attachments=data["attachments"],
        )
        return Response(_problem_detail(request, problem.pk), status=status.HTTP_201_CREATED)


class ProblemDetailApi(APIView):
    """一个问题及其整改措施、附件、时间线；审核前可修改。"""

    @extend_schema(tags=TAGS, summary="问题详情", responses={200: ProblemDetailSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(_problem_detail(request, pk))

    @extend_schema(tags=TAGS, summary="修改问题（待审核或被退回时）", request=ProblemUpdateSerializer,
                   responses={200: ProblemDetailSerializer, **error_responses(400, 401, 403, 404)})
    def patch(self, request, pk):
        problem = get_problem_for_user(request.user, pk)
        changes = validated(ProblemUpdateSerializer, request.data, request)
        services.problem_update(actor=request.user, problem=problem, **changes)
        return Response(_problem_detail(request, pk))


class ProblemTransitionApi(APIView):
    """审核通过、退回修改、重新提交、销号、重新挂账。"""

    @extend_schema(tags=TAGS, summary="问题状态流转", request=ProblemTransitionSerializer,
                   responses={200: ProblemDetailSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        problem = get_problem_for_user(request.user, pk)
        data = validated(ProblemTransitionSerializer, request.data, request)
        services.problem_transition(actor=request.user, problem=problem, name=data["name"], reason=data["reason"])
        return Response(_problem_detail(request, pk))


class ProblemPushApi(APIView):
    """上下联动：把问题推送给若干下级单位，各自制定措施。"""

    @extend_schema(tags=TAGS, summary="向下级推送问题", request=PushSerializer,
                   responses={201: ProblemSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        problem = get_problem_for_user(request.user, pk)
        data = validated(PushSerializer, request.data, request)
        pushed = services.problem_push_down(actor=request.user, problem=problem, orgs=list(data["orgs"]))
        return Response(ProblemSerializer(pushed, many=True).data, status=status.HTTP_201_CREATED)


class ProblemMeasuresApi(APIView):
    """一个问题的整改措施：列出与制定。"""

    parser_classes = PARSERS

    @extend_schema(tags=TAGS, summary="问题的整改措施", responses={200: MeasureSerializer(many=True), **error_responses(401, 404)})
    def get(self, request, pk):
        problem = get_problem_for_user(request.user, pk)
        measures = selectors.measures_visible_to(request.user).filter(problem=problem).order_by("id")
        return Response(MeasureSerializer(measures, many=True).data)

    @extend_schema(tags=TAGS, summary="制定整改措施", request=MeasureCreateSerializer,
                   responses={201: MeasureDetailSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        problem = get_problem_for_user(request.user, pk)
        data = validated(MeasureCreateSerializer, request.data, request)
        measure = services.measure_add(actor=request.user, problem=problem, text=data["text"],
                                       responsible_person=data["responsible_person"], deadline=data["deadline"],
                                       org=data.get("org"))
        return Response(_measure_detail(request, measure.pk), status=status.HTTP_201_CREATED)


class MeasureListApi(generics.ListAPIView):
    """整改措施列表；overdue=true 只看逾期未完成的。"""

    serializer_class = MeasureSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = validated(MeasureFilterSerializer, self.request.query_params.dict(), self.request)
        user, org = self.request.user, filters.get("org")
        if filters.get("overdue"):
            measures = selectors.overdue_measures(user, org=org)
        else:
            measures = selectors.measures_visible_to(user).order_by("deadline", "id")
            if org is not None:
                measures = measures.filter(org_path__under=org.path)
        if filters.get("problem"):
            measures = measures.filter(problem_id=filters["problem"])
        if filters.get("status"):
            measures = measures.filter(status=filters["status"])
        return measures

    @extend_schema(tags=TAGS, summary="整改措施列表", parameters=[MeasureFilterSerializer],
                   responses={200: MeasureSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class MeasureDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="措施详情（含进展与佐证材料）", responses={200: MeasureDetailSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(_measure_detail(request, pk))

    @extend_schema(tags=TAGS, summary="修改措施（待审核或被退回时）", request=MeasureUpdateSerializer,
                   responses={200: MeasureDetailSerializer, **error_responses(400, 401, 403, 404)})
    def patch(self, request, pk):
        measure = get_measure_for_user(request.user, pk)
        changes = validated(MeasureUpdateSerializer, request.data, request)
        services.measure_update(actor=request.user, measure=measure, **changes)
        return Response(_measure_detail(request, pk))


class MeasureTransitionApi(APIView):
    """审核通过、退回修改、重新提交、报告完成、验收通过、重新整改。"""

    @extend_schema(tags=TAGS, summary="措施状态流转", request=MeasureTransitionSerializer,
                   responses={200: MeasureDetailSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        measure = get_measure_for_user(request.user, pk)
        data = validated(MeasureTransitionSerializer, request.data, request)
        services.measure_transition(actor=request.user, measure=measure, name=data["name"], reason=data["reason"])
        return Response(_measure_detail(request, pk))


class MeasureProgressApi(APIView):
    """进展情况：填报文字、进度和佐证材料（multipart，字段 evidence 可重复）。"""

    parser_classes = PARSERS

    @extend_schema(tags=TAGS, summary="措施的进展记录", responses={200: ProgressSerializer(many=True), **error_responses(401, 404)})
    def get(self, request, pk):
        measure = get_measure_for_user(request.user, pk)
        reports = measure.progress_reports.select_related("author").prefetch_related("evidence")
        return Response(ProgressSerializer(reports, many=True).data)

    @extend_schema(tags=TAGS, summary="填报进展", request={"multipart/form-data": ProgressCreateSerializer,
                                                             "application/json": ProgressCreateSerializer},
                   responses={201: ProgressSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        measure = get_measure_for_user(request.user, pk)
        data = validated(ProgressCreateSerializer, request.data, request)
        progress = services.progress_record(actor=request.user, measure=measure, text=data["text"],
                                            percent=data["percent"], evidence=data["evidence"])
        return Response(ProgressSerializer(progress).data, status=status.HTTP_201_CREATED)


def _default_org(user) -> Org:
    """The top org of the user's ledger scope, when there is exactly one."""
    paths = scope_paths(user, Permission.LEDGER_VIEW)
    if paths == [""]:
        roots = list(Org.objects.get_root_nodes()[:2])
        if len(roots) == 1:
            return roots[0]
    elif len(paths) == 1:
        org = Org.objects.filter(path=paths[0]).first()
        if org is not None:
            return org
    raise ValidationError({"org": "请选择要统计的组织。"})


class FiguresApi(APIView):
    """完成率：问题数、措施数、完成数、销号数、逾期数，按县处级以上单位与基层党组织分列，并对下级单位排名。"""

    @extend_schema(tags=TAGS, summary="整改完成率与单位排名", parameters=[FiguresQuerySerializer],
                   responses={200: FiguresSerializer, **error_responses(400, 401, 403, 404)})
    def get(self, request):
        query = validated(FiguresQuerySerializer, request.query_params.dict(), request)
        org = query.get("org") or _default_org(request.user)
        start, end = query.get("start"), query.get("end")
        figures = selectors.ledger_figures(request.user, org=org, start=start, end=end)
        ranking = selectors.unit_ranking(request.user, org=org, start=start, end=end)
        body = {"org": {"id": org.pk, "name": org.name}, "start": start, "end": end, "figures": figures,
                "ranking": ranking}
        return Response(FiguresSerializer(body).data)

