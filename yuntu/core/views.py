from django.http import JsonResponse
from django.views import defaults


def page_not_found(request, exception):
    """Unknown paths under /api/ answer in the API's JSON error shape; pages get the Chinese 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "not_found", "message": "对象不存在或无权访问。"}, status=404,
                            json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)
