"""URLs of the benchmark-only views; included under /bench/ only when benchmarking (see bench/urls.py)."""

from django.urls import path

from . import bench_views

app_name = "bench"
urlpatterns = [
    path("hello/", bench_views.hello, name="hello"),
    path("orgs/<int:pk>/subtree-counts/", bench_views.subtree_counts, name="subtree_counts"),
    path("orgs/<int:pk>/children/", bench_views.children_counts, name="children_counts"),
    path("members/", bench_views.members, name="members"),
]
