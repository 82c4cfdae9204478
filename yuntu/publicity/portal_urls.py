"""The resident's publicity pages, mounted at /portal/publicity/."""

from django.urls import path

from .views import portal

app_name = "portal_publicity"
urlpatterns = [
    path("", portal.affairs, name="affairs"),
    path("affairs/<int:pk>/", portal.affair, name="affair"),
    path("affairs/<int:pk>/ask/", portal.ask, name="ask"),
    path("news/", portal.news, name="news"),
    path("study/", portal.study, name="study"),
    path("articles/<int:pk>/", portal.article, name="article"),
    path("study-lists/<int:pk>/", portal.study_list, name="study_list"),
    path("contests/", portal.contests, name="contests"),
    path("contests/<int:pk>/", portal.contest, name="contest"),
    path("contests/<int:pk>/enter/", portal.enter, name="enter"),
]
