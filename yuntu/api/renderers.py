from rest_framework.renderers import JSONRenderer


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese as UTF-8 text, never \\u escapes."""

    ensure_ascii = False
    charset = "utf-8"
