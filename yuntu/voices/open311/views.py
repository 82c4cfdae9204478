"""Open311 GeoReport v2 at /open311/v2/: discovery, services, definitions, requests, tokens, updates.

Plain Django views (no session, no CSRF: POST is authenticated by its `api_key`), written from the
specification (http://wiki.open311.org/GeoReport_v2) and liberal in what they accept, as clients in
the wild differ: `jurisdiction_id` empty or absent, `api_key` in the body or the query string,
form-encoded, multipart or JSON bodies, `service/{code}` beside `services/{code}`,
`attribute[code][]` lists, `+08:00` offsets that arrive as spaces. Errors are the spec's error
document with the HTTP status: 400 bad input, 403 missing or unknown `api_key`, 404 unknown
service, request, token or jurisdiction; descriptions are in Chinese.

Which keys exist: the setting ``OPEN311_API_KEYS`` maps each key to the label of the client it
was issued to (recorded on the request's timeline). The demo key is `DEMO_API_KEY`.
"""

import datetime
import hmac
import json
import logging
import re
from functools import wraps

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .. import selectors, services
from ..models import Category, Request
from . import mapping
from .formats import FORMATS, render, render_errors, w3c

logger = logging.getLogger("yuntu.voices.open311")

DEMO_API_KEY = "yuntu-open311-demo-key"
DEFAULT_API_KEYS = {DEMO_API_KEY: "Open311演示客户端"}
DEFAULT_JURISDICTION = "350205"
MAX_REQUESTS = 1000
DEFAULT_WINDOW = datetime.timedelta(days=90)
DEFAULT_UPDATES_WINDOW = datetime.timedelta(days=1)
ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\d*\])?$")
LIST_DATATYPES = {"multivaluelist"}


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = list(descriptions)


def api_keys() -> dict[str, str]:
    return getattr(settings, "OPEN311_API_KEYS", DEFAULT_API_KEYS)


def jurisdictions() -> set[str]:
    value = getattr(settings, "OPEN311_JURISDICTION_ID", DEFAULT_JURISDICTION)
    values = [value] if isinstance(value, str) else list(value)
    return {item.strip().lower() for item in values if item}


# ---- reading the parameters -------------------------------------------------------------------


class Params:
    """The query string and the body (form, multipart or JSON) as one multi-valued mapping; the body wins."""

    def __init__(self, request: HttpRequest):
        self.values: dict[str, list[str]] = {key: request.GET.getlist(key) for key in request.GET}
        if request.method == "POST":
            if request.content_type == "application/json":
                try:
                    body = json.loads(request.body.decode("utf-8") or "{}")
                except (UnicodeDecodeError, ValueError) as error:
                    raise Open311Error(400, "请求内容不是有效的 JSON。") from error
                if not isinstance(body, dict):
                    raise Open311Error(400, "请求内容应为 JSON 对象。")
                for key, value in body.items():
                    if key == "attribute" and isinstance(value, dict):
                        for code, answer in value.items():
                            self.values[f"attribute[{code}]"] = [str(item) for item in _as_list(answer)]
                    else:
                        self.values[key] = [("" if item is None else str(item)) for item in _as_list(value)]
            else:
                for key in request.POST:
                    self.values[key] = request.POST.getlist(key)

    def get(self, key: str, default: str = "") -> str:
        for value in self.values.get(key, []):
            if value is not None and str(value).strip():
                return str(value).strip()
        return default

    def getlist(self, *keys: str) -> list[str]:
        return [str(value).strip() for key in keys for value in self.values.get(key, []) if str(value).strip()]

    def csv(self, key: str) -> list[str]:
        return [part.strip() for value in self.getlist(key) for part in value.split(",") if part.strip()]


def _as_list(value) -> list:
    return list(value) if isinstance(value, list | tuple) else [value]


def parse_datetime(value: str, name: str, *, end_of_day: bool = False) -> datetime.datetime:
    """A W3C datetime; liberal: `Z`, a `+hh:mm` whose `+` became a space, a bare date, no offset (local time)."""
    text = value.strip()
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", text)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = datetime.date.fromisoformat(text)
            moment = datetime.datetime.combine(day, datetime.time.max if end_of_day else datetime.time.min)
        else:
            moment = datetime.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError as error:
        raise Open311Error(400, f"{name} 的时间格式不正确（应为 W3C 格式，如 2026-11-01T00:00:00+08:00）：{value[:40]}") from error
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _decimal_point(params: Params) -> tuple[float | None, float | None]:
    lat = params.get("lat") or params.get("latitude")
    lon = params.get("long") or params.get("lon") or params.get("lng") or params.get("longitude")
    if not lat and not lon:
        return None, None
    if not lat or not lon:
        raise Open311Error(400, "lat 与 long 须同时提供。")
    try:
        return float(lat), float(lon)
    except ValueError as error:
        raise Open311Error(400, "lat、long 应为十进制经纬度（WGS84），如 lat=24.4801&long=118.0302。") from error


