"""The shape every workflow declares its statuses' transitions in, and the checks they share.

An app lists its transitions once (`declare(...)`); its services call `begin(...)` before a change,
which refuses unknown actions, wrong source statuses and missing reasons with a Chinese message.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    permission: str
    needs_reason: bool = False


def declare(*transitions: Transition) -> dict[str, Transition]:
    return {transition.name: transition for transition in transitions}


def find(transitions: dict[str, Transition], name: str) -> Transition:
    transition = transitions.get(name)
    if transition is None:
        raise ValidationError(f"未知的操作：{name}")
    return transition


def begin(transition: Transition, *, noun: str, status: str, status_label: str, reason: str = "") -> str:
    """Check that `transition` may start from `status`; return the cleaned reason."""
    if status not in transition.sources:
        raise ValidationError(f"{noun}当前为“{status_label}”，不能“{transition.label}”。")
    reason = (reason or "").strip()
    if transition.needs_reason and not reason:
        raise ValidationError({"reason": f"“{transition.label}”须说明原因。"})
    return reason
