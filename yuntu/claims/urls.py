"""Staff pages of service claims and dual reporting, mounted at /claims/."""

from django.urls import path

from .views import staff

app_name = "claims"
urlpatterns = [
    path("", staff.need_list, name="list"),
    path("needs/new/", staff.need_create, name="need_create"),
    path("needs/<int:pk>/", staff.need_detail, name="need_detail"),
    path("needs/<int:pk>/photo/", staff.need_photo, name="need_photo"),
    path("needs/<int:pk>/withdraw/", staff.need_withdraw, name="need_withdraw"),
    path("needs/<int:pk>/claim/", staff.need_branch_claim, name="need_branch_claim"),
    path("claims/<int:pk>/transition/", staff.claim_transition, name="claim_transition"),
    path("claims/<int:pk>/photo/", staff.claim_photo, name="claim_photo"),
    path("reports/", staff.reports, name="reports"),
    path("fiveplusx/", staff.five_plus_x, name="five_plus_x"),
    path("figures/", staff.figures, name="figures"),
]