# ---- the views --------------------------------------------------------------------------------


def open311(*methods: str):
    """Format, method and jurisdiction checks; every failure answered in the spec's error format."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapped(request: HttpRequest, fmt: str, **kwargs):
            fmt = fmt.lower()
            answer_as = fmt if fmt in FORMATS else "xml"
            try:
                if fmt not in FORMATS:
                    raise Open311Error(404, f"不支持的格式“{fmt[:10]}”，请使用 .xml 或 .json。")
                if request.method not in methods:
                    raise Open311Error(405, f"该地址不支持 {request.method} 请求。")
                params = Params(request)
                jurisdiction = params.get("jurisdiction_id").lower()
                if jurisdiction and jurisdiction not in jurisdictions():
                    raise Open311Error(404, f"jurisdiction_id“{jurisdiction[:40]}”不存在（本服务为{'、'.join(sorted(jurisdictions()))}）。")
                return view(request, fmt, params, **kwargs)
            except Open311Error as error:
                response = render_errors(answer_as, error.status, error.descriptions)
                if error.status == 405:
                    response["Allow"] = ", ".join(methods)
                return response
            except Exception:
                logger.exception("Open311 请求出错")
                return render_errors(answer_as, 500, ["服务器内部错误，请稍后再试。"])

        return wrapped

    return decorate


@open311("GET")
def discovery(request, fmt, params):
    changed = Category.objects.order_by("-updated_at").values_list("updated_at", flat=True).first() or timezone.now()
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    base = base[: base.rindex("/") + 1]
    return render(fmt, "discovery", {
        "changeset": w3c(changed),
        "contact": getattr(settings, "OPEN311_CONTACT", "云图·群众诉求；紧急情况请拨打110，其他诉求可拨打12345热线"),
        "key_service": getattr(settings, "OPEN311_KEY_SERVICE", "提交诉求需要 api_key，请向部署单位（区委组织部）申请"),
        "endpoints": [{"specification": mapping.SPECIFICATION, "url": base, "changeset": w3c(changed), "type": "production",
                       "formats": ["text/xml", "application/json"]}],
    })


@open311("GET")
def service_list(request, fmt, params):
    categories = Category.objects.filter(is_active=True).order_by("sort_order", "code")
    return render(fmt, "services", [mapping.service(category) for category in categories])


def _category(code: str, status: int) -> Category:
    category = Category.objects.filter(code=code.strip(), is_active=True).first()
    if category is None:
        raise Open311Error(status, f"service_code“{code[:40]}”不存在或已停用。")
    return category


@open311("GET")
def service_definition(request, fmt, params, code: str):
    return render(fmt, "service_definition", mapping.service_definition(_category(code, 404)))


def _answers(category: Category, params: Params) -> dict:
    """attribute[code], attribute[code][] and attribute[code][0] → answers typed by the question's datatype."""
    given: dict[str, list[str]] = {}
    for key in params.values:
        match = ATTRIBUTE.match(key)
        if match:
            given.setdefault(match.group(1), []).extend(params.getlist(key))
    answers, errors = {}, []
    for question in category.questions or []:
        code, datatype = str(question["code"]), question.get("datatype", "string")
        values = given.get(code, [])
        if not values:
            continue
        label = question.get("description") or code
        if datatype in LIST_DATATYPES:
            answers[code] = [part.strip() for value in values for part in value.split(",") if part.strip()]
        elif datatype == "number":
            try:
                number = float(values[0])
            except ValueError:
                errors.append(f"“{label}”（attribute[{code}]）应为数字。")
                continue
            answers[code] = int(number) if number.is_integer() else number
        elif datatype == "datetime":
            try:
                answers[code] = w3c(parse_datetime(values[0], f"attribute[{code}]"))
            except Open311Error as error:
                errors.extend(error.descriptions)
        else:
            answers[code] = values[0]
    if errors:
        raise Open311Error(400, *errors)
    return answers


def _client(params: Params) -> str:
    key = params.get("api_key")
    if not key:
        raise Open311Error(403, "缺少 api_key：提交诉求须提供有效的 api_key。")
    for known, label in api_keys().items():
        if hmac.compare_digest(known.encode(), key.encode()):
            return label or "Open311客户端"
    raise Open311Error(403, "api_key 无效，无法提交诉求。")


def _contact_name(params: Params) -> str:
    first, last = params.get("first_name"), params.get("last_name")
    if re.search(r"[A-Za-z]", first + last):
        return " ".join(part for part in (first, last) if part)[:64]
    return f"{last}{first}"[:64]  # Chinese order: family name first


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


