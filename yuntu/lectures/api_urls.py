from django.urls import path

from . import apis

app_name = "lectures_api"
urlpatterns = [
    path("topics/", apis.TopicListApi.as_view(), name="topics"),
    path("orders/", apis.OrderListApi.as_view(), name="orders"),
    path("orders/mine/", apis.MyOrdersApi.as_view(), name="my-orders"),
    path("orders/<int:pk>/", apis.OrderDetailApi.as_view(), name="order"),
    path("orders/<int:pk>/action/", apis.OrderActionApi.as_view(), name="order-action"),
    path("figures/", apis.FiguresApi.as_view(), name="figures"),
]
