"""REST wiring of organisational life: reads from selectors, writes through services, lookups by access."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.api.input import validated
from yuntu.api.schema import error_responses

from . import selectors, services
from .access import get_meeting_for_sign_in, get_meeting_for_user, get_member_for_user
from .serializers import (
    AttendanceSerializer,
    FiguresQuerySerializer,
    MeetingCreateSerializer,
    MeetingDetailSerializer,
    MeetingFilterSerializer,
    MeetingSerializer,
    MinutesSerializer,
    SignInSerializer,
)

TAGS = ["组织生活"]



def _detail(request, pk):
    meeting = get_meeting_for_user(request.user, pk)
    return MeetingDetailSerializer(meeting).data


class MeetingListApi(generics.ListAPIView):
    """会议活动：列表与安排。"""

    serializer_class = MeetingSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = validated(MeetingFilterSerializer, self.request.query_params.dict(), self.request)
        return selectors.meeting_list(self.request.user, org=filters.get("org"), kind=filters.get("kind", ""),
                                      status=filters.get("status", ""), start=filters.get("start"),
                                      end=filters.get("end"))

    @extend_schema(tags=TAGS, summary="会议活动列表", parameters=[MeetingFilterSerializer],
                   responses={200: MeetingSerializer(many=True), **error_responses(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="安排会议（并通知党员）", request=MeetingCreateSerializer,
                   responses={201: MeetingDetailSerializer, **error_responses(400, 401, 403)})
    def post(self, request):
        data = validated(MeetingCreateSerializer, request.data, request)
        meeting = services.meeting_plan(actor=request.user, **data)
        return Response(_detail(request, meeting.pk), status=status.HTTP_201_CREATED)


class MeetingDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="会议详情（含出席情况）", responses={200: MeetingDetailSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(_detail(request, pk))


class MeetingMinutesApi(APIView):
    @extend_schema(tags=TAGS, summary="填写会议记录", request=MinutesSerializer,
                   responses={200: MeetingDetailSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request, pk):
        meeting = get_meeting_for_user(request.user, pk)
        data = validated(MinutesSerializer, request.data, request)
        services.meeting_record_minutes(actor=request.user, meeting=meeting, minutes=data["minutes"])
        return Response(_detail(request, pk))


class SignInApi(APIView):
    """扫码签到：党员本人凭会议二维码中的签到码签到，重复签到会被拒绝。"""

    @extend_schema(tags=TAGS, summary="扫码签到", request=SignInSerializer,
                   responses={201: AttendanceSerializer, **error_responses(400, 401, 403, 404)})
    def post(self, request):
        data = validated(SignInSerializer, request.data, request)
        meeting = get_meeting_for_sign_in(request.user, data["token"])
        attendance = services.meeting_sign_in(actor=request.user, meeting=meeting)
        return Response(AttendanceSerializer(attendance).data, status=status.HTTP_201_CREATED)


class MemberAttendanceApi(APIView):
    @extend_schema(tags=TAGS, summary="党员的组织生活记录", responses={200: AttendanceSerializer(many=True),
                                                               **error_responses(401, 404)})
    def get(self, request, member_pk):
        member = get_member_for_user(request.user, member_pk)
        history = selectors.member_history(request.user, member)
        return Response({"totals": history["totals"],
                         "rows": AttendanceSerializer(history["rows"][:500], many=True).data})


class FiguresApi(APIView):
    @extend_schema(tags=TAGS, summary="会议召开与出席率统计", parameters=[FiguresQuerySerializer],
                   responses={200: dict, **error_responses(400, 401, 404)})
    def get(self, request):
        query = validated(FiguresQuerySerializer, request.query_params.dict(), request)
        org = query.get("org") or selectors.orglife_roots_for(request.user).first()
        if org is None:
            return Response({"code": "not_found", "message": "您没有可查看的组织。"}, status=404)
        figures = selectors.figures(request.user, org=org, start=query["start"], end=query["end"])
        figures["by_kind"] = [{"kind": kind, "label": label, "held": count} for kind, label, count in figures["by_kind"]]
        return Response({"org": org.pk, **figures})
