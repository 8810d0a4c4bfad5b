"""Decision letters: what a letter says, and the PDF WeasyPrint makes of it.

A letter is written in English, Japanese or Arabic (right to left), with the Noto fonts
(Debian: fonts-noto-core, fonts-noto-cjk). It states the decision, its reasons, the right to
appeal, the body to appeal to and the exact last day the engine computed for the day the
letter is notified.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import formats, translation

from nansen.procedures.hooks import decision_hooks
from nansen.procedures.models import Decision, Instance
from nansen.procedures.profiles import DeadlineRule, Profile, cited

FONTS = {
    "en": '"Noto Serif", "Noto Sans", serif',
    "ja": '"Noto Serif CJK JP", "Noto Sans CJK JP", serif',
    "ar": '"Noto Naskh Arabic", "Noto Sans Arabic", serif',
}


def long_date(day: date, language: str) -> str:
    with translation.override(language):
        if language == "ja":
            return formats.date_format(day, "DATE_FORMAT")
        return formats.date_format(day, "j F Y")


@dataclass
class RightToAct:
    rule: DeadlineRule
    last_day: date
    late_rule: DeadlineRule | None = None
    late_last_day: date | None = None


def rights_after_notification(decision: Decision, notification_on: date) -> list[RightToAct]:
    """The periods notification of ``decision`` starts, each with its exact last day."""
    profile: Profile = decision.application.procedure
    rights: list[RightToAct] = []
    starting = [
        rule
        for rule in profile.on(notification_on).deadlines.values()
        if rule.applies_to("notified", instance=decision.instance, outcome=decision.outcome)
    ]
    for rule in starting:
        if rule.after:
            continue
        right = RightToAct(rule=rule, last_day=profile.last_day(rule.id, notification_on).last_day)
        late = next((r for r in starting if r.after == rule.id), None)
        if late is not None:
            right.late_rule = late
            right.late_last_day = profile.last_day(late.id, notification_on).last_day
        rights.append(right)
    return rights


def render_letter_html(
    *,
    decision: Decision,
    language: str,
    notification_on: date,
    addressee: str,
) -> str:
    application = decision.application
    profile = application.procedure
    with translation.override(language):
        rights = rights_after_notification(decision, notification_on)
        context = {
            "language": language,
            "direction": "rtl" if language == "ar" else "ltr",
            "font": FONTS[language],
            "office": application.office,
            "case": application.case,
            "application": application,
            "person": application.person,
            "addressee": addressee,
            "decision": decision,
            # The reasons stay in the language they were written in (eligibility).
            "reasons_language": decision_hooks.reasons_language(application=application) or "",
            "decision_label": _form_label(decision, language),
            "legal_basis": _legal_basis(decision),
            "decided_on": long_date(decision.decided_on, language),
            "letter_date": long_date(notification_on, language),
            "profile_name": profile.name.get(language),
            "rights": [
                {
                    "text": r.rule.letter.get(language)
                    if r.rule.letter
                    else r.rule.label.get(language),
                    "label": r.rule.label.get(language),
                    "body": _body(profile, decision, language),
                    "last_day": long_date(r.last_day, language),
                    "last_day_iso": r.last_day.isoformat(),
                    "late_text": r.late_rule.letter.get(language)
                    if r.late_rule and r.late_rule.letter
                    else "",
                    "late_last_day": long_date(r.late_last_day, language)
                    if r.late_last_day
                    else "",
                    "late_last_day_iso": r.late_last_day.isoformat() if r.late_last_day else "",
                    "rule": f"{profile.id} › {r.rule.id}",
                    # The articles as numbered on the day of the decision.
                    "cited": cited(
                        profile.deadlines[r.rule.id].citations, decision.decided_on, marks=False
                    ),
                }
                for r in rights
            ],
        }
        return render_to_string("procedures/letters/decision_letter.html", context)


def _body(profile: Profile, decision: Decision, language: str) -> str:
    if decision.instance == Instance.APPEAL and profile.court is not None:
        return profile.court.get(language)
    return profile.appeal_body.get(language)


def _form_label(decision: Decision, language: str) -> str:
    form = decision.application.procedure.forms.get(decision.form)
    if form is not None:
        return form.label.get(language)
    with translation.override(language):
        return str(decision.get_outcome_display())


def _legal_basis(decision: Decision) -> str:
    """The articles the kind of decision rests on, as numbered on the day of the decision."""
    form = decision.application.procedure.forms.get(decision.form)
    return cited(form.citations, decision.decided_on, marks=False) if form else ""


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
