"""REST wiring of residents' voices: reads from selectors, writes through services, lookups by access.

Everything is scoped by the tree: a list holds only what `selectors.*_visible_to` / the
department selectors give the user, and every id goes through `access.get_*_for_user`, so another
subtree's item answers 404 exactly like a missing one. Errors are turned into
`{"code", "message", "fields"}` with a Chinese message by `yuntu.api.errors.exception_handler`.
"""

from django.db.models import Prefetch, Q, prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.input import validated
from yuntu.api.schema import error_responses
from yuntu.core import clock

from . import selectors, services
from .access import get_dispatch_for_user, get_request_for_user, get_suggestion_for_user
from .models import Dispatch, Request, RequestEvent
from .serializers import (
    DepartmentSerializer,
    DispatchActionSerializer,
    DispatchCreateSerializer,
    DispatchFilterSerializer,
    DispatchSerializer,
    FiguresQuerySerializer,
    RequestDetailSerializer,
    RequestFilterSerializer,
    RequestSerializer,
    RequestTransitionSerializer,
    SuggestionAdoptSerializer,
    SuggestionDeclineSerializer,
    SuggestionFilterSerializer,
    SuggestionSerializer,
    VoicesFiguresReportSerializer,
)
from .workflow import OPEN_STATUSES

TAGS = ["群众诉求"]
SUGGESTION_TAGS = ["建言献策"]



def _request_detail(request, pk) -> dict:
    item = get_request_for_user(request.user, pk)
    prefetch_related_objects(
        [item],
        Prefetch("dispatches", queryset=Dispatch.objects.select_related("org", "request", "request__category",
                                                                        "request__org").order_by("id")),
        Prefetch("events", queryset=RequestEvent.objects.select_related("actor")),
        Prefetch("duplicates", queryset=Request.objects.only("number", "merged_into").order_by("id")),
    )
    return RequestDetailSerializer(item, context={"request": request}).data


# ---- requests ---------------------------------------------------------------------------------


