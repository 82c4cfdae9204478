"""Every API error is JSON: {"code": ..., "message": <Chinese>, "fields": {...}}.

Services raise Django's `ValidationError` / `PermissionDenied` with Chinese messages; they are
answered here as 400 / 403 with those messages. DRF's own errors (not signed in, unknown
method, bad JSON, throttled…) get the fixed Chinese messages below, whatever the request's
language, so a client always reads one vocabulary. A 404 never says whether the object is
missing or merely outside the user's scope.
"""

import logging

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

logger = logging.getLogger("yuntu.api")

MESSAGES = {
    "not_authenticated": "请先登录。",
    "authentication_failed": "身份认证失败，请重新登录。",
    "permission_denied": "无权执行此操作。",
    "csrf_failed": "安全校验（CSRF）失败，请刷新页面后重试。",
    "not_found": "对象不存在或无权访问。",
    "method_not_allowed": "不支持该请求方法。",
    "not_acceptable": "无法按请求的格式返回内容。",
    "throttled": "请求过于频繁，请稍后再试。",
    "unsupported_media_type": "不支持的请求格式。",
    "parse_error": "请求内容格式错误。",
    "invalid": "提交的内容有误。",
    "invalid_credentials": "用户名（手机号）或密码不正确。",
    "locked": "登录失败次数过多，已暂时锁定，请稍后再试。",
    "otp_required": "该账号已启用动态验证码：请在 otp_token 中提交验证器应用显示的6位数字。",
    "server_error": "服务器内部错误，请稍后再试。",
}
# Codes whose message is always ours: DRF's text for them is English or follows Accept-Language.
FIXED_MESSAGES = {"not_authenticated", "authentication_failed", "not_found", "method_not_allowed", "not_acceptable",
                  "unsupported_media_type", "parse_error"}


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_credentials"
    default_detail = MESSAGES["invalid_credentials"]


class SecondFactorRequired(exceptions.APIException):
    """The account has a confirmed TOTP device: a token is issued only with a valid code too."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "otp_required"
    default_detail = MESSAGES["otp_required"]


class LockedOut(exceptions.APIException):
    """Too many failed sign-ins for this user name from this address (counted by django-axes)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked"
    default_detail = MESSAGES["locked"]


def _messages(value) -> list[str]:
    """Flatten DRF's nested error details (lists of dicts for list fields) into plain Chinese lines."""
    if isinstance(value, dict):
        return [message for key, item in value.items() for message in
                (f"第{int(key) + 1}项：{line}" if str(key).isdigit() else line for line in _messages(item))]
    if isinstance(value, list):
        return [message for item in value for message in _messages(item)]
    return [str(value)]


def _validation_fields(detail) -> dict:
    if isinstance(detail, dict):
        return {("non_field_errors" if key == NON_FIELD_ERRORS else key): _messages(value) for key, value in detail.items()}
    return {"non_field_errors": _messages(detail)}


def _from_django(exc):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    return exc


def _message(exc: exceptions.APIException, code: str) -> str:
    detail = exc.detail if isinstance(exc.detail, str) else ""
    custom = bool(detail) and str(detail) != str(exc.default_detail)
    if isinstance(exc, exceptions.Throttled):
        return f"请求过于频繁，请{exc.wait:.0f}秒后再试。" if exc.wait else MESSAGES["throttled"]
    if code in FIXED_MESSAGES or not custom:
        return MESSAGES.get(code, str(detail) or "请求失败。")
    return str(detail)


def exception_handler(exc, context):
    exc = _from_django(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        if settings.DEBUG:
            return None  # Django's debug page shows the traceback.
        logger.exception("API 请求出错", exc_info=exc)
        set_rollback()
        return Response({"code": "server_error", "message": MESSAGES["server_error"]},
                        status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    if isinstance(exc, exceptions.ValidationError):
        fields = _validation_fields(exc.detail)
        first = next((messages[0] for messages in fields.values() if messages), MESSAGES["invalid"])
        response.data = {"code": "invalid", "message": first, "fields": fields}
        response.status_code = status.HTTP_400_BAD_REQUEST
        return response
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    code = codes if isinstance(codes, str) else "error"
    if code == "permission_denied" and str(getattr(exc, "detail", "")).startswith("CSRF Failed"):
        code = "csrf_failed"
        response.data = {"code": code, "message": MESSAGES[code]}
        return response
    response.data = {"code": code, "message": _message(exc, code)}
    return response
