from django.urls import path

from . import apis

app_name = "publicity_api"
urlpatterns = [
    path("publications/", apis.PublicationListApi.as_view(), name="publications"),
    path("publications/<int:pk>/", apis.PublicationDetailApi.as_view(), name="publication"),
    path("columns/", apis.ColumnListApi.as_view(), name="columns"),
    path("articles/", apis.ArticleListApi.as_view(), name="articles"),
    path("articles/<int:pk>/", apis.ArticleDetailApi.as_view(), name="article"),
]
