"""``nansen backup --output PATH``: a consistent backup while Nansen runs.

    nansen backup --output /backups/nansen-$(date +%F).backup
    NANSEN_BACKUP_KEY=… nansen backup --output … --encrypt

See nansen/operations/backup.py for what the file holds and docs/operations.md for a
schedule.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nansen.operations.backup import BackupError, backup_create
from nansen.operations.sealing import SealingError


class Command(BaseCommand):
    help = "Back up the database (online) with a manifest of row counts and checksums."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument(
            "--encrypt",
            action="store_true",
            help="seal the file with AES-256-GCM under NANSEN_BACKUP_KEY",
        )

    def handle(self, *args, output: Path, encrypt: bool, **options):
        if not output.parent.is_dir():
            raise CommandError(f"{output.parent} is not a directory.")
        try:
            result = backup_create(output, encrypt=encrypt)
        except (BackupError, SealingError) as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        self.stdout.write(
            f"Backed up {len(manifest['tables'])} tables, {result.rows} rows, "
            f"{len(manifest['migrations'])} migrations ({manifest['database']}) to {output}"
            + (" (encrypted)" if encrypt else "")
        )
