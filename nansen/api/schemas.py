"""Schemas every app's API shares: the refusal every operation may answer with, and the
body of a step that needs nothing but the version it is based on."""

from __future__ import annotations

from ninja import Field, Schema


class ErrorOut(Schema):
    detail: str


class VersionIn(Schema):
    version: int = Field(description="The version the change is based on (optimistic locking)")


# The refusals a writing operation declares: a rule refused it (400), nothing the user may
# see has the identifier (404), or the record changed since the version sent (409).
ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut}
