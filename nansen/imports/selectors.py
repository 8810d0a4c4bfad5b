from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from nansen.accounts.roles import Action
from nansen.imports.models import ImportJob


def import_jobs_visible_to(user) -> QuerySet[ImportJob]:
    """Imports of the user's office, for those who may register."""
    if not getattr(user, "is_authenticated", False) or not user.may(Action.REGISTER):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(office_id=user.office_id)


def import_job_get(*, user, uid) -> ImportJob:
    return get_object_or_404(import_jobs_visible_to(user), uid=uid)
