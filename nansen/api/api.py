"""The REST API: one NinjaAPI object with its authentication, its refusals and the routers
of the apps, each of which owns its operations (nansen/<app>/api.py) and their schemas
(nansen/<app>/schemas.py)."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation
from ninja import NinjaAPI
from ninja.parser import Parser

from nansen import __version__
from nansen.api.auth import ActiveSessionAuth, TokenAuth
from nansen.core.concurrency import ConcurrentEditError
from nansen.core.permissions import NotAllowed


class ObjectBodyParser(Parser):
    """Every request body of the API is a JSON object: a list or a bare value is refused
    (400) rather than read as an empty object."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data


class NansenAPI(NinjaAPI):
    """The API, whose description also names the refusals any operation may answer with,
    so that a client (and schemathesis) knows every status it can receive."""

    REFUSAL = {
        "type": "object",
        "properties": {"detail": {"description": "What was refused and why"}},
        "required": ["detail"],
    }
    REFUSALS_SIGNED_IN = {
        401: "No credentials, or credentials that are not valid",
        403: "A signed-in browser session without its CSRF token",
    }
    REFUSALS = {
        400: "A request Nansen cannot read (a body that is not a JSON object, a NUL "
        "character), or one a rule of the procedure refuses",
        404: "Nothing the user may see has this identifier",
        414: "A request line longer than the server accepts (answered by the server)",
        422: "The request does not match what the operation accepts",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._openapi_documents: dict[tuple[str, str], dict] = {}

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The description, built once per path prefix and language (the operations are
        fixed once the URLs are loaded, and building it takes a third of a second); each
        caller gets a copy of its own."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        key = (path_prefix, translation.get_language())
        if key not in self._openapi_documents:
            self._openapi_documents[key] = self._openapi_document(path_prefix)
        return copy.deepcopy(self._openapi_documents[key])

    def _openapi_document(self, path_prefix: str) -> dict:
        schema = super().get_openapi_schema(path_prefix=path_prefix)
        schema.setdefault("components", {}).setdefault("schemas", {})["Refusal"] = self.REFUSAL
        body = {"application/json": {"schema": {"$ref": "#/components/schemas/Refusal"}}}
        for operations in schema["paths"].values():
            for operation in operations.values():
                refusals = dict(self.REFUSALS)
                if operation.get("security"):
                    refusals.update(self.REFUSALS_SIGNED_IN)
                responses = operation.setdefault("responses", {})
                for status, description in refusals.items():
                    responses.setdefault(status, {"description": description, "content": body})
        return dict(schema)


api = NansenAPI(
    title="Nansen API",
    version=__version__,
    description=(
        "Refugee status determination casework. Authenticate with a personal token "
        "(`Authorization: Bearer nsn_…`, created with `nansen tokens create`). Every "
        "object outside what the token's user may see answers 404."
    ),
    auth=[TokenAuth(), ActiveSessionAuth()],
    urls_namespace="api",
    parser=ObjectBodyParser(),
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(NotAllowed)
def _not_allowed(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=400)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    """A value the schema lets through but the model's own validation refuses (a name of
    control characters, say): 422 with the model's messages, as the schema's refusals."""
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": messages}, status=422)


@api.exception_handler(ConcurrentEditError)
def _conflict(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


# Each app's routers, in the order of the description's paths.
api.add_router("/cases", "nansen.registration.api.cases")
api.add_router("/cases", "nansen.procedures.api.case_applications")
api.add_router("/persons", "nansen.registration.api.persons")
api.add_router("/applications", "nansen.procedures.api.applications")
api.add_router("/statistics", "nansen.statistics.api.router")
api.add_router("/procedures", "nansen.procedures.api.router")
api.add_router("/procedures", "nansen.procedures.api_review.router")
api.add_router("/resettlement", "nansen.resettlement.api.router")
api.add_router("/protection", "nansen.protection.api.router")
api.add_router("/coi", "nansen.coi.api.router")
api.add_router("/eligibility", "nansen.eligibility.api.router")
api.add_router("/identity", "nansen.identity.api.router")
