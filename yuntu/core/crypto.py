"""Personal data at rest: encrypted for display to those allowed, a keyed digest for lookups.

A database dump holds only ciphertext, a keyed HMAC (not reversible without the key) and the
masked form, so ID numbers and mobiles never appear in clear.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _key_material() -> bytes:
    return settings.FIELD_ENCRYPTION_KEY.encode()


@lru_cache(maxsize=4)
def _fernet(material: bytes) -> Fernet:
    key = base64.urlsafe_b64encode(hashlib.sha256(b"yuntu-fernet:" + material).digest())
    return Fernet(key)


def encrypt(text: str) -> str:
    if not text:
        return ""
    return _fernet(_key_material()).encrypt(text.encode()).decode()


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet(_key_material()).decrypt(token.encode()).decode()
    except InvalidToken:
        return ""


def digest(text: str) -> str:
    """A keyed digest: equal inputs give equal digests, so uniqueness and lookup still work."""
    if not text:
        return ""
    return hmac.new(b"yuntu-digest:" + _key_material(), text.encode(), hashlib.sha256).hexdigest()
