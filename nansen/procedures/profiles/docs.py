"""The table of a profile's rules that docs/procedures/<profile>.md carries.

One row per rule: what the profile does, the source it rests on (each article with the days
its number is in force), and whether that number was checked against the text. The table is
written by ``nansen procedures profiles --markdown PROFILE`` and a test keeps the documents
equal to it, so the documentation cannot drift from the data.
"""

from __future__ import annotations

from nansen.procedures.profiles import OUTCOMES, Citation, Profile

START = "<!-- rules table: nansen procedures profiles --markdown {id} -->"
END = "<!-- end of rules table -->"


def _days(item) -> str:
    text = item.in_force_text()
    return f" ({text})" if text else ""


def _sources(citations: tuple[Citation, ...]) -> str:
    return "; ".join(f"{c.text}{_days(c)}" for c in citations) or "—"


def _checked(citations: tuple[Citation, ...]) -> str:
    unverified = [c.text for c in citations if not c.verified]
    if not unverified:
        return "checked"
    return "not verified: " + "; ".join(unverified)


def _row(rule: str, does: str, item, citations: tuple[Citation, ...]) -> str:
    cells = [f"`{rule}`{_days(item)}", does, _sources(citations), _checked(citations)]
    return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"


def rules_table(profile: Profile) -> str:
    """The Markdown table of every rule of ``profile``, in the order of the data file."""
    rows = [
        START.format(id=profile.id),
        "",
        "| Rule | What the profile does | Source | Article numbers |",
        "|---|---|---|---|",
    ]
    for step in profile.steps.values():
        to = ", ".join(f"{stage} ({key})" if key else stage for key, stage in step.targets.items())
        roles = ", ".join(sorted(step.roles))
        does = f"step from {', '.join(sorted(step.sources))} to {to}; by {roles}"
        rows.append(_row(f"steps.{step.id}", does, step, step.citations))
        if step.timeliness is not None:
            t = step.timeliness
            late = (
                "late only with a justification"
                if t.late_requires_justification
                else "late accepted without a justification"
            )
            does = f"in time by `{t.deadline}`; {late}"
            if t.late_deadline:
                does += f", until `{t.late_deadline}`"
            rows.append(_row(f"steps.{step.id}.timeliness", does, step, t.citations))
    for rule in profile.deadlines.values():
        start = f"after the last day of `{rule.after}`" if rule.after else f"from `{rule.starts}`"
        outcomes = f" ({', '.join(sorted(rule.outcomes))})" if rule.outcomes else ""
        does = (
            f"{rule.period} {start}{outcomes}, counted by `{rule.counting.id}`; "
            f"met by {', '.join(sorted(rule.met_by))}; for the {rule.party}"
        )
        rows.append(_row(f"deadlines.{rule.id}", does, rule, rule.citations))
    for counting in profile.countings.values():
        first = "first day counted" if counting.first_day_counted else "first day not counted"
        closed = (
            f"a closed last day extends to the next open day (`{counting.calendar.id}`)"
            if counting.extend_past_closed_days
            else "closed days do not move the last day"
        )
        rows.append(
            "| "
            + " | ".join(
                [f"`counting.{counting.id}`", f"{first}; {closed}", counting.source, "checked"]
            )
            + " |"
        )
    for mode in profile.modes.values():
        text = _without_interview(mode.decision_without_interview, "a decision")
        rows.append(_row(f"modes.{mode.id}", text, mode, mode.citations))
        for target in mode.targets:
            does = f"aim: `{target.step}` within {target.period} from `{target.starts}`"
            if target.nansen_default:
                does += " (Nansen's default: the source gives no figure)"
            rows.append(
                _row(f"modes.{mode.id}.targets.{target.step}", does, _Always, target.citations)
            )
    for form in profile.forms.values():
        does = f"kind of decision: {form.label.get('en')}; counted as {form.outcome}"
        rows.append(_row(f"forms.{form.id}", does, form, form.citations))
    if profile.removal is not None:
        removal = profile.removal
        does = (
            f"removal suspended in {', '.join(sorted(removal.pending_stages))}"
            + (
                f" and while {', '.join(sorted(removal.pending_while_open))} is open"
                if removal.pending_while_open
                else ""
            )
            + f"; nothing shown in {', '.join(sorted(removal.protected_stages))}"
        )
        rows.append(_row("removal", does, _Always, removal.citations))
        if removal.stay_citations:
            rows.append(
                _row(
                    "removal.stay_source",
                    "a court stage suspends removal only by a stay of execution",
                    _Always,
                    removal.stay_citations,
                )
            )
        for exception in removal.exceptions:
            lodged = (
                f" (applications lodged from {exception.lodged_from.isoformat()})"
                if exception.lodged_from
                else ""
            )
            how = (
                "recorded by the office with reasons"
                if exception.recorded
                else f"application number {exception.from_ordinal} or later"
            )
            does = f"no suspension: {how}{lodged}"
            if exception.lifted_by_reasonable_grounds:
                does += "; lifted by material showing reasonable grounds"
            rows.append(
                _row(f"removal.exceptions.{exception.id}", does, exception, exception.citations)
            )
    appeal = profile.appeal
    excluded = ", ".join(sorted(appeal.excluded)) or "nobody"
    does = (
        f"excluded from the appeal: {excluded}; {appeal.counsellors} counsellors; "
        f"oral hearing: {appeal.oral_hearing}"
    )
    rows.append(_row("appeal", does, _Always, appeal.citations))
    if profile.interview.citations:
        does = _without_interview(
            profile.interview.dependants_without_interview, "a dependant's claim"
        )
        rows.append(_row("interview", does, _Always, profile.interview.citations))
    for closure in profile.closures.values():
        does = f"closing as {closure.reason} only once `{closure.after_deadline}` has run out"
        rows.append(_row(f"closure.{closure.reason}", does, _Always, closure.citations))
    rows += ["", END]
    return "\n".join(rows)


def _without_interview(outcomes, what: str) -> str:
    outcomes = set(outcomes)
    if not outcomes:
        return f"{what} needs an interview"
    if outcomes >= set(OUTCOMES):
        return f"{what} may be taken without an interview, with the reason recorded"
    listed = ", ".join(o for o in OUTCOMES if o in outcomes)
    return f"without an interview, {what} may only be: {listed} (with the reason recorded)"


class _Always:
    """An item of the profile that carries no dates of its own."""

    @staticmethod
    def in_force_text() -> str:
        return ""
