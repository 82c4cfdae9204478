from django.conf import settings


class ChineseFirstMiddleware:
    """Yuntu speaks Chinese unless the user chose another language (the language cookie).

    Without this, Django would follow the browser's Accept-Language and show English to any
    browser set to English, such as a staff machine with an English system.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
