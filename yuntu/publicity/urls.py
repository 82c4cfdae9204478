from django.urls import path

from .views import staff

app_name = "publicity"
urlpatterns = [
    path("", staff.publication_list, name="publications"),
    path("new/", staff.publication_create, name="publication_create"),
    path("publications/<int:pk>/", staff.publication_detail, name="publication_detail"),
    path("publications/<int:pk>/transition/", staff.publication_transition, name="publication_transition"),
    path("questions/", staff.question_list, name="questions"),
    path("questions/<int:pk>/answer/", staff.question_answer, name="question_answer"),
    path("overdue/", staff.overdue, name="overdue"),
    path("articles/", staff.article_list, name="articles"),
    path("articles/new/", staff.article_create, name="article_create"),
    path("columns/new/", staff.column_create, name="column_create"),
    path("contests/", staff.contest_list, name="contests"),
    path("contests/new/", staff.contest_create, name="contest_create"),
    path("contests/<int:pk>/", staff.contest_detail, name="contest_detail"),
    path("contests/<int:pk>/transition/", staff.contest_transition, name="contest_transition"),
    path("contests/<int:pk>/score/", staff.contest_score, name="contest_score"),
]
