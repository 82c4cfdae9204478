from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("yuntu.accounts.urls")),
    path("orgs/", include("yuntu.orgs.urls")),
    path("excel/", include("yuntu.orgs.urls_excel")),
    path("ledger/", include("yuntu.ledger.urls")),
    path("voices/", include("yuntu.voices.urls")),
    path("claims/", include("yuntu.claims.urls")),
    path("venues/", include("yuntu.venues.urls")),
    path("lectures/", include("yuntu.lectures.urls")),
    path("campaigns/", include("yuntu.campaigns.urls")),
    path("grassroots/", include("yuntu.grassroots.urls")),
    path("publicity/", include("yuntu.publicity.urls")),
    path("orglife/", include("yuntu.orglife.urls")),
    path("assessment/", include("yuntu.assessment.urls")),
    path("dashboard/", include("yuntu.dashboard.urls")),
    path("briefings/", include("yuntu.briefings.urls")),
    # The resident's pages: each module's own under portal/<thing>/, then the home, sign-in and voices pages.
    path("portal/needs/", include("yuntu.claims.portal_urls")),
    path("portal/venues/", include("yuntu.venues.portal_urls")),
    path("portal/lectures/", include("yuntu.lectures.portal_urls")),
    path("portal/receptions/", include("yuntu.grassroots.portal_urls")),
    path("portal/publicity/", include("yuntu.publicity.portal_urls")),
    path("portal/inbox/", include("yuntu.inbox.urls")),
    path("portal/", include("yuntu.portal.urls")),
    path("api/ledger/", include("yuntu.ledger.api_urls")),
    path("api/voices/", include("yuntu.voices.api_urls")),
    path("api/claims/", include("yuntu.claims.api_urls")),
    path("api/venues/", include("yuntu.venues.api_urls")),
    path("api/lectures/", include("yuntu.lectures.api_urls")),
    path("api/campaigns/", include("yuntu.campaigns.api_urls")),
    path("api/grassroots/", include("yuntu.grassroots.api_urls")),
    path("api/publicity/", include("yuntu.publicity.api_urls")),
    path("api/orglife/", include("yuntu.orglife.api_urls")),
    path("api/assessment/", include("yuntu.assessment.api_urls")),
    path("api/", include("yuntu.api.urls")),
    path("open311/v2/", include("yuntu.voices.open311.urls")),
    path("security/", include("yuntu.security.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "yuntu.core.views.page_not_found"
