"""The admin: offices, users, their roles and offices. Every change goes through
``nansen.accounts.administration`` (audited; a second administrator where personal data
opens), and only administrators (``Action.ADMINISTER``) get in. It lists no person, case or
other casework record, and no authenticator key."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _

from nansen.accounts import administration, reauth
from nansen.accounts.admin_site import AdministerPermissions
from nansen.accounts.models import ApiToken, Office, PendingAccessChange, RoleGrant, User
from nansen.core.permissions import NotAllowed


class ReauthenticatedActions:
    """Roles, accounts and passwords: password and second factor again before an action."""

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and "action" in request.POST and not reauth.is_recent(request):
            return reauth.reauthentication_redirect(request)
        return super().changelist_view(request, extra_context)


def _one_time_passwords(request, issued: list[tuple[User, str]]):
    return TemplateResponse(
        request,
        "accounts/admin_one_time_passwords.html",
        {
            **admin.site.each_context(request),
            "title": _("One-time passwords"),
            "issued": issued,
        },
    )


@admin.register(Office)
class OfficeAdmin(AdministerPermissions, admin.ModelAdmin):
    list_display = ["code", "name", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["code", "name"]

    def has_delete_permission(self, request, obj=None):
        return False  # an office's records and staff stay with it

    def save_model(self, request, obj, form, change):
        if change:
            administration.office_update(
                actor=request.user, office=obj, fields=list(form.changed_data), request=request
            )
        else:
            administration.office_create(actor=request.user, office=obj, request=request)


class UserForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["username", "first_name", "last_name", "email", "office", "is_active"]


@admin.register(User)
class UserAdmin(ReauthenticatedActions, AdministerPermissions, admin.ModelAdmin):
    form = UserForm
    list_display = ["username", "first_name", "last_name", "office", "is_active", "roles_held"]
    list_filter = ["office", "is_active", "role_grants__role"]
    search_fields = ["username", "first_name", "last_name", "email"]
    actions = ["reset_password", "reset_second_factor"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["username", "first_name", "last_name", "email", "office"]
        return [
            "username",
            "first_name",
            "last_name",
            "email",
            "office",
            "is_active",
            "roles_held",
            "awaiting_approval",
            "last_login",
            "date_joined",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["username", "roles_held", "awaiting_approval", "last_login", "date_joined"]

    def has_delete_permission(self, request, obj=None):
        return False  # disable the account: its name stays on what it did

    @admin.display(description=_("roles"))
    def roles_held(self, obj):
        return ", ".join(str(grant) for grant in obj.role_grants.all()) or "—"

    @admin.display(description=_("awaiting a second administrator"))
    def awaiting_approval(self, obj):
        return "; ".join(pending.what for pending in obj.pending_access_changes.all()) or "—"

    @method_decorator(reauth.reauthentication_required)
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @method_decorator(reauth.reauthentication_required)
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        actor, data = request.user, form.cleaned_data
        if not change:
            user, password = administration.user_create(
                actor=actor,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                office=data["office"],
                request=request,
            )
            obj.pk = user.pk
            request.nansen_one_time_password = (user, password)
            return
        user = User.objects.get(pk=obj.pk)  # the form changed ``obj``; the services decide
        try:
            with transaction.atomic():
                administration.user_update(
                    actor=actor,
                    user=user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    request=request,
                )
                if "office" in form.changed_data:
                    pending = administration.user_office_change(
                        actor=actor, user=user, office=data["office"], request=request
                    )
                    if pending is not None:
                        messages.info(
                            request,
                            _("The move to %(office)s waits for a second administrator.")
                            % {"office": pending.office},
                        )
                if "is_active" in form.changed_data:
                    change_activity = (
                        administration.user_reactivate
                        if data["is_active"]
                        else administration.user_deactivate
                    )
                    change_activity(actor=actor, user=user, request=request)
        except NotAllowed as refusal:
            request.nansen_refusal = str(refusal)

    def save_related(self, request, form, formsets, change):
        pass  # no inlines; roles are granted on their own page

    def log_addition(self, request, obj, message):
        pass  # recorded in the audit chain by the services

    def log_change(self, request, obj, message):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        issued = getattr(request, "nansen_one_time_password", None)
        if issued is None:
            return super().response_add(request, obj, post_url_continue)
        return _one_time_passwords(request, [issued])

    def response_change(self, request, obj):
        refusal = getattr(request, "nansen_refusal", None)
        if refusal is None:
            return super().response_change(request, obj)
        self.message_user(request, refusal, messages.ERROR)
        return HttpResponseRedirect(request.path)

    @admin.action(description=_("Reset the password of the selected users (one-time password)"))
    def reset_password(self, request, queryset):
        issued = []
        for user in queryset:
            try:
                issued.append(
                    (
                        user,
                        administration.user_password_reset(
                            actor=request.user, user=user, request=request
                        ),
                    )
                )
            except NotAllowed as refusal:
                self.message_user(request, f"{user}: {refusal}", messages.ERROR)
        return _one_time_passwords(request, issued) if issued else None

    @admin.action(description=_("Reset the second factor of the selected users"))
    def reset_second_factor(self, request, queryset):
        done = 0
        for user in queryset:
            try:
                administration.mfa_reset(actor=request.user, user=user, request=request)
                done += 1
            except NotAllowed as refusal:
                self.message_user(request, f"{user}: {refusal}", messages.ERROR)
        if done:
            self.message_user(
                request,
                _("They will set up a new authenticator app at their next sign-in."),
                messages.SUCCESS,
            )


class RoleGrantForm(forms.ModelForm):
    actor: User | None = None

    class Meta:
        model = RoleGrant
        fields = ["user", "role"]

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("role"):
            try:
                administration.role_grant_check(
                    actor=self.actor, user=data["user"], role=data["role"]
                )
            except NotAllowed as refusal:
                raise ValidationError(str(refusal)) from refusal
        return data


@admin.register(RoleGrant)
class RoleGrantAdmin(ReauthenticatedActions, AdministerPermissions, admin.ModelAdmin):
    list_display = ["user", "role", "requested_by", "approved_by", "approved_at"]
    list_filter = ["role"]
    search_fields = ["user__username"]
    form = RoleGrantForm

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "role"]
        return ["user", "role", "requested_by", "requested_at", "approved_by", "approved_at"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": request.user})

    def has_change_permission(self, request, obj=None):
        return False  # a grant is revoked and asked for again, never edited

    @method_decorator(reauth.reauthentication_required)
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    @method_decorator(reauth.reauthentication_required)
    def delete_view(self, request, object_id, extra_context=None):
        return super().delete_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        result = administration.role_grant_request(
            actor=request.user, user=obj.user, role=obj.role, request=request
        )
        if isinstance(result, RoleGrant):
            obj.pk = result.pk
        else:
            request.nansen_pending = result

    def log_addition(self, request, obj, message):
        pass  # recorded in the audit chain by the services

    def log_deletion(self, request, obj, object_repr):
        pass

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "nansen_pending", None) is None:
            return super().response_add(request, obj, post_url_continue)
        self.message_user(
            request,
            _("The role %(role)s for %(user)s waits for a second administrator's approval.")
            % {"role": obj.get_role_display(), "user": obj.user},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:accounts_pendingaccesschange_changelist"))

    def delete_model(self, request, obj):
        administration.role_grant_revoke(actor=request.user, grant=obj, request=request)

    def delete_queryset(self, request, queryset):
        for grant in queryset:
            administration.role_grant_revoke(actor=request.user, grant=grant, request=request)


@admin.register(PendingAccessChange)
class PendingAccessChangeAdmin(ReauthenticatedActions, AdministerPermissions, admin.ModelAdmin):
    """Roles and office moves asked for by one administrator, for another to approve."""

    list_display = ["user", "what", "requested_by", "requested_at"]
    fields = ["user", "what", "requested_by", "requested_at"]
    readonly_fields = fields
    actions = ["approve", "refuse"]

    def has_add_permission(self, request):
        return False  # asked for on the user's or the role's page

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # refused, with a record

    @admin.display(description=_("change"))
    def what(self, obj):
        return obj.what

    @admin.action(description=_("Approve the selected changes"))
    def approve(self, request, queryset):
        for pending in queryset.select_related("user", "office"):
            try:
                administration.access_change_approve(
                    actor=request.user, pending=pending, request=request
                )
                self.message_user(request, _("Approved: %(what)s") % {"what": pending})
            except NotAllowed as refusal:
                self.message_user(request, f"{pending}: {refusal}", messages.ERROR)

    @admin.action(description=_("Refuse the selected changes"))
    def refuse(self, request, queryset):
        for pending in queryset:
            administration.access_change_refuse(
                actor=request.user, pending=pending, request=request
            )


@admin.register(ApiToken)
class ApiTokenAdmin(AdministerPermissions, admin.ModelAdmin):
    list_display = [
        "user",
        "name",
        "scope",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    readonly_fields = [
        "user",
        "name",
        "scope",
        "digest",
        "created_at",
        "expires_at",
        "last_used_at",
    ]
    fields = [*readonly_fields, "revoked_at"]

    def has_add_permission(self, request):
        return False