@open311("GET", "POST")
def requests_view(request, fmt, params):
    if request.method == "POST":
        return _post_request(request, fmt, params)
    return _get_requests(request, fmt, params)


def _post_request(request, fmt, params):
    client = _client(params)
    code = params.get("service_code")
    if not code:
        raise Open311Error(400, "缺少 service_code：请先通过 services 查询诉求类别。")
    category = _category(code, 400)
    lat, lon = _decimal_point(params)
    address = params.get("address_string") or params.get("address_id")
    if lat is None and not address:
        raise Open311Error(400, "请提供诉求地点：lat 与 long，或 address_string。")
    description = params.get("description")
    if not description:
        raise Open311Error(400, "请填写诉求内容（description）。")
    answers = _answers(category, params)
    community = selectors.community_for_point(latitude=lat, longitude=lon, address=address, category=category)
    if community is None:
        raise Open311Error(400, "本服务尚未设置受理诉求的社区，暂不能提交。")
    try:
        created = services.request_submit_open311(
            client=client, community=community, category=category, text=description, address=address[:255],
            latitude=lat, longitude=lon, contact_name=_contact_name(params), contact_mobile=params.get("phone"),
            answers=answers, photos=request.FILES.getlist("media"),
            media_urls=params.getlist("media_url", "media_url[]"),
        )
    except ValidationError as error:
        raise Open311Error(400, *_messages(error)) from error
    except PermissionDenied as error:
        raise Open311Error(403, str(error) or "无权提交诉求。") from error
    notice = (f"已受理，由{community.name}办理：{category.answer_days}个工作日内答复，{category.resolve_days}个工作日内办结"
              f"（答复期限{w3c(created.answer_due)}）。")
    return render(fmt, "service_requests", [{"service_request_id": created.number, "service_notice": notice,
                                             "account_id": None}])


def _statuses(params: Params) -> list[str]:
    statuses = [status.lower() for status in params.csv("status")]
    unknown = [status for status in statuses if status not in ("open", "closed")]
    if unknown:
        raise Open311Error(400, f"status 只能是 open 或 closed（可用逗号分隔），收到：{','.join(unknown)[:40]}")
    return statuses


def _get_requests(request, fmt, params):
    ids = [value.upper() for value in params.csv("service_request_id")]
    start = parse_datetime(params.get("start_date"), "start_date") if params.get("start_date") else None
    end = parse_datetime(params.get("end_date"), "end_date", end_of_day=True) if params.get("end_date") else None
    after = parse_datetime(params.get("updated_after"), "updated_after") if params.get("updated_after") else None
    before = (parse_datetime(params.get("updated_before"), "updated_before", end_of_day=True)
              if params.get("updated_before") else None)
    statuses = _statuses(params)
    if start and end and start > end:
        raise Open311Error(400, "start_date 不能晚于 end_date。")
    if not ids and start is None and after is None:
        # The spec's default window: the 90 days up to end_date (or now), so one query never sweeps every year.
        start = (end or timezone.now()) - DEFAULT_WINDOW
    rows = selectors.open311_requests(ids=ids, service_codes=params.csv("service_code"), statuses=statuses, start=start,
                                      end=end, updated_after=after, updated_before=before, limit=MAX_REQUESTS)
    items = mapping.with_related(rows)
    return render(fmt, "service_requests", [mapping.request(item, request.build_absolute_uri) for item in items])


def _one(number: str) -> Request:
    rows = list(mapping.with_related(selectors.open311_requests(ids=[number.strip().upper()], limit=1)))
    if not rows:
        raise Open311Error(404, f"诉求“{number[:40]}”不存在。")
    return rows[0]


@open311("GET")
def request_detail(request, fmt, params, number: str):
    return render(fmt, "service_requests", [mapping.request(_one(number), request.build_absolute_uri)])


@open311("GET")
def token(request, fmt, params, token: str):
    """Requests are created synchronously, so a token is the request's number and resolves at once."""
    item = _one(token)
    return render(fmt, "service_requests", [{"service_request_id": item.number, "token": token.strip()}])


@open311("GET")
def request_updates(request, fmt, params):
    start = parse_datetime(params.get("start_date"), "start_date") if params.get("start_date") else None
    end = parse_datetime(params.get("end_date"), "end_date", end_of_day=True) if params.get("end_date") else None
    if start is None:
        start = (end or timezone.now()) - DEFAULT_UPDATES_WINDOW
    events = selectors.open311_updates(start=start, end=end, limit=MAX_REQUESTS)
    return render(fmt, "service_request_updates", [mapping.update(event) for event in events])
