from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("yuntu.accounts.urls")),
    path("orgs/", include("yuntu.orgs.urls")),
    path("excel/", include("yuntu.orgs.urls_excel")),
    path("ledger/", include("yuntu.ledger.urls")),
    path("voices/", include("yuntu.voices.urls")),
    path("orglife/", include("yuntu.orglife.urls")),
    path("assessment/", include("yuntu.assessment.urls")),
    path("portal/", include("yuntu.voices.portal_urls")),
    path("api/ledger/", include("yuntu.ledger.api_urls")),
    path("api/voices/", include("yuntu.voices.api_urls")),
    path("api/orglife/", include("yuntu.orglife.api_urls")),
    path("api/assessment/", include("yuntu.assessment.api_urls")),
    path("api/", include("yuntu.api.urls")),
    path("open311/v2/", include("yuntu.voices.open311.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "yuntu.core.views.page_not_found"
