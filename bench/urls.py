"""The app's URLs plus the benchmark-only views under /bench/."""

from django.urls import include, path

from config.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("bench/", include("yuntu.demo.bench_urls")), *app_urlpatterns]
