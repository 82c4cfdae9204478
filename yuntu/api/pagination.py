from django.core.paginator import Paginator
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset, request, view=None, *, count: int | None = None):
        """`count`, when the caller knows it (e.g. from a roll-up), spares the paginator a row count."""
        if count is not None:
            def known_count_paginator(object_list, per_page):
                paginator = Paginator(object_list, per_page)
                paginator.count = count
                return paginator

            self.django_paginator_class = known_count_paginator
        try:
            return super().paginate_queryset(queryset, request, view)
        except NotFound as error:
            # Not "对象不存在或无权访问" — the list exists, the page number does not.
            raise NotFound("页码超出范围。", code="invalid_page") from error
