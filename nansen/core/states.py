"""Names of the states that the case history records, registered by the app that owns them.

The history stores states as codes (``lodged``, ``submitted``…) with the kind of object they
belong to; each app registers its codes' labels once, in its AppConfig.ready(), so the
timeline can show them in the reader's language without knowing every app.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_LABELS: dict[tuple[str, str], str] = {("case", "registered"): _("Registered")}


def register_states(object_type: str, choices) -> None:
    """Register the labels of one kind of object's states, e.g. ("application", Stage.choices)."""
    for value, label in choices:
        _LABELS[(object_type, value)] = label


def state_label(object_type: str, state: str) -> str:
    if not state:
        return "—"
    label = _LABELS.get((object_type, state))
    if label is None:  # a state recorded on another object of the same case, e.g. a decision
        label = next((lbl for (_kind, value), lbl in _LABELS.items() if value == state), state)
    return str(label)
