from django.urls import path

from . import apis

app_name = "voices_api"
urlpatterns = [
    path("requests/", apis.RequestListApi.as_view(), name="requests"),
    path("requests/<int:pk>/", apis.RequestDetailApi.as_view(), name="request"),
    path("requests/<int:pk>/transition/", apis.RequestTransitionApi.as_view(), name="request-transition"),
    path("requests/<int:pk>/dispatch/", apis.RequestDispatchApi.as_view(), name="request-dispatch"),
    path("requests/<int:pk>/departments/", apis.RequestDepartmentsApi.as_view(), name="request-departments"),
    path("dispatches/", apis.DispatchListApi.as_view(), name="dispatches"),
    path("dispatches/<int:pk>/", apis.DispatchDetailApi.as_view(), name="dispatch"),
    path("dispatches/<int:pk>/action/", apis.DispatchActionApi.as_view(), name="dispatch-action"),
    path("suggestions/", apis.SuggestionListApi.as_view(), name="suggestions"),
    path("suggestions/<int:pk>/", apis.SuggestionDetailApi.as_view(), name="suggestion"),
    path("suggestions/<int:pk>/adopt/", apis.SuggestionAdoptApi.as_view(), name="suggestion-adopt"),
    path("suggestions/<int:pk>/decline/", apis.SuggestionDeclineApi.as_view(), name="suggestion-decline"),
    path("figures/", apis.FiguresApi.as_view(), name="figures"),
]
