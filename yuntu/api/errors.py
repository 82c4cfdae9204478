"""Every API error is JSON: {"code": ..., "message": <Chinese>, "fields": {...}}."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES = {
    "not_authenticated": "请先登录。",
    "authentication_failed": "身份认证失败，请重新登录。",
    "permission_denied": "无权执行此操作。",
    "not_found": "对象不存在或无权访问。",
    "method_not_allowed": "不支持该请求方法。",
    "throttled": "请求过于频繁，请稍后再试。",
    "unsupported_media_type": "不支持的请求格式。",
    "parse_error": "请求内容格式错误。",
    "invalid": "提交的内容有误。",
}


def _validation_fields(detail) -> dict:
    if isinstance(detail, dict):
        return {key: [str(item) for item in (value if isinstance(value, list) else [value])] for key, value in detail.items()}
    return {"non_field_errors": [str(item) for item in (detail if isinstance(detail, list) else [detail])]}


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages})
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = _validation_fields(exc.detail)
        first = next((messages[0] for messages in fields.values() if messages), MESSAGES["invalid"])
        response.data = {"code": "invalid", "message": first, "fields": fields}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    code = codes if isinstance(codes, str) else "error"
    detail = getattr(exc, "detail", "")
    message = MESSAGES.get(code) if code in MESSAGES and (not isinstance(detail, str) or detail == exc.default_detail) else str(detail)
    response.data = {"code": code, "message": message or MESSAGES.get(code, "请求失败。")}
    return response