class RequestListApi(generics.ListAPIView):
    """群众诉求列表：本人可见范围内（社区及其上级看辖区，部门看派给本部门的），可按组织、状态、类别筛选。"""

    serializer_class = RequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = validated(RequestFilterSerializer, self.request.query_params.dict(), self.request)
        requests = selectors.requests_visible_to(self.request.user).select_related("merged_into")
        if filters.get("org") is not None:
            requests = requests.filter(org_path__under=filters["org"].path)
        if filters.get("status"):
            requests = requests.filter(status=filters["status"])
        if filters.get("category"):
            requests = requests.filter(category__code=filters["category"])
        if filters.get("open") is True:
            requests = requests.filter(status__in=OPEN_STATUSES)
        elif filters.get("open") is False:
            requests = requests.exclude(status__in=OPEN_STATUSES)
        if filters.get("overdue"):
            requests = requests.filter(status__in=OPEN_STATUSES, resolve_due__lt=clock.now())
        if filters.get("q"):
            query = filters["q"].strip()
            requests = requests.filter(Q(number__iexact=query) | Q(text__contains=query))
        return requests.order_by("-submitted_at", "-id")

    @extend_schema(tags=TAGS, summary="群众诉求列表", parameters=[RequestFilterSerializer],
                   responses={200: RequestSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class RequestDetailApi(APIView):
    """一件诉求：补充信息、答复、派单、合并的重复诉求和完整时间线。"""

    @extend_schema(tags=TAGS, summary="诉求详情", responses={200: RequestDetailSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(_request_detail(request, pk))


class RequestTransitionApi(APIView):
    """议事与晒事：社区受理办理、合并重复诉求、不予受理（须说明原因）、答复并公开。"""

    @extend_schema(tags=TAGS, summary="诉求受理与答复", request=RequestTransitionSerializer,
                   responses={200: RequestDetailSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        item = get_request_for_user(request.user, pk)
        data = validated(RequestTransitionSerializer, request.data, request)
        services.request_transition(actor=request.user, request=item, name=data["name"], reason=data["reason"],
                                    reply=data["reply"], target=data.get("target"))
        return Response(_request_detail(request, pk))


class RequestDispatchApi(APIView):
    """吹哨：把诉求派给一个或多个部门，各带办理时限（工作日）。"""

    @extend_schema(tags=TAGS, summary="吹哨派单", request=DispatchCreateSerializer,
                   responses={201: RequestDetailSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        item = get_request_for_user(request.user, pk)
        data = validated(DispatchCreateSerializer, request.data, request, voices_request=item)
        services.request_dispatch(actor=request.user, request=item, departments=data["departments"], days=data["days"],
                                  note=data["note"])
        return Response(_request_detail(request, pk), status=status.HTTP_201_CREATED)


class RequestDepartmentsApi(APIView):
    """可以吹哨派单的部门（本部署的机关单位）。"""

    @extend_schema(tags=TAGS, summary="可派单部门", responses={200: DepartmentSerializer(many=True), **error_responses(401, 404)})
    def get(self, request, pk):
        item = get_request_for_user(request.user, pk)
        departments = selectors.dispatch_departments(item).values("id", "name")
        return Response(DepartmentSerializer(departments, many=True).data)


# ---- dispatches (报到) ------------------------------------------------------------------------


class DispatchListApi(generics.ListAPIView):
    """派给本部门的吹哨派单；overdue=true 只看超期未答复的（社区也可看自己派出的超期派单）。"""

    serializer_class = DispatchSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = validated(DispatchFilterSerializer, self.request.query_params.dict(), self.request)
        user = self.request.user
        if filters.get("overdue"):
            dispatches = selectors.overdue_dispatches(user).select_related("request__category", "request__org")
        else:
            dispatches = selectors.dispatches_for_department(user).select_related("request__org")
        if filters.get("status"):
            dispatches = dispatches.filter(status=filters["status"])
        return dispatches

    @extend_schema(tags=TAGS, summary="部门派单列表", parameters=[DispatchFilterSerializer],
                   responses={200: DispatchSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _dispatch_detail(request, pk) -> dict:
    dispatch = get_dispatch_for_user(request.user, pk)
    return DispatchSerializer(dispatch, context={"request": request}).data


class DispatchDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="派单详情", responses={200: DispatchSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(_dispatch_detail(request, pk))


class DispatchActionApi(APIView):
    """报到：部门签收、答复，或说明原因退回（非本部门职责）。"""

    @extend_schema(tags=TAGS, summary="部门签收、答复或退回", request=DispatchActionSerializer,
                   responses={200: DispatchSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        dispatch = get_dispatch_for_user(request.user, pk)
        data = validated(DispatchActionSerializer, request.data, request)
        services.dispatch_transition(actor=request.user, dispatch=dispatch, name=data["name"], reply=data["reply"],
                                     reason=data["reason"])
        return Response(_dispatch_detail(request, pk))


# ---- suggestions (建言献策) -------------------------------------------------------------------


class SuggestionListApi(generics.ListAPIView):
    """建言献策：本人可见范围内收集的建议，可按组织、状态、活动筛选。"""

    serializer_class = SuggestionSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = validated(SuggestionFilterSerializer, self.request.query_params.dict(), self.request)
        suggestions = selectors.suggestions_visible_to(self.request.user)
        if filters.get("org") is not None:
            suggestions = suggestions.filter(org_path__under=filters["org"].path)
        if filters.get("status"):
            suggestions = suggestions.filter(status=filters["status"])
        if filters.get("drive"):
            suggestions = suggestions.filter(drive_id=filters["drive"])
        return suggestions.order_by("-created_at", "-id")

    @extend_schema(tags=SUGGESTION_TAGS, summary="建议列表", parameters=[SuggestionFilterSerializer],
                   responses={200: SuggestionSerializer(many=True), **error_responses(400, 401, 403, 404)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class SuggestionDetailApi(APIView):
    @extend_schema(tags=SUGGESTION_TAGS, summary="建议详情", responses={200: SuggestionSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(SuggestionSerializer(get_suggestion_for_user(request.user, pk)).data)


class SuggestionAdoptApi(APIView):
    """采纳建议：转化为整改台账某个问题的一项整改措施，建议与措施双向关联。"""

    @extend_schema(tags=SUGGESTION_TAGS, summary="采纳建议并转化为整改措施", request=SuggestionAdoptSerializer,
                   responses={200: SuggestionSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        suggestion = get_suggestion_for_user(request.user, pk)
        data = validated(SuggestionAdoptSerializer, request.data, request)
        adopted = services.suggestion_adopt(actor=request.user, suggestion=suggestion, problem=data["problem"],
                                            measure_text=data["measure_text"],
                                            responsible_person=data["responsible_person"], deadline=data["deadline"],
                                            response=data["response"])
        return Response(SuggestionSerializer(get_suggestion_for_user(request.user, adopted.pk)).data)


class SuggestionDeclineApi(APIView):
    """暂不采纳：须答复建议人。"""

    @extend_schema(tags=SUGGESTION_TAGS, summary="暂不采纳建议", request=SuggestionDeclineSerializer,
                   responses={200: SuggestionSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        suggestion = get_suggestion_for_user(request.user, pk)
        data = validated(SuggestionDeclineSerializer, request.data, request)
        services.suggestion_decline(actor=request.user, suggestion=suggestion, response=data["response"])
        return Response(SuggestionSerializer(get_suggestion_for_user(request.user, pk)).data)


# ---- figures ----------------------------------------------------------------------------------


class FiguresApi(APIView):
    """收到、按期答复、办结、满意度；建议收集与采纳转化数。"""

    @extend_schema(tags=TAGS, summary="群众诉求与建言献策统计", parameters=[FiguresQuerySerializer],
                   responses={200: VoicesFiguresReportSerializer, **error_responses(400, 401, 403, 404)})
    def get(self, request):
        query = validated(FiguresQuerySerializer, request.query_params.dict(), request)
        org = query.get("org")
        requests = selectors.requests_visible_to(request.user)
        suggestions = selectors.suggestions_visible_to(request.user)
        if org is not None:
            requests = requests.filter(org_path__under=org.path)
            suggestions = suggestions.filter(org_path__under=org.path)
        body = {
            "org": {"id": org.pk, "name": org.name} if org is not None else None,
            "requests": selectors.voices_figures(requests),
            "suggestions": selectors.suggestion_totals(suggestions),
        }
        return Response(VoicesFiguresReportSerializer(body).data)
