"""REST endpoints of publicity, under the data scope: lists hold only what the policy shows the user,
ids go through `access`, writes through `services`; errors as the API's `{"code", "message", "fields"}`."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from yuntu.accounts.policy import visible
from yuntu.accounts.roles import Permission
from yuntu.api.schema import error_responses

from . import selectors, services
from .access import get_article_for_user, get_publication_for_user
from .models import Column
from .serializers import (
    ArticleSerializer,
    ColumnSerializer,
    PublicationFilterSerializer,
    PublicationSerializer,
    PublicationWriteSerializer,
)

TAGS = ["党务村务公开"]
COLUMN_TAGS = ["宣传学习栏目"]


class PublicationListApi(generics.ListCreateAPIView):
    """公开事项：本人可见范围内各组织的公开事项（含草稿），可按目录、状态筛选；新建须有目录和公开期间。"""

    serializer_class = PublicationSerializer
    filter_backends: list = []

    def get_queryset(self):
        filters = PublicationFilterSerializer(data=self.request.query_params.dict())
        filters.is_valid(raise_exception=True)
        return selectors.publications_for_staff(self.request.user, **filters.validated_data)

    @extend_schema(tags=TAGS, summary="公开事项列表", parameters=[PublicationFilterSerializer],
                   responses={200: PublicationSerializer(many=True), **error_responses(400, 401, 403)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(tags=TAGS, summary="新建公开事项", request=PublicationWriteSerializer,
                   responses={201: PublicationSerializer, **error_responses(400, 401, 403)})
    def post(self, request, *args, **kwargs):
        serializer = PublicationWriteSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        item = services.publication_save(actor=request.user, org=data["org"], catalogue=data["catalogue"],
                                         title=data["title"], body=data["body"], period_start=data["period_start"],
                                         period_end=data["period_end"], publish=data["publish"])
        return Response(PublicationSerializer(item).data, status=status.HTTP_201_CREATED)


class PublicationDetailApi(APIView):
    @extend_schema(tags=TAGS, summary="公开事项详情", responses={200: PublicationSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(PublicationSerializer(get_publication_for_user(request.user, pk)).data)


class ColumnListApi(generics.ListAPIView):
    """栏目：本人可见范围内各组织的新闻和学习栏目。"""

    serializer_class = ColumnSerializer
    filter_backends: list = []

    def get_queryset(self):
        return visible(self.request.user, Column, Permission.PUBLICITY_VIEW).select_related("org").order_by("org__path", "id")

    @extend_schema(tags=COLUMN_TAGS, summary="栏目列表", responses={200: ColumnSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ArticleListApi(generics.ListAPIView):
    serializer_class = ArticleSerializer
    filter_backends: list = []

    def get_queryset(self):
        return selectors.articles_for_staff(self.request.user)

    @extend_schema(tags=COLUMN_TAGS, summary="文章列表", responses={200: ArticleSerializer(many=True), **error_responses(401)})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ArticleDetailApi(APIView):
    @extend_schema(tags=COLUMN_TAGS, summary="文章详情", responses={200: ArticleSerializer, **error_responses(401, 404)})
    def get(self, request, pk):
        return Response(ArticleSerializer(get_article_for_user(request.user, pk)).data)
