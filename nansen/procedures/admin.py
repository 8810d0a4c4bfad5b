"""Reference data of the procedure engine, managed by administrators: interview rooms,
interpreters, and the interviewers' details the scheduling needs. Applications, interviews
and decisions hold personal data and are not in the admin."""

from django.contrib import admin

from nansen.accounts.admin_site import AdministerPermissions
from nansen.procedures.models import Interpreter, OfficerProfile, Room


@admin.register(Room)
class RoomAdmin(AdministerPermissions, admin.ModelAdmin):
    list_display = ("name", "office", "active")
    list_filter = ("office", "active")


@admin.register(Interpreter)
class InterpreterAdmin(AdministerPermissions, admin.ModelAdmin):
    list_display = ("name", "office", "languages", "sex", "active")
    list_filter = ("office", "active", "sex")
    search_fields = ("name",)


@admin.register(OfficerProfile)
class OfficerProfileAdmin(AdministerPermissions, admin.ModelAdmin):
    list_display = ("user", "sex", "languages")
    search_fields = ("user__username",)
