"""The admin manages reference data only: offices, users and their roles."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from nansen.accounts.models import ApiToken, Office, RoleGrant, User

admin.site.site_header = _("Nansen administration")
admin.site.site_title = _("Nansen administration")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["code", "name"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 1


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [RoleGrantInline]
    list_display = ["username", "first_name", "last_name", "office", "is_active"]
    list_filter = ["office", "is_active", "role_grants__role"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Office"), {"fields": ["office"]}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Office"), {"fields": ["office"]}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["user", "name", "digest", "created_at", "expires_at", "last_used_at"]
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request):
        return False
