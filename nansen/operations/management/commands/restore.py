"""``nansen restore PATH``: restore a backup into the empty database the settings name,
then check every table against the backup's manifest.

    NANSEN_DATABASE_URL=postgres://nansen@db/nansen_new nansen restore nansen.backup

A SQLite backup restores into PostgreSQL too (schema by the migrations, rows copied).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nansen.operations.backup import BackupError, backup_restore
from nansen.operations.sealing import SealingError


class Command(BaseCommand):
    help = "Restore a backup into the empty database named by the settings, and verify it."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        try:
            result = backup_restore(path)
        except (BackupError, SealingError) as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        if not result.ok:
            for problem in result.mismatched:
                self.stderr.write(problem)
            raise CommandError("The restored database does not match the backup's manifest.")
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(
            f"Restored {len(manifest['tables'])} tables, {rows} rows from a "
            f"{manifest['database']} backup of {manifest['created_at']}; every table matches "
            "the manifest. Run `nansen audit verify` to check the audit chain."
        )
