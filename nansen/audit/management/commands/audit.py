"""``nansen audit``: verify the audit chain, or write its signed head for a store elsewhere."""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from nansen.audit import chain


class Command(BaseCommand):
    help = "Verify the audit log's hash chain, or export its signed head."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Check every entry; exit 1 at the first break.")
        verify.add_argument(
            "--head",
            type=Path,
            help="A head exported earlier (`nansen audit head --output`); also check that the "
            "chain reaches it and still holds the same entry there.",
        )
        head = sub.add_parser(
            "head", help="Write the chain's head (sequence, hash, time), signed, as JSON."
        )
        head.add_argument(
            "--output", type=Path, help="Write the head to this file (default: standard output)."
        )

    def handle(self, *args, action, **options):
        if action == "head":
            self._head(options["output"])
            return
        result = chain.verify()
        if not result.ok:
            raise CommandError(
                f"audit chain broken at entry {result.broken_sequence}: {result.reason} "
                f"({result.checked} entries verified before it)"
            )
        if options["head"] is not None:
            try:
                exported = json.loads(options["head"].read_text())
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read the head file {options['head']}: {exc}") from exc
            problem = chain.check_head(exported if isinstance(exported, dict) else {})
            if problem:
                raise CommandError(f"audit chain does not hold the exported head: {problem}")
            self.stdout.write(
                f"audit chain intact: {result.checked} entries, holding the head of "
                f"{exported['at']} (entry {exported['sequence']})"
            )
            return
        self.stdout.write(f"audit chain intact: {result.checked} entries")

    def _head(self, output: Path | None) -> None:
        text = json.dumps(chain.head(), indent=2) + "\n"
        if output is None:
            self.stdout.write(text, ending="")
            return
        staged = output.with_name(output.name + ".tmp")
        with staged.open("w") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        staged.replace(output)
        self.stdout.write(f"audit head written to {output}")
