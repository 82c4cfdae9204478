"""The member's and resident's phone pages of needs and claims, mounted at /portal/needs/."""

from django.urls import path

from .views import portal

app_name = "needs"
urlpatterns = [
    path("", portal.need_list, name="list"),
    path("<int:pk>/", portal.need_detail, name="detail"),
    path("<int:pk>/photo/", portal.need_photo, name="photo"),
    path("<int:pk>/claim/", portal.need_claim, name="claim"),
    path("mine/", portal.mine, name="mine"),
    path("claims/<int:pk>/", portal.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/photo/", portal.claim_photo, name="claim_photo"),
    path("claims/<int:pk>/report/", portal.claim_report, name="claim_report"),
    path("claims/<int:pk>/withdraw/", portal.claim_withdraw, name="claim_withdraw"),
    path("report/", portal.report, name="report"),
    path("pledges/", portal.pledge_add, name="pledge_add"),
]
