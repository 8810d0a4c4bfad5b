"""The API's layout: each app owns its operations (nansen/<app>/api.py) and their schemas
(nansen/<app>/schemas.py); nansen/api holds the NinjaAPI object and what the apps share."""

import re

from ninja import Schema

from nansen.api.api import api

APP_API_MODULE = re.compile(r"^nansen\.(?P<app>\w+)\.api(_\w+)?$")
APP_SCHEMAS_MODULE = re.compile(r"^nansen\.(?P<app>\w+)\.schemas$")


def _operations():
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            yield from path_view.operations


def _schemas(cls=Schema):
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("nansen."):
            yield sub
        yield from _schemas(sub)


def test_it_has_operations_to_check():
    assert len(list(_operations())) > 50


def test_every_operation_is_defined_in_its_apps_api_module():
    misplaced = []
    for operation in _operations():
        module = operation.view_func.__module__
        found = APP_API_MODULE.match(module)
        if found is None or found["app"] == "api":
            misplaced.append(f"{module}.{operation.view_func.__name__}")
    assert misplaced == []


def test_every_schema_is_defined_in_a_schemas_module():
    assert [
        f"{s.__module__}.{s.__name__}"
        for s in _schemas()
        if not APP_SCHEMAS_MODULE.match(s.__module__)
    ] == []


def test_every_schema_is_named_as_input_or_output():
    assert [s.__name__ for s in _schemas() if not s.__name__.endswith(("In", "Out"))] == []


def test_no_two_schemas_share_a_name():
    """The OpenAPI document names each schema by its class name: a second class of the same
    name would silently replace the first in the description."""
    by_name: dict[str, set[str]] = {}
    for schema in _schemas():
        by_name.setdefault(schema.__name__, set()).add(schema.__module__)
    assert {name: modules for name, modules in by_name.items() if len(modules) > 1} == {}
