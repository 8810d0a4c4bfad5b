"""``nansen audit``: verify the audit chain, or print its head for an outside store."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nansen.audit import chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or export its head."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check every entry; exit 1 at the first break.")
        verify.add_argument(
            "--head",
            type=Path,
            help="A head exported earlier (JSON); also check the chain still contains it.",
        )
        sub.add_parser("head", help="Print the chain's head as JSON (sequence and hash).")

    def handle(self, *args, action, **options):
        if action == "head":
            self.stdout.write(json.dumps(chain.head()))
            return
        result = chain.verify()
        if not result.ok:
            raise CommandError(
                f"audit chain broken at entry {result.broken_sequence}: {result.reason} "
                f"({result.checked} entries verified before it)"
            )
        if options["head"] is not None:
            exported = json.loads(options["head"].read_text())
            if not chain.matches_exported_head(exported):
                raise CommandError(
                    f"audit chain does not contain the exported head: entry "
                    f"{exported.get('sequence')} has another hash or is gone"
                )
        self.stdout.write(f"audit chain intact: {result.checked} entries")
