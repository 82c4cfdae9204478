"""Our categories and requests in GeoReport v2 terms (docs/adr/0020-open311-mapping.md).

A request's five-stage status maps onto the spec's ``open`` / ``closed`` and, in
``extended_attributes.detailed_status``, onto the states of the servicerequestupdates extension
(FixMyStreet's vocabulary), which `servicerequestupdates` also uses. Nothing personal leaves
here: no contact name, mobile or e-mail is read, and the resident's own words are the
`description` they filed, as on the public board.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from yuntu.core import chinese

from ..models import Category, Dispatch, Request, RequestEvent, RequestPhoto
from ..selectors import PUBLIC_STATUSES
from ..workflow import STAGE_OF_STATUS, RequestStatus
from .formats import w3c

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


@dataclass(frozen=True)
class Open311Status:
    status: str  # the spec's open / closed
    detailed: str  # extended_attributes.detailed_status and the status of an update


STATUS_MAP = {
    RequestStatus.SUBMITTED: Open311Status("open", "OPEN"),
    RequestStatus.HANDLING: Open311Status("open", "IN_PROGRESS"),
    RequestStatus.DISPATCHED: Open311Status("open", "ACTION_SCHEDULED"),
    RequestStatus.PUBLISHED: Open311Status("closed", "CLOSED"),
    RequestStatus.RATED: Open311Status("closed", "CLOSED"),
    RequestStatus.MERGED: Open311Status("closed", "DUPLICATE"),
    RequestStatus.DECLINED: Open311Status("closed", "NO_FURTHER_ACTION"),
}
# The state a request is in right after each public timeline event, for servicerequestupdates.
UPDATE_STATUS = {
    "submit": "OPEN", "handle": "IN_PROGRESS", "dispatch": "ACTION_SCHEDULED", "dispatch_accept": "IN_PROGRESS",
    "dispatch_reply": "IN_PROGRESS", "merge": "DUPLICATE", "decline": "NO_FURTHER_ACTION", "publish": "CLOSED",
    "rate": "CLOSED", "reopen": "IN_PROGRESS",
}
# Timeline events whose text the resident wrote: only their label is published as an update.
RESIDENT_TEXT = {"rate", "reopen"}


def _attribute(question: dict, order: int) -> dict:
    attribute = {
        "variable": bool(question.get("variable", True)),
        "code": str(question["code"]),
        "datatype": question.get("datatype", "string"),
        "required": bool(question.get("required", False)),
        "datatype_description": question.get("datatype_description") or None,
        "order": int(question.get("order", order)),
        "description": question.get("description", ""),
    }
    values = question.get("values") or []
    if values or attribute["datatype"] in ("singlevaluelist", "multivaluelist"):
        attribute["values"] = [{"key": str(value["key"]), "name": value.get("name", str(value["key"]))} for value in values]
    return attribute


def service(category: Category) -> dict:
    keywords = [word for word in dict.fromkeys([category.name, category.group, *category.description.split("、")[:5]])
                if word]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or category.name,
        "metadata": bool(category.questions),
        "type": "realtime",
        "keywords": ",".join(keywords),
        "group": category.group or None,
    }


def service_definition(category: Category) -> dict:
    return {"service_code": category.code,
            "attributes": [_attribute(question, index) for index, question in enumerate(category.questions or [], start=1)]}


def with_related(requests):
    """Prefetches for `request()`: departments, duplicates, media links and (once public) photos, without contacts."""
    return requests.prefetch_related(
        Prefetch("dispatches", queryset=Dispatch.objects.select_related("org").only("request", "org__name", "status")
                 .order_by("id")),
        Prefetch("duplicates", queryset=Request.objects.only("number", "merged_into").order_by("id")),
        Prefetch("events", queryset=RequestEvent.objects.filter(action="media_link").only("request", "text")
                 .order_by("id"), to_attr="media_links"),
        Prefetch("photos", queryset=RequestPhoto.objects.only("request", "file").order_by("id"), to_attr="photo_list"),
    )


def _media_url(item: Request, absolute) -> str:
    links = [event.text for event in getattr(item, "media_links", [])]
    if links:
        return links[0]
    photos = getattr(item, "photo_list", [])
    if photos and item.status in PUBLIC_STATUSES:  # residents' own photos only once the item is public
        return absolute(photos[0].file.url)
    return ""


def _status_notes(item: Request) -> str:
    if item.status in PUBLIC_STATUSES:
        return item.reply
    if item.status == RequestStatus.DECLINED:
        return f"不予受理：{item.decline_reason}"
    if item.status == RequestStatus.MERGED:
        target = item.merged_into.number if item.merged_into_id else ""
        answer = f"；答复：{item.reply}" if item.reply else ""
        return f"与{target}反映的是同一问题，已合并办理{answer}"
    return item.get_status_display()


def request(item: Request, absolute) -> dict:
    """One service request as GET requests shows it to anyone."""
    mapped = STATUS_MAP[item.status]
    stage = STAGE_OF_STATUS[item.status]
    departments = [dispatch.org.name for dispatch in item.dispatches.all()]
    is_open = mapped.status == "open"
    extended = {
        "detailed_status": mapped.detailed,
        "status_code": item.status,
        "status_label": item.get_status_display(),
        "stage": stage.value,
        "stage_label": stage.label,
        "channel": item.channel,
        "reopened": item.reopened_count > 0,
        "departments": departments,
        "duplicates": [duplicate.number for duplicate in item.duplicates.all()],
        "answered_datetime": w3c(item.answered_at),
        "rating": item.rating or None,
    }
    if item.status == RequestStatus.MERGED and item.merged_into_id:
        extended["duplicate_of"] = item.merged_into.number
        extended["parent_service_request_id"] = item.merged_into.number
    return {
        "service_request_id": item.number,
        "status": mapped.status,
        "status_notes": _status_notes(item),
        "service_name": item.category.name,
        "service_code": item.category.code,
        "description": chinese.redact_personal_numbers(item.text),
        "agency_responsible": "、".join([item.org.name, *departments]),
        "service_notice": None,
        "requested_datetime": w3c(item.submitted_at),
        "updated_datetime": w3c(item.updated_at),
        "expected_datetime": w3c(item.resolve_due) if is_open else None,
        "address": item.address or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(item.latitude) if item.latitude is not None else None,
        "long": float(item.longitude) if item.longitude is not None else None,
        "media_url": _media_url(item, absolute) or None,
        "extended_attributes": extended,
    }


def update(event: RequestEvent) -> dict:
    """One public timeline event as a request_update of the servicerequestupdates extension."""
    status = UPDATE_STATUS.get(event.action, STATUS_MAP[event.request.status].detailed)
    if event.action == "publish" and event.request.status == RequestStatus.MERGED:
        status = "DUPLICATE"
    text = event.label if event.action in RESIDENT_TEXT or not event.text else f"{event.label}：{event.text}"
    return {
        "update_id": str(event.pk),
        "service_request_id": event.request.number,
        "status": status,
        "updated_datetime": w3c(event.occurred_at),
        "description": text,
        "media_url": None,
        "external_status_code": event.action,
    }
