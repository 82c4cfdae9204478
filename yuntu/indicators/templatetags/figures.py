"""How a figure is written everywhere (dashboard, briefings, exports): one function, so they agree."""

from django import template

from yuntu.indicators.registry import format_value

register = template.Library()


@register.filter
def figure(value) -> str:
    return format_value(value)
