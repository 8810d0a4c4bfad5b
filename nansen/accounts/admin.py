"""The admin manages reference data only: offices, users and their roles."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from nansen.accounts import reauth, services
from nansen.accounts.models import ApiToken, Office, RoleGrant, User

admin.site.site_header = _("Nansen administration")
admin.site.site_title = _("Nansen administration")


def _admin_login(request, extra_context=None):
    # One way in: Nansen's sign-in, with its second factor and lockout.
    return redirect_to_login(request.GET.get("next", reverse("admin:index")), reverse("login"))


admin.site.login = _admin_login

# Second factors are changed through services that end the user's sessions (the user's own
# pages, or the "reset second factor" action below), never edited by hand; and no
# administrator should see anyone's authenticator key.
for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


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
    actions = ["reset_second_factor"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Office"), {"fields": ["office"]}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Office"), {"fields": ["office"]}),
    )

    # Roles, accounts and passwords: password and second factor again first.
    @method_decorator(reauth.reauthentication_required)
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @method_decorator(reauth.reauthentication_required)
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    @method_decorator(reauth.reauthentication_required)
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    @method_decorator(reauth.reauthentication_required)
    def user_change_password(self, request, id, form_url=""):
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "is_active" in form.changed_data and not obj.is_active:
            services.user_deactivate(actor=request.user, user=obj, request=request)

    @admin.action(description=_("Reset the second factor of the selected users"))
    def reset_second_factor(self, request, queryset):
        if not reauth.is_recent(request):
            return reauth.reauthentication_redirect(request)
        for user in queryset:
            services.mfa_reset(actor=request.user, user=user, request=request)
        self.message_user(
            request,
            _("They will set up a new authenticator app at their next sign-in."),
            messages.SUCCESS,
        )
        return None


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["user", "name", "digest", "created_at", "expires_at", "last_used_at"]
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request):
        return False
