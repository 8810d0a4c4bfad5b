"""Bulk registration import: check the whole file, then register every family or none."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.audit.services import audit_record
from nansen.core.permissions import NotAllowed, require
from nansen.imports import bulk
from nansen.imports.duplicates import index_imported
from nansen.imports.formats import FileRefused, file_format, read_table
from nansen.imports.models import ImportJob
from nansen.imports.validation import MAX_ROWS, Problem, ValidationResult, validate

logger = logging.getLogger(__name__)
Progress = Callable[[str, int, int | None], None]


def import_job_create(*, actor: User, file_name: str, data: bytes) -> ImportJob:
    """Record that ``actor`` submitted a file; nothing is read or registered yet."""
    require(actor, Action.REGISTER)
    return ImportJob.objects.create(
        office=actor.office,  # type: ignore[misc]
        created_by=actor,
        file_name=file_name[-200:],
        file_format=file_format(file_name, data),
    )


def _job_update(job: ImportJob, **values) -> None:
    for name, value in values.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _refuse(job: ImportJob, result: ValidationResult) -> ImportJob:
    _job_update(
        job,
        status=ImportJob.Status.REFUSED,
        rows=result.rows,
        problem_count=result.problem_count,
        problems=[p.as_dict() for p in result.problems],
        finished_at=timezone.now(),
    )
    logger.info(
        "registration import refused", extra={"job": str(job.uid), "count": job.problem_count}
    )
    return job


@transaction.atomic
def registration_import(
    *,
    actor: User,
    job: ImportJob,
    result: ValidationResult,
    channel: Channel = Channel.PAGE,
    progress: Progress | None = None,
) -> ImportJob:
    """Register every household of a validated file as a new case, all in one transaction.

    The history of each case records "case registered" with the import's id; the audit log
    records one entry for the whole import with its counts (not one per person)."""
    require(actor, Action.REGISTER)
    if not result.ok:
        raise NotAllowed(_("The file has problems; nothing was registered."))
    if job.created_by_id != actor.pk or job.status == ImportJob.Status.DONE:
        raise NotAllowed(_("This import cannot be run again."))
    written = bulk.write_households(
        result.households, actor=actor, import_uid=str(job.uid), progress=progress
    )
    indexed = index_imported(written.person_ids)
    if not indexed:
        logger.warning(
            "large registration import not in the identity index; run `nansen identity reindex`",
            extra={"job": str(job.uid), "count": written.persons},
        )
    _job_update(
        job,
        status=ImportJob.Status.DONE,
        rows=result.rows,
        persons_created=written.persons,
        cases_created=written.cases,
        first_case_number=written.first_case_number,
        last_case_number=written.last_case_number,
        finished_at=timezone.now(),
    )
    audit_record(
        user=actor,
        action="registration_imported",
        channel=channel,
        object_type="import",
        object_id=job.pk,
        details={
            "import": str(job.uid),
            "format": job.file_format,
            "rows": result.rows,
            "cases": written.cases,
            "persons": written.persons,
            "documents": written.documents,
            "first_case": written.first_case_number,
            "last_case": written.last_case_number,
            "identity_indexed": indexed,
        },
    )
    return job


def import_run(
    *,
    actor: User,
    job: ImportJob,
    data: bytes,
    encoding: str | None = None,
    max_rows: int = MAX_ROWS,
    channel: Channel = Channel.PAGE,
    progress: Progress | None = None,
) -> ImportJob:
    """Read, check and (if nothing is wrong) register the file of ``job``.

    Ends with the job refused (every problem recorded, nothing registered), done, or failed
    (an unexpected error: the transaction rolled back, nothing registered)."""
    require(actor, Action.REGISTER)
    report = progress or (lambda *_args: None)
    _job_update(job, status=ImportJob.Status.VALIDATING)
    with _collector_paused():
        return _import_run(
            actor=actor,
            job=job,
            data=data,
            encoding=encoding,
            max_rows=max_rows,
            channel=channel,
            report=report,
        )


@contextmanager
def _collector_paused():
    """Python's cycle collector, run again and again while a million rows are made, would
    take twice as long as the import itself; the rows hold no cycles."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _import_run(*, actor, job, data, encoding, max_rows, channel, report) -> ImportJob:
    try:
        try:
            table = read_table(job.file_name, data, encoding=encoding)
        except FileRefused as exc:
            result = ValidationResult()
            result.add(0, "", str(exc))
            return _refuse(job, result)
        _job_update(job, encoding=table.encoding)
        try:
            result = validate(table, office=actor.office, max_rows=max_rows, progress=report)
        except FileRefused as exc:
            result = ValidationResult()
            result.add(0, "", str(exc))
        if not result.ok:
            return _refuse(job, result)
        report("validating", result.rows, result.rows)
        _job_update(job, status=ImportJob.Status.WRITING, rows=result.rows)
        return registration_import(
            actor=actor, job=job, result=result, channel=channel, progress=report
        )
    except Exception:
        # The message of a database error can quote a row: log the kind and the job only.
        logger.exception("registration import failed", extra={"job": str(job.uid)})
        _job_update(
            job,
            status=ImportJob.Status.FAILED,
            problems=[
                Problem(
                    0, "", _("An unexpected error stopped the import; nothing was registered.")
                ).as_dict()
            ],
            problem_count=1,
            finished_at=timezone.now(),
        )
        return job
