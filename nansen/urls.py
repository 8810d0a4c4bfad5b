from django.contrib import admin
from django.urls import include, path

from nansen.accounts.urls import audit_log_urlpatterns
from nansen.api.api import api
from nansen.core import views as core_views

handler404 = core_views.not_found

urlpatterns = [
    path("accounts/", include("nansen.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("nansen.registration.urls")),
    path("statistics/", include("nansen.statistics.urls")),
    path("audit/", include((audit_log_urlpatterns, "audit"))),
    path("", include("nansen.protection.urls")),
    path("", include("nansen.procedures.urls")),
    path("", include("nansen.identity.urls")),
    path("", include("nansen.operations.urls")),
    path("imports/", include("nansen.imports.urls")),
    path("resettlement/", include("nansen.resettlement.urls")),
    path("coi/", include("nansen.coi.urls")),
    path("", include("nansen.eligibility.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
