"""The audit log pages: an auditor reads and exports the entries of their own office. They
belong to accounts, which decides who may read them (the auditor's action, and a second
sign-in for the export); nansen.audit records the entries and selects an office's."""

from __future__ import annotations

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from nansen.accounts.reauth import reauthentication_required
from nansen.accounts.roles import Action
from nansen.audit.forms import AuditFilterForm
from nansen.audit.models import Channel
from nansen.audit.selectors import audit_entry_list
from nansen.audit.services import audit_record
from nansen.core.decorators import action_required
from nansen.core.downloads import content_disposition
from nansen.core.spreadsheet import spreadsheet_cell

EXPORT_COLUMNS = (
    "sequence",
    "at",
    "username",
    "office_id",
    "remote_addr",
    "channel",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_ids",
    "details",
    "prev_hash",
    "hash",
)


def _filtered(request):
    form = AuditFilterForm(request.GET)
    filters = form.filters() if form.is_valid() else {}
    return form, filters, audit_entry_list(office_id=request.user.office_id, **filters)


@action_required(Action.VIEW_AUDIT)
def audit_log(request):
    form, filters, entries = _filtered(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    audit_record(
        user=request.user,
        action="audit_log_view",
        channel=Channel.PAGE,
        request=request,
        details={"filters": {k: str(v) for k, v in filters.items() if v}},
    )
    return render(request, "accounts/audit_log.html", {"form": form, "page": page})


class _Echo:
    def write(self, value):
        return value


@action_required(Action.VIEW_AUDIT)
@reauthentication_required
def audit_log_export(request):
    """The filtered audit log as CSV, with each entry's hashes so it can be checked outside.

    Free text, such as the user name typed at a failed sign-in, is defused for spreadsheets
    (nansen.core.spreadsheet)."""
    _form, filters, entries = _filtered(request)
    audit_record(
        user=request.user,
        action="audit_log_export",
        channel=Channel.EXPORT,
        request=request,
        details={"filters": {k: str(v) for k, v in filters.items() if v}},
    )
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(EXPORT_COLUMNS)
        for entry in entries.order_by("sequence").iterator(chunk_size=2000):
            yield writer.writerow([spreadsheet_cell(getattr(entry, c)) for c in EXPORT_COLUMNS])

    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"nansen-audit-{stamp}.csv")
    return response
