"""Each app owns its pages' routes: the root URLconf (nansen/urls.py) only includes the
apps' urls.py, the API and the admin, and every page an app's urls.py routes is a view of
that app (or one of Django's own, such as its password reset views, set up by the app)."""

from django.urls import URLPattern, URLResolver, get_resolver

from nansen.accounts import urls as accounts_urls

THIRD_PARTY = ("django.", "ninja.")


def _app_of(resolver: URLResolver) -> str | None:
    """The Nansen app whose URLconf this include is, or None for Django's and the API's."""
    if resolver.urlconf_name is accounts_urls.audit_log_urlpatterns:
        return "accounts"
    name = getattr(resolver.urlconf_module, "__name__", "")
    parts = name.split(".")
    if len(parts) == 3 and parts[0] == "nansen" and parts[2] == "urls":
        return parts[1]
    return None


def _views(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _views(pattern.url_patterns)
        else:
            yield pattern


def test_the_root_routes_no_page_itself():
    assert [p for p in get_resolver().url_patterns if isinstance(p, URLPattern)] == []


def test_every_page_is_routed_by_its_own_apps_urls():
    misplaced = []
    for include in get_resolver().url_patterns:
        app = _app_of(include)
        if app is None:
            continue
        for view in _views(include.url_patterns):
            if not view.lookup_str.startswith((f"nansen.{app}.", "django.")):
                misplaced.append(f"{app}: {view.pattern} -> {view.lookup_str}")
    assert misplaced == []


def test_every_include_is_an_apps_the_apis_or_djangos():
    unknown = [
        str(include.pattern)
        for include in get_resolver().url_patterns
        if _app_of(include) is None
        and not getattr(include.urlconf_module, "__name__", "ninja.").startswith(THIRD_PARTY)
        and include.namespace not in ("api", "admin")
    ]
    assert unknown == []
