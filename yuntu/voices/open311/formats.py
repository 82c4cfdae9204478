"""The two wire formats of GeoReport v2: one document tree, written as XML or JSON.

A response is a root tag and its content. XML writes ``<root>content</root>`` with every list
spelled out as repeated child elements (``services`` → ``service``, ``service_requests`` →
``request`` …); JSON writes only the content, as the spec's JSON examples do (a bare array for
services and requests, an object for discovery and a service definition). Text is UTF-8, with
the XML declaration the spec asks for; characters XML 1.0 cannot carry are dropped.
"""

import datetime
import json
import re
from decimal import Decimal
from xml.etree import ElementTree

from django.http import HttpResponse
from django.utils import timezone

FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
ITEM_TAGS = {
    "services": "service", "service_requests": "request", "attributes": "attribute", "values": "value",
    "errors": "error", "endpoints": "endpoint", "formats": "format", "service_request_updates": "request_update",
    "departments": "department", "duplicates": "duplicate",
}
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def w3c(moment: datetime.datetime | None) -> str | None:
    """A W3C datetime with its offset, in the deployment's time zone: 2026-11-02T09:15:00+08:00."""
    if moment is None:
        return None
    return timezone.localtime(moment).replace(microsecond=0).isoformat()


def _scalar(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        return w3c(value) or ""
    return _NOT_XML.sub("", str(value))


def _fill(element: ElementTree.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list | tuple):
        tag = ITEM_TAGS.get(element.tag, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, tag), item)
    else:
        element.text = _scalar(value)


def to_xml(root: str, content) -> str:
    element = ElementTree.Element(root)
    _fill(element, content)
    return XML_DECLARATION + ElementTree.tostring(element, encoding="unicode")


def _json_default(value):
    if isinstance(value, datetime.datetime):
        return w3c(value)
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(content) -> str:
    return json.dumps(content, ensure_ascii=False, default=_json_default)


def render(fmt: str, root: str, content, *, status: int = 200) -> HttpResponse:
    fmt = fmt if fmt in FORMATS else "xml"
    text = to_json(content) if fmt == "json" else to_xml(root, content)
    response = HttpResponse(text.encode("utf-8"), status=status, content_type=FORMATS[fmt])
    response["Access-Control-Allow-Origin"] = "*"  # public data; POST still needs an api_key
    return response


def render_errors(fmt: str, status: int, descriptions: list[str]) -> HttpResponse:
    """The spec's error document: [{code, description}] / <errors><error><code/><description/></error></errors>."""
    errors = [{"code": status, "description": description} for description in dict.fromkeys(descriptions)]
    return render(fmt, "errors", errors, status=status)
