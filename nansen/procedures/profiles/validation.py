"""How a profile file is checked: the pydantic building blocks its models share, and the
messages a profile's author reads, each naming the file and the place in it
("jp-icrra.toml: steps.decide: unknown key 'foo'").

The models are read from the file's tables in the order their fields are written. A table
that other parts of the file name (``sources``, ``counting``, ``stages``…) leaves its items in
the validation context, under the table's field name, once it is valid; a name is looked up
there. When that table has problems of its own it leaves ``None``: names are then not
checked against it, and an object that cannot be found is left out of the messages, its
table's own problems saying why.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetPydanticSchema,
    PlainValidator,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError, core_schema

# The key of an item in its table ([steps.decide] → "decide"), handed to the item's model
# under a name no profile writes, so that an `id` written inside the table is still refused
# as an unknown key.
KEY = "(key)"

# Errors of these kinds carry no message of their own: they follow from another problem.
_UNRESOLVED = "unresolved"
# The rules that span the whole profile, each problem with its place (see ``located``).
_LOCATED = "located"

_TYPE_MESSAGES = {
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "date_type": "must be a date (YYYY-MM-DD, not in quotes)",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "frozen_set_type": "must be a list",
}


class ProfileError(Exception):
    """A profile file breaks the rules; the message lists every problem found."""


class Model(BaseModel):
    """A part of a profile: read from one table of the file, unknown keys refused, and never
    changed once read."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def _keyed(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    return {k: {**v, KEY: k} if isinstance(v, dict) else v for k, v in value.items()}


# A table of items, each told its own key (see KEY).
Keyed = BeforeValidator(_keyed)


def among(allowed: Collection[str], message: str) -> AfterValidator:
    """Refuses a value that is not one of ``allowed``; ``{value}`` in the message is it."""

    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(message.format(value=repr(value)))
        return value

    return AfterValidator(check)


def required(message: str) -> AfterValidator:
    """Refuses an empty value (a list without items, a table without keys)."""

    def check(value: Any) -> Any:
        if not value:
            raise ValueError(message)
        return value

    return AfterValidator(check)


def context_of(info: ValidationInfo) -> dict[str, Any]:
    """The validation context: the file's name and the tables read so far (see above)."""
    if not isinstance(info.context, dict):
        raise TypeError("a profile is read by profiles.load_file, which gives the context")
    return info.context


def declared(table: str, message: str, *, optional: bool = False) -> AfterValidator:
    """Refuses a name that is not an item of the profile's ``table`` ("" too, unless
    ``optional``: then it names nothing)."""

    def check(value: str, info: ValidationInfo) -> str:
        items = context_of(info)[table]
        if items is not None and value not in items and not (optional and value == ""):
            raise ValueError(message.format(value=repr(value)))
        return value

    return AfterValidator(check)


def lookup(info: ValidationInfo, table: str, name: Any, message: str) -> Any:
    """The item of the profile's ``table`` called ``name``."""
    items = context_of(info)[table]
    if items is None:
        raise PydanticCustomError(
            _UNRESOLVED, "follows from the problems of [{table}]", {"table": table}
        )
    if not isinstance(name, str) or name not in items:
        raise ValueError(message.format(value=repr(name)))
    return items[name]


def found(table: str, message: str) -> PlainValidator:
    """Reads a name as the item of the profile's ``table`` it names."""
    return PlainValidator(lambda name, info: lookup(info, table, name, message))


def built(source: Any, make: Callable[[Any], Any]) -> GetPydanticSchema:
    """Reads the value as ``source`` (a model of the table as the file writes it), then keeps
    what ``make`` makes of it (the object the engine uses)."""
    return GetPydanticSchema(
        lambda _type, handler: core_schema.no_info_after_validator_function(make, handler(source))
    )


def located(problems: list[tuple[str, str]]) -> PydanticCustomError:
    """An error carrying several problems, each with its place in the file."""
    context = {"count": len(problems), "problems": problems}
    return PydanticCustomError(_LOCATED, "{count} problems", context)


def _place(loc: list[int | str]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else part
    return text or "profile"


def problems(file: str, error: ValidationError) -> list[str]:
    """Each problem of ``error`` as "file: place: what is wrong", in the file's words: a key
    missing or unknown is named at the table that should or should not hold it; a message
    that names its own key (`party` must be…) is placed at the table too."""
    lines: list[str] = []
    for item in error.errors():
        kind, ctx = item["type"], item.get("ctx", {})
        if kind == _UNRESOLVED:
            continue
        if kind == _LOCATED:
            lines += [f"{file}: {where}: {what}" for where, what in ctx["problems"]]
            continue
        loc = [part for part in item["loc"] if part != "[key]"]
        key = loc[-1] if loc else ""
        if kind == "missing":
            message = "no legal source (`source`)" if key == "source" else f"missing `{key}`"
        elif kind == "extra_forbidden":
            message = f"unknown key {key!r}"
        elif kind == "value_error":
            message = str(ctx["error"])
        elif kind == "literal_error":
            message = f"must be {ctx['expected']}"
        else:
            message = _TYPE_MESSAGES.get(kind, item["msg"])
        if isinstance(key, str) and message.startswith("must be "):
            message = f"`{key}` {message}"
        if kind in ("missing", "extra_forbidden") or f"`{key}`" in message:
            loc = loc[:-1]
        lines.append(f"{file}: {_place(loc)}: {message}")
    return list(dict.fromkeys(lines))
