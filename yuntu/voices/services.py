"""Writes for residents' voices. Each action is atomic, leaves a timeline event and an audit entry."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from yuntu.accounts.audit import audit_record
from yuntu.accounts.policy import can
from yuntu.core import chinese, clock, crypto, workflow
from yuntu.orgs.models import Org

from . import rollups
from .calendar import add_working_days
from .models import TEXT_MAX, Category, Channel, Dispatch, Request, RequestEvent, RequestPhoto, Suggestion
from .tasks import notify_on_commit
from .workflow import (
    DISPATCH_TRANSITIONS,
    REQUEST_TRANSITIONS,
    RESIDENT,
    DispatchStatus,
    Rating,
    RequestStatus,
)

PHOTO_TYPES = {"image/jpeg", "image/png", "image/webp"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_COUNT = 6
DAILY_LIMIT_PER_MOBILE = 10
# The deployment's area: requests outside it are refused (Haicang by default; a city widens it).
AREA = getattr(settings, "VOICES_AREA", {"south": 24.35, "north": 24.65, "west": 117.85, "east": 118.20})
# Transitions the resident hears of (yuntu.voices.notifications); the names of the notification events.
NOTIFIED_TRANSITIONS = {"merge": "merged", "decline": "declined", "publish": "published", "reopen": "reopened"}
NOTIFIED_DISPATCH_TRANSITIONS = {"reply": "dispatch_replied", "hand_back": "dispatch_returned"}


def _event(request: Request, *, action: str, label: str, actor=None, text: str = "", public: bool = True,
           dispatch: Dispatch | None = None) -> None:
    RequestEvent.objects.create(request=request, dispatch=dispatch, action=action, label=label, actor=actor, text=text,
                                public=public)


def check_photos(photos: list) -> None:
    if len(photos) > PHOTO_MAX_COUNT:
        raise ValidationError({"photos": f"照片最多{PHOTO_MAX_COUNT}张。"})
    for photo in photos:
        if getattr(photo, "content_type", "") not in PHOTO_TYPES:
            raise ValidationError({"photos": f"“{photo.name}”不是支持的图片格式（仅限JPG、PNG、WebP）。"})
        if photo.size > PHOTO_MAX_BYTES:
            raise ValidationError({"photos": f"照片“{photo.name}”超过5MB。"})
        try:
            from PIL import Image

            photo.seek(0)
            Image.open(photo).verify()
            photo.seek(0)
        except Exception as error:
            raise ValidationError({"photos": f"“{photo.name}”不是有效的图片文件。"}) from error


def check_point(latitude, longitude) -> tuple[Decimal | None, Decimal | None]:
    if latitude in (None, "") and longitude in (None, ""):
        return None, None
    try:
        lat, lon = Decimal(str(latitude)).quantize(Decimal("0.000001")), Decimal(str(longitude)).quantize(Decimal("0.000001"))
    except Exception as error:
        raise ValidationError({"location": "坐标格式不正确。"}) from error
    if not (AREA["south"] <= lat <= AREA["north"] and AREA["west"] <= lon <= AREA["east"]):
        raise ValidationError({"location": "该位置不在本辖区范围内，请重新选择地点。"})
    return lat, lon


def _check_answers(category: Category, answers: dict) -> dict:
    cleaned, errors = {}, {}
    for question in category.questions or []:
        code = question["code"]
        value = answers.get(code)
        if question.get("required") and value in (None, "", []):
            errors[code] = f"请回答：{question.get('description', code)}"
            continue
        keys = {str(item["key"]) for item in question.get("values", [])}
        values = value if isinstance(value, list) else ([value] if value not in (None, "") else [])
        if keys and any(str(item) not in keys for item in values):
            errors[code] = f"“{question.get('description', code)}”的选项无效。"
            continue
        if value not in (None, ""):
            cleaned[code] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _next_number(now: datetime.datetime) -> str:
    prefix = f"SQ{clock.now().astimezone().strftime('%Y%m%d')}"
    last = Request.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True).first()
    serial = int(last[len(prefix):]) + 1 if last else 1
    return f"{prefix}{serial:05d}"


@transaction.atomic
def request_submit(*, community: Org, category: Category, text: str, channel: str = Channel.PORTAL, resident=None,
                   actor=None, address: str = "", latitude=None, longitude=None, contact_name: str = "",
                   contact_mobile: str = "", answers: dict | None = None, photos: list | None = None) -> Request:
    """说事: a resident (or staff on their behalf) raises a request to a community."""
    errors = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = "请填写诉求内容。"
    elif len(text) > TEXT_MAX:
        errors["text"] = f"诉求内容不能超过{TEXT_MAX}字（当前{len(text)}字）。"
    if not category.is_active:
        errors["category"] = "该诉求类别已停用。"
    if errors:
        raise ValidationError(errors)
    if channel != Channel.PORTAL and channel != Channel.OPEN311 and (actor is None or not can(actor, "voices.triage", community)):
        raise PermissionDenied("无权代群众录入该社区的诉求。")
    lat, lon = check_point(latitude, longitude)
    cleaned_answers = _check_answers(category, answers or {})
    check_photos(photos or [])
    mobile = chinese.validate_mobile(contact_mobile) if contact_mobile else ""
    now = clock.now()
    if mobile:
        since = now - datetime.timedelta(days=1)
        recent = Request.objects.filter(contact_mobile_digest=crypto.digest(mobile), submitted_at__gte=since).count()
        if recent >= DAILY_LIMIT_PER_MOBILE:
            raise ValidationError({"contact_mobile": "该手机号今天提交的诉求已达上限，请明天再试或拨打12345热线。"})
    for attempt in range(3):
        try:
            with transaction.atomic():
                request = Request.objects.create(
                    number=_next_number(now), org=community, org_path=community.path, category=category, text=text,
                    address=address.strip(), latitude=lat, longitude=lon, answers=cleaned_answers, channel=channel,
                    resident=resident, contact_name=contact_name.strip(),
                    contact_mobile_encrypted=crypto.encrypt(mobile), contact_mobile_digest=crypto.digest(mobile),
                    contact_mobile_masked=chinese.mask_mobile(mobile), submitted_at=now,
                    answer_due=add_working_days(now, category.answer_days),
                    resolve_due=add_working_days(now, category.resolve_days), created_by=actor,
                )
            break
        except IntegrityError:
            if attempt == 2:
                raise
    rollups.added(requests=[request])
    for photo in photos or []:
        RequestPhoto.objects.create(request=request, file=photo, size=photo.size)
    _event(request, action="submit", label="说事：提交诉求", actor=actor or resident)
    audit_record(actor=actor or resident, action="request.submit", obj=request,
                 after={"number": request.number, "category": category.code, "channel": channel})
    notify_on_commit("submitted", request.pk)
    return request


def _require_transition(actor, request: Request, transition) -> None:
    if transition.permission == RESIDENT:
        if request.resident_id is None or getattr(actor, "pk", None) != request.resident_id:
            raise PermissionDenied("只有提交人本人可以评价或要求重新办理。")
    elif not can(actor, transition.permission, path=request.org_path):
        raise PermissionDenied(f"无权对该诉求执行“{transition.label}”。")


@transaction.atomic
def request_transition(*, actor, request: Request, name: str, reason: str = "", reply: str = "",
                       rating: str = "", comment: str = "", target: Request | None = None) -> Request:
    """议事/理事/晒事/评事: apply one declared transition to a request."""
    if name == "dispatch":  # dispatch takes departments and a deadline: request_dispatch
        raise ValidationError(f"未知的操作：{name}")
    transition = workflow.find(REQUEST_TRANSITIONS, name)
    request = Request.objects.select_for_update().get(pk=request.pk)
    _require_transition(actor, request, transition)
    reason = workflow.begin(transition, noun="诉求", status=request.status, status_label=request.get_status_display(),
                            reason=reason)
    before = request.status
    now = clock.now()
    if name == "merge":
        if target is None or target.pk == request.pk or target.org_path != request.org_path:
            raise ValidationError({"target": "请选择本社区的另一条诉求作为合并目标。"})
        if target.merged_into_id:
            target = target.merged_into
        request.merged_into = target
    elif name == "decline":
        request.decline_reason = reason[:255]
    elif name == "publish":
        reply = (reply or "").strip()
        if not reply:
            raise ValidationError({"reply": "请填写公开答复内容。"})
        open_dispatches = request.dispatches.filter(status__in=(DispatchStatus.PENDING, DispatchStatus.ACCEPTED)).count()
        if open_dispatches:
            raise ValidationError(f"还有{open_dispatches}个部门尚未答复，不能公开答复。")
        request.reply = reply
        request.answered_at = now
    elif name == "rate":
        if rating not in Rating.values:
            raise ValidationError({"rating": "请选择满意、基本满意或不满意。"})
        request.rating, request.rating_comment, request.rated_at = rating, (comment or "").strip()[:255], now
    elif name == "reopen":
        if request.reopened_count >= 1:
            raise ValidationError("每条诉求只能要求重新办理一次。")
        request.reopened_count = F("reopened_count") + 1
        request.rating, request.rated_at = "", None
        request.resolve_due = add_working_days(now, request.category.resolve_days)
        request.escalated_at = None  # a reopened request can be escalated again when it runs late
    request.status = transition.target
    with rollups.tracking(requests=[request]):
        request.save()
    request.refresh_from_db()
    text = reply or reason or comment
    _event(request, action=name, label=transition.label, actor=actor, text=text, public=True)
    audit_record(actor=actor, action=f"request.{name}", obj=request, before={"status": before},
                 after={"status": request.status, "reason": reason, "rating": rating})
    if name == "publish":
        for duplicate in request.duplicates.all():  # the merged residents hear the same answer
            Request.objects.filter(pk=duplicate.pk).update(reply=request.reply, answered_at=now)
            _event(duplicate, action="publish", label="合并诉求已答复", actor=actor, text=request.reply)
    if name in NOTIFIED_TRANSITIONS:
        notify_on_commit(NOTIFIED_TRANSITIONS[name], request.pk)
    return request


@transaction.atomic
def request_dispatch(*, actor, request: Request, departments: list[Org], days: int | None = None,
                     note: str = "") -> list[Dispatch]:
    """吹哨: route a request to one or more departments, each with a deadline in working days."""
    transition = REQUEST_TRANSITIONS["dispatch"]
    request = Request.objects.select_for_update().get(pk=request.pk)
    _require_transition(actor, request, transition)
    if request.status not in transition.sources:
        raise ValidationError(f"诉求当前为“{request.get_status_display()}”，不能“{transition.label}”。")
    if not departments:
        raise ValidationError({"departments": "请至少选择一个部门。"})
    days = days or request.category.resolve_days
    if not 1 <= days <= 60:
        raise ValidationError({"days": "办理时限应为1至60个工作日。"})
    now = clock.now()
    created = []
    for department in departments:
        if Dispatch.objects.filter(request=request, org=department).exists():
            raise ValidationError({"departments": f"已向“{department.name}”派过单。"})
        dispatch = Dispatch.objects.create(request=request, org=department, org_path=department.path,
                                           deadline=add_working_days(now, days), note=note.strip()[:255],
                                           dispatched_by=actor)
        _event(request, action="dispatch", label=f"吹哨：派至{department.name}", actor=actor, dispatch=dispatch)
        created.append(dispatch)
    before = request.status
    request.status = RequestStatus.DISPATCHED
    with rollups.tracking(requests=[request]):
        request.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, action="request.dispatch", obj=request, before={"status": before},
                 after={"status": request.status, "departments": [d.pk for d in departments], "days": days})
    notify_on_commit("dispatched", request.pk, [dispatch.pk for dispatch in created])
    return created


@transaction.atomic
def dispatch_transition(*, actor, dispatch: Dispatch, name: str, reply: str = "", reason: str = "") -> Dispatch:
    """报到: the department accepts, replies, or hands the dispatch back with a reason."""
    transition = workflow.find(DISPATCH_TRANSITIONS, name)
    dispatch = Dispatch.objects.select_for_update().select_related("request").get(pk=dispatch.pk)
    if not can(actor, transition.permission, path=dispatch.org_path):
        raise PermissionDenied("该诉求未派给您所在的部门。")
    reason = workflow.begin(transition, noun="派单", status=dispatch.status, status_label=dispatch.get_status_display(),
                            reason=reason)
    now = clock.now()
    if name == "accept":
        dispatch.accepted_at = now
    elif name == "reply":
        reply = (reply or "").strip()
        if not reply:
            raise ValidationError({"reply": "请填写答复内容。"})
        dispatch.reply, dispatch.replied_at = reply, now
    elif name == "hand_back":
        dispatch.hand_back_reason = reason[:255]
    before = dispatch.status
    dispatch.status = transition.target
    dispatch.save()
    _event(dispatch.request, action=f"dispatch_{name}", label=f"{dispatch.org.name}：{transition.label}", actor=actor,
           text=reply or reason, dispatch=dispatch, public=name != "hand_back")
    audit_record(actor=actor, action=f"dispatch.{name}", obj=dispatch, org=dispatch.org, before={"status": before},
                 after={"status": dispatch.status})
    if name in NOTIFIED_DISPATCH_TRANSITIONS:
        notify_on_commit(NOTIFIED_DISPATCH_TRANSITIONS[name], dispatch.request_id, [dispatch.pk])
    return dispatch


@transaction.atomic
def suggestion_submit(*, org: Org, text: str, author=None, author_name: str = "", drive=None, mode: str = "online",
                      actor=None) -> Suggestion:
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "请填写建议内容。"})
    if len(text) > TEXT_MAX:
        raise ValidationError({"text": f"建议内容不能超过{TEXT_MAX}字。"})
    if mode == "offline" and (actor is None or not can(actor, "voices.triage", org)):
        raise PermissionDenied("无权录入线下建议。")
    if drive is not None and not (drive.starts_on <= clock.today() <= drive.ends_on) and mode == "online":
        raise ValidationError({"drive": "该建言献策活动不在征集期内。"})
    suggestion = Suggestion.objects.create(org=org, org_path=org.path, text=text, author=author,
                                           author_name=author_name.strip(), drive=drive, mode=mode)
    rollups.added(suggestions=[suggestion])
    audit_record(actor=actor or author, action="suggestion.submit", obj=suggestion, after={"mode": mode})
    return suggestion


@transaction.atomic
def suggestion_adopt(*, actor, suggestion: Suggestion, problem, measure_text: str, responsible_person: str,
                     deadline: datetime.date, response: str = "") -> Suggestion:
    """Adopt a suggestion as a measure of a ledger problem; the two stay linked both ways."""
    from yuntu.ledger import services as ledger_services

    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not can(actor, "voices.triage", path=suggestion.org_path):
        raise PermissionDenied("无权处理该建议。")
    if suggestion.status == Suggestion.Status.ADOPTED:
        raise ValidationError("该建议已采纳。")
    measure = ledger_services.measure_add(actor=actor, problem=problem, text=measure_text,
                                          responsible_person=responsible_person, deadline=deadline)
    suggestion.status, suggestion.measure, suggestion.response = Suggestion.Status.ADOPTED, measure, response.strip()
    with rollups.tracking(suggestions=[suggestion]):
        suggestion.save(update_fields=["status", "measure", "response", "updated_at"])
    audit_record(actor=actor, action="suggestion.adopt", obj=suggestion, after={"measure_id": measure.pk})
    return suggestion


@transaction.atomic
def suggestion_decline(*, actor, suggestion: Suggestion, response: str) -> Suggestion:
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if not can(actor, "voices.triage", path=suggestion.org_path):
        raise PermissionDenied("无权处理该建议。")
    if not (response or "").strip():
        raise ValidationError({"response": "请填写暂不采纳的答复。"})
    suggestion.status, suggestion.response = Suggestion.Status.NOT_ADOPTED, response.strip()
    with rollups.tracking(suggestions=[suggestion]):
        suggestion.save(update_fields=["status", "response", "updated_at"])
    audit_record(actor=actor, action="suggestion.decline", obj=suggestion, after={"status": suggestion.status})
    return suggestion


MEDIA_URL_MAX = 1000


@transaction.atomic
def request_submit_open311(*, client: str, community: Org, category: Category, text: str,
                           media_urls: list[str] | tuple = (), **fields) -> Request:
    """说事 through Open311: the request, the client that filed it and the links to its photos on the timeline.

    The links are kept as internal timeline events (no column holds them): Open311 answers them back
    as `media_url`; nothing is fetched from them.
    """
    urls = [url.strip() for url in media_urls if url and url.strip()]
    for url in urls:
        if len(url) > MEDIA_URL_MAX or not url.lower().startswith(("http://", "https://")) or any(ch.isspace() for ch in url):
            raise ValidationError({"media_url": "图片链接（media_url）应为 http:// 或 https:// 开头的网址，且不超过1000个字符。"})
    request = request_submit(community=community, category=category, text=text, channel=Channel.OPEN311, **fields)
    _event(request, action="open311", label=f"经Open311接口提交（{client[:40]}）", public=False)
    for url in urls:
        _event(request, action="media_link", label="图片链接", text=url, public=False)
    audit_record(actor=None, action="request.open311", obj=request, after={"client": client[:40], "media_urls": len(urls)})
    return request
