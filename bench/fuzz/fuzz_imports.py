"""Coverage-guided fuzzing (atheris) of the import parsers and the date, name and code
parsers. Runs on demand, not in the test suite (atheris is not a dependency: `.venv/bin/pip install
atheris` first):

    .venv/bin/python bench/fuzz/fuzz_imports.py -atheris_runs=200000     # CSV/XLSX + rows
    .venv/bin/python bench/fuzz/fuzz_imports.py -max_total_time=300

Any exception other than a clear refusal (FileRefused, PartialDateError, a validation
result with problems) is a crash: atheris stops and writes the input to crash-<hash>.
Uses an in-memory SQLite database with one office for the registry duplicate check.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("NANSEN_ENV", "test")
os.environ.setdefault("NANSEN_DATABASE_URL", "sqlite:///:memory:")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nansen.settings")

import atheris

with atheris.instrument_imports():
    import django

    django.setup()
    from django.core.management import call_command

    from nansen.imports.formats import FileRefused, read_table
    from nansen.imports.validation import validate
    from nansen.registration.dates import PartialDateError, parse_partial_date
    from nansen.registration.names import fold, script_of

call_command("migrate", verbosity=0)
from nansen.accounts.models import Office  # noqa: E402 - after django.setup()

OFFICE = Office.objects.create(code="FUZ", name="Fuzz", kind="asylum_authority", country="JPN")


def one_input(data: bytes) -> None:
    provider = atheris.FuzzedDataProvider(data)
    choice = provider.ConsumeIntInRange(0, 3)
    if choice == 0:
        text = provider.ConsumeUnicodeNoSurrogates(40)
        with contextlib.suppress(PartialDateError):
            parse_partial_date(text, estimated=provider.ConsumeBool())
        fold(text)
        script_of(text)
        return
    name = "upload.xlsx" if choice == 1 else "upload.csv"
    body = provider.ConsumeBytes(provider.remaining_bytes())
    if choice == 3:
        # Start from a valid header so the fuzzer reaches the row checks quickly.
        from nansen.imports.templates_files import template_csv

        body = template_csv()[:400] + body
    try:
        table = read_table(name, body)
        result = validate(table, office=OFFICE, max_rows=2000)
    except FileRefused as exc:
        assert str(exc)
        return
    assert all(problem.message for problem in result.problems)


def main() -> None:
    atheris.Setup(sys.argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
