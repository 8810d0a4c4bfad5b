"""The dimensions the office's statistics can be broken down by, in one table.

Each dimension says how to read it from a decision and from an application (as ORM
expressions, the same on SQLite and PostgreSQL), and how to name its values on a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case, F, Func, IntegerField, Value, When
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _

from nansen.core.permissions import NotAllowed
from nansen.core.reference import country_name
from nansen.procedures.models import Instance, Outcome

# UNHCR's age groups for demographic data (Refugee Data Finder, demographics: 0-4, 5-11,
# 12-17, 18-59, 60 and over). Age is counted on the day of the event: lodging for an
# application, the decision for a decision. Each bound is the first age outside the group.
AGE_GROUPS: tuple[tuple[str, int | None], ...] = (
    ("0-4", 5),
    ("5-11", 12),
    ("12-17", 18),
    ("18-59", 60),
    ("60+", None),
)
AGE_UNKNOWN = "unknown"

APPLICATION_KINDS = {"new": _("First application"), "repeat": _("Repeat application")}
SEX_LABELS = {"F": _("Female"), "M": _("Male"), "X": _("Other or not stated")}


# Date parts in each database's own SQL. Django's Extract functions are Python functions
# called per row on SQLite, which made counting a million decisions take minutes; SQLite
# stores a date as the text YYYY-MM-DD, so its parts are read with SUBSTR.


class _DatePart(Func):
    output_field = IntegerField()
    sqlite_template = ""
    postgresql_template = ""

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=self.sqlite_template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=self.postgresql_template, **extra)


class Year(_DatePart):
    sqlite_template = "CAST(SUBSTR(%(expressions)s, 1, 4) AS INTEGER)"
    postgresql_template = "CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER)"


class Month(_DatePart):
    sqlite_template = "CAST(SUBSTR(%(expressions)s, 6, 2) AS INTEGER)"
    postgresql_template = "CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER)"


class DayNumber(_DatePart):
    """yyyymmdd as an integer: age in whole years is at least N exactly when the difference
    of two such numbers is at least N × 10000, with no date arithmetic in SQL."""

    sqlite_template = "CAST(REPLACE(%(expressions)s, '-', '') AS INTEGER)"
    postgresql_template = "CAST(TO_CHAR(%(expressions)s, 'YYYYMMDD') AS INTEGER)"


class DaysBetween(_DatePart):
    """Whole days from the second date to the first."""

    arg_joiner = ", "
    sqlite_template = "CAST(JULIANDAY(%(expressions)s) AS INTEGER)"  # replaced in as_sqlite
    postgresql_template = "(%(expressions)s)"

    def as_sqlite(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        return f"CAST(JULIANDAY({end[0]}) - JULIANDAY({start[0]}) AS INTEGER)", (
            *end[1],
            *start[1],
        )

    def as_postgresql(self, compiler, connection, **extra):
        end, start = (compiler.compile(e) for e in self.get_source_expressions())
        return f"({end[0]} - {start[0]})", (*end[1], *start[1])


def age_group_expression(birth_field: str, event_field: str):
    difference = DayNumber(event_field) - DayNumber(birth_field)
    whens = [When(**{f"{birth_field}__isnull": True}, then=Value(AGE_UNKNOWN))]
    for label, bound in AGE_GROUPS:
        if bound is not None:
            whens.append(When(LessThan(difference, bound * 10000), then=Value(label)))
    return Case(*whens, default=Value(AGE_GROUPS[-1][0]))


def _kind_expression(ordinal_field: str):
    return Case(When(**{ordinal_field: 1}, then=Value("new")), default=Value("repeat"))


@dataclass(frozen=True)
class Dimension:
    key: str
    label: object
    # The ORM expression on Decision and on Application; None where it does not apply.
    on_decision: Callable | None
    on_application: Callable | None
    # Shown in published tables only when every row is large enough (statistics.publication).
    fine: bool = True

    def value_label(self, value) -> str:
        if value is None or value == "":
            return "—"
        if self.key == "origin":
            return country_name(value)
        if self.key == "instance":
            return str(dict(Instance.choices).get(value, value))
        if self.key == "sex":
            return str(SEX_LABELS.get(value, value))
        if self.key == "application":
            return str(APPLICATION_KINDS.get(value, value))
        if self.key == "age_group":
            return str(_("unknown")) if value == AGE_UNKNOWN else str(value)
        if self.key == "quarter":
            return f"Q{value}"
        return str(value)


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension(
            "origin",
            _("Country of origin"),
            lambda: F("application__person__country_of_origin"),
            lambda: F("person__country_of_origin"),
            fine=False,
        ),
        Dimension(
            "year",
            _("Year"),
            lambda: Year("decided_on"),
            lambda: Year("lodged_on"),
            fine=False,
        ),
        Dimension("quarter", _("Quarter"), None, None),
        Dimension(
            "month",
            _("Month"),
            lambda: Month("decided_on"),
            lambda: Month("lodged_on"),
        ),
        Dimension("instance", _("Instance"), lambda: F("instance"), None, fine=False),
        Dimension(
            "application",
            _("Application"),
            lambda: _kind_expression("application__ordinal"),
            lambda: _kind_expression("ordinal"),
            fine=False,
        ),
        Dimension("sex", _("Sex"), lambda: F("application__person__sex"), lambda: F("person__sex")),
        Dimension(
            "age_group",
            _("Age group"),
            lambda: age_group_expression("application__person__birth_date", "decided_on"),
            lambda: age_group_expression("person__birth_date", "lodged_on"),
        ),
        Dimension(
            "office", _("Office"), lambda: F("application__office_id"), lambda: F("office_id")
        ),
        Dimension(
            "profile",
            _("Procedure profile"),
            lambda: F("application__profile"),
            lambda: F("profile"),
        ),
    )
}

DECISION_DIMENSIONS = tuple(DIMENSIONS)
APPLICATION_DIMENSIONS = tuple(k for k in DIMENSIONS if k != "instance")
OUTCOMES = tuple(Outcome.values)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def validate_dimensions(keys, *, allowed) -> tuple[str, ...]:
    keys = tuple(keys)
    unknown = [k for k in keys if k not in allowed]
    if unknown or len(set(keys)) != len(keys):
        raise NotAllowed(
            _("Unknown or repeated dimension: %(names)s.") % {"names": ", ".join(unknown or keys)}
        )
    return keys
