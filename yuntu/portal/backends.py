"""Sign-in by mobile and verification code, beside `MobileOrUsernameBackend` (user name or mobile + password)."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError

from . import codes


class MobileCodeBackend(ModelBackend):
    """`authenticate(request, mobile=..., code=...)`; leaves password sign-ins to the other backend."""

    def authenticate(self, request, mobile=None, code=None, **kwargs):
        if mobile is None or code is None:
            return None
        try:
            user = codes.verify_code(mobile=mobile, code=code)
        except ValidationError as error:
            if request is not None:
                request.signin_code_error = error
            return None
        return user if self.user_can_authenticate(user) else None
