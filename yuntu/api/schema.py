"""OpenAPI helpers: the shape of an error body and the error answers an operation documents."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(help_text="机器可读的错误代码，如 invalid、not_found、permission_denied"),
        "message": serializers.CharField(help_text="中文错误说明"),
        "fields": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField()), required=False,
            help_text="按字段列出的中文错误（仅 code=invalid 时出现）",
        ),
    },
)

ERROR_DESCRIPTIONS = {
    400: "提交的内容有误（code=invalid，fields 按字段给出中文说明）",
    401: "未登录或令牌无效",
    403: "无权执行此操作",
    404: "对象不存在或无权访问",
    429: "请求过于频繁或登录已被锁定",
}


def error_responses(*statuses: int) -> dict:
    return {code: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[code]) for code in statuses}
