"""Sign in by user name or, for residents and members, by mainland mobile number."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from yuntu.core import chinese, crypto


class MobileOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and chinese.MOBILE_PATTERN.match(chinese.normalize_mobile(username)):
            user_model = get_user_model()
            user = user_model.objects.filter(mobile_digest=crypto.digest(chinese.normalize_mobile(username))).first()
            if user is not None:
                username = user.get_username()
        return super().authenticate(request, username=username, password=password, **kwargs)
