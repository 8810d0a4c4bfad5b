"""``nansen imports``: register families in bulk from a CSV or XLSX file, or write the
template file.

    nansen imports registration persons.csv --user clerk
    nansen imports registration persons.csv --user clerk --encoding shift_jis
    nansen imports template --output persons.xlsx

The whole file is checked first; any problem refuses it whole, with every problem listed
by line and column, and nothing is registered.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nansen.accounts.models import User
from nansen.accounts.roles import Action
from nansen.audit.models import Channel
from nansen.imports import services
from nansen.imports.duplicates import INDEX_INLINE_MAX
from nansen.imports.formats import ENCODINGS
from nansen.imports.models import ImportJob
from nansen.imports.progress import TerminalProgress
from nansen.imports.templates_files import template_csv, template_xlsx
from nansen.imports.validation import MAX_ROWS

MAX_FILE_BYTES = 2 * 1024**3


class Command(BaseCommand):
    help = "Import a registration file (CSV or XLSX), or write the template."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        register = actions.add_parser(
            "registration", help="check a file and register every family in it, or none"
        )
        register.add_argument("file", type=Path)
        register.add_argument("--user", required=True, help="the registration clerk importing")
        register.add_argument("--encoding", choices=sorted(ENCODINGS), help="default: detected")
        register.add_argument("--max-rows", type=int, default=MAX_ROWS)
        register.add_argument(
            "--quiet", action="store_true", help="no progress line on standard error"
        )
        template = actions.add_parser("template", help="write the template file (.csv or .xlsx)")
        template.add_argument("--output", type=Path, required=True)

    def handle(self, *args, action, **options):
        if action == "template":
            output = options["output"]
            data = template_xlsx() if output.suffix.lower() == ".xlsx" else template_csv()
            output.write_bytes(data)
            self.stdout.write(f"wrote {output}")
            return
        self.register(options)

    def register(self, options):
        try:
            user = User.objects.select_related("office").get(username=options["user"])
        except User.DoesNotExist:
            raise CommandError(f"No user {options['user']!r}.") from None
        if not user.may(Action.REGISTER):
            raise CommandError(f"{user.username} may not register persons.")
        path: Path = options["file"]
        try:
            size = path.stat().st_size
            if size > MAX_FILE_BYTES:
                raise CommandError(f"{path} is larger than {MAX_FILE_BYTES // 1024**2} MB.")
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"{path} cannot be read: {exc.strerror}") from None
        job = services.import_job_create(actor=user, file_name=path.name, data=data)
        job = services.import_run(
            actor=user,
            job=job,
            data=data,
            encoding=options["encoding"],
            max_rows=options["max_rows"],
            channel=Channel.COMMAND,
            progress=None if options["quiet"] else TerminalProgress(self.stderr._out),
        )
        if job.status == ImportJob.Status.DONE:
            self.stdout.write(
                f"Registered {job.persons_created} persons in {job.cases_created} cases "
                f"({job.first_case_number} to {job.last_case_number})."
            )
            if job.persons_created > INDEX_INLINE_MAX:
                self.stdout.write(
                    "Run `nansen identity reindex` so that identity matching finds them."
                )
            return
        for problem in job.problems:
            where = f"line {problem['line']}" if problem["line"] else "file"
            column = f", column {problem['column']}" if problem["column"] else ""
            self.stdout.write(f"{where}{column}: {problem['message']}")
        more = job.problem_count - len(job.problems)
        if more > 0:
            self.stdout.write(f"… and {more} more problems.")
        raise CommandError(
            f"The file was refused ({job.problem_count} problems); nothing was registered."
        )
