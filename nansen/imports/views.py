from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from nansen.accounts.roles import Action
from nansen.core.decorators import action_required
from nansen.core.downloads import content_disposition
from nansen.imports import services
from nansen.imports.columns import COLUMNS
from nansen.imports.forms import ImportForm
from nansen.imports.progress import FileProgress, read_progress
from nansen.imports.selectors import import_job_get, import_jobs_visible_to
from nansen.imports.templates_files import template_csv, template_xlsx

logger = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=10)


def run_in_background() -> bool:
    """Imports run in a thread of the server process, so the page can show their progress;
    the test suite runs them in the request (its database transaction is not shared)."""
    return settings.NANSEN_ENV != "test"


def _run(job, actor, data: bytes, encoding: str | None) -> None:
    progress = FileProgress(job.uid)
    try:
        services.import_run(
            actor=actor, job=job, data=data, encoding=encoding or None, progress=progress
        )
    finally:
        progress.remove()


def _run_thread(job, actor, data: bytes, encoding: str | None) -> None:
    try:
        _run(job, actor, data, encoding)
    finally:
        connection.close()


@action_required(Action.REGISTER)
@require_http_methods(["GET", "POST"])
def import_new(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            job = services.import_job_create(actor=request.user, file_name=upload.name, data=data)
            arguments = (job, request.user, data, form.cleaned_data["encoding"])
            if run_in_background():
                threading.Thread(
                    target=_run_thread, args=arguments, name=f"import-{job.uid}"
                ).start()
            else:
                _run(*arguments)
            return redirect("imports:import_detail", uid=job.uid)
    return render(
        request,
        "imports/import_new.html",
        {
            "form": form,
            "columns": COLUMNS,
            "recent": import_jobs_visible_to(request.user).select_related("created_by")[:10],
        },
        status=status,
    )


@action_required(Action.REGISTER)
def import_detail(request, uid):
    job = import_job_get(user=request.user, uid=uid)
    progress = None if job.finished else read_progress(job.uid)
    # A running import rewrites its progress file at least every few seconds; one without
    # a file long after it started was cut off by a restart (its transaction rolled back).
    interrupted = (
        not job.finished and progress is None and timezone.now() - job.created_at > STALE_AFTER
    )
    context = {"job": job, "progress": progress, "interrupted": interrupted}
    if request.htmx:
        return render(request, "imports/_status.html", context)
    return render(request, "imports/import_detail.html", context)


@action_required(Action.REGISTER)
def template_download(request, form: str):
    if form == "xlsx":
        response = HttpResponse(
            template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition(f"nansen-registration.{form}")
    return response
