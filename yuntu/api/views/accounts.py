import math

from axes.helpers import get_cool_off
from django.contrib.auth import authenticate, user_logged_in
from django_otp import match_token, user_has_device
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from yuntu.accounts.policy import can, has_permission_anywhere
from yuntu.accounts.roles import Permission, Role

from ..errors import InvalidCredentials, LockedOut, SecondFactorRequired
from ..schema import error_responses
from ..serializers.accounts import CredentialsSerializer, MeSerializer, TokenSerializer

ROLE_LABELS = dict(Role.choices)


def locked_out(request) -> LockedOut:
    cool_off = get_cool_off(request)
    if not cool_off:
        return LockedOut()
    minutes = max(1, math.ceil(cool_off.total_seconds() / 60))
    error = LockedOut(f"登录失败次数过多，已暂时锁定，请{minutes}分钟后再试。")
    error.wait = cool_off.total_seconds()  # answered as a Retry-After header
    return error


class TokenView(APIView):
    """Exchange a user name (or mobile) and password for an API token.

    The check is `django.contrib.auth.authenticate` with the request, so django-axes counts the
    failures (shared with the sign-in page) and refuses a locked-out user name and address even
    with the right password; that refusal is answered as JSON 429 here.
    """

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    serializer_class = CredentialsSerializer

    @extend_schema(summary="获取 API 令牌", request=CredentialsSerializer, auth=[],
                   description="以用户名（或手机号）和密码换取令牌，之后在请求头中携带 `Authorization: Token <令牌>`。"
                               "连续登录失败将按用户名与地址暂时锁定（429）。",
                   responses={200: TokenSerializer, **error_responses(400, 429)})
    def post(self, request):
        serializer = CredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = serializer.validated_data
        # The DRF request carries axes' flags for this attempt; Django's request (and so axes'
        # middleware, which would answer with the HTML lock page) is left alone.
        user = authenticate(request, username=credentials["username"], password=credentials["password"])
        if getattr(request, "axes_locked_out", False):
            raise locked_out(request)
        if user is None:
            raise InvalidCredentials()
        if user_has_device(user, confirmed=True):  # the second factor holds for API tokens too
            code = credentials.get("otp_token") or ""
            if not code or match_token(user, code) is None:
                raise SecondFactorRequired()
        user_logged_in.send(sender=user.__class__, request=request, user=user)  # axes resets the failures
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    serializer_class = MeSerializer

    @extend_schema(summary="当前用户、角色与授权", responses={200: MeSerializer, **error_responses(401)})
    def get(self, request):
        user = request.user
        grants = list(user.grants.select_related("org").order_by("org_path", "role"))
        roles = sorted({grant.role for grant in grants})
        data = {
            "id": user.pk,
            "username": user.get_username(),
            "display_name": str(user),
            "mobile_masked": user.mobile_masked,
            "is_superuser": user.is_superuser,
            "roles": [{"code": role, "label": ROLE_LABELS.get(role, role)} for role in roles],
            # A grant's org is named only where the user may see orgs (a resident's grant gives no such right).
            "grants": [
                {"id": grant.pk, "role": grant.role, "role_label": ROLE_LABELS.get(grant.role, grant.role),
                 "org": grant.org_id, "granted_at": grant.granted_at,
                 "org_name": grant.org.name if can(user, Permission.ORG_VIEW, path=grant.org_path) else None}
                for grant in grants
            ],
            "permissions": [permission for permission in Permission.values if has_permission_anywhere(user, permission)],
        }
        return Response(MeSerializer(data).data)
