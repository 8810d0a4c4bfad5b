"""nansen identity: find duplicates in the whole registry, score pairs, train the model.

nansen identity dedupe [--resume] [--workdir DIR]   batch run, candidate clusters to review
nansen identity score-pairs --input IN.csv --output OUT.csv [--threshold P]
nansen identity train                               re-estimate the model on this registry
nansen identity reindex                             rebuild the candidate index
nansen identity check-limit --user ADMIN --office CODE (--per-hour N | --default)
                                                    an office's identity checks per user and hour

The work is done by the services of ``nansen.identity.registry_runs`` (and
``identity_check.check_limit_set``); this command reads the arguments and prints.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from nansen.accounts.models import Office, User
from nansen.core.permissions import NotAllowed
from nansen.identity.identity_check import check_limit_set
from nansen.identity.registry_runs import (
    CHUNK,
    RunRefused,
    identity_dedupe_open,
    identity_dedupe_run,
    identity_model_train,
    identity_pairs_score,
    identity_registry_reindex,
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        dedupe = sub.add_parser("dedupe", help="batch run over the whole registry")
        dedupe.add_argument("--resume", action="store_true", help="continue the last run")
        dedupe.add_argument("--workdir", type=Path, default=None)
        dedupe.add_argument("--chunk", type=int, default=CHUNK)
        pairs = sub.add_parser("score-pairs", help="score pairs of records from a CSV file")
        pairs.add_argument("--input", type=Path, required=True)
        pairs.add_argument("--output", type=Path, required=True)
        pairs.add_argument("--threshold", type=float, default=None)
        sub.add_parser("train", help="re-estimate the model's parameters on this registry")
        sub.add_parser("reindex", help="rebuild the candidate index of every person")
        limit = sub.add_parser("check-limit", help="an office's identity checks per user and hour")
        limit.add_argument("--user", required=True, help="the administrator (recorded)")
        limit.add_argument("--office", required=True, help="the office's code")
        amount = limit.add_mutually_exclusive_group(required=True)
        amount.add_argument("--per-hour", type=int)
        amount.add_argument("--default", action="store_true", help="back to the default")

    def handle(self, *args, **options):
        quiet = options["verbosity"] < 1
        handler = {
            "dedupe": self.dedupe,
            "score-pairs": self.score_pairs,
            "train": self.train,
            "reindex": self.reindex,
            "check-limit": self.check_limit,
        }[options["subcommand"]]
        try:
            handler(options, quiet=quiet)
        except RunRefused as exc:
            raise CommandError(str(exc)) from exc

    def check_limit(self, options, *, quiet: bool):
        user = User.objects.filter(username=options["user"], is_active=True).first()
        office = Office.objects.filter(code=options["office"]).first()
        if user is None or office is None:
            raise CommandError("no such active user or office")
        per_hour = None if options["default"] else options["per_hour"]
        try:
            check_limit_set(actor=user, office=office, per_hour=per_hour)
        except Http404 as exc:
            raise CommandError(f"{user.username} may not administer offices") from exc
        except NotAllowed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{office.code}: "
            + (f"{per_hour} identity checks an hour" if per_hour else "the default limit")
        )

    def score_pairs(self, options, *, quiet: bool):
        threshold = options["threshold"]
        if threshold is not None and not 0 <= threshold <= 1:
            raise CommandError("--threshold is a probability between 0 and 1")
        scored = identity_pairs_score(
            source=options["input"], target=options["output"], threshold=threshold
        )
        self.stdout.write(
            f"{scored.pairs} pairs scored at threshold {scored.threshold} -> {options['output']}"
        )

    def reindex(self, options, *, quiet: bool):
        count = identity_registry_reindex(quiet=quiet)
        self.stdout.write(f"{count} persons indexed")

    def train(self, options, *, quiet: bool):
        training = identity_model_train()
        used = "used" if training.labels_used else "too few for m"
        second = (
            "re-estimated from the decisions"
            if training.together_from_decisions
            else "shipped weights"
        )
        self.stdout.write(
            f"model trained on {training.persons} persons ({training.labels} reviewed pairs "
            f"{used}; people registered with them: {second})"
        )

    def dedupe(self, options, *, quiet: bool):
        run = identity_dedupe_open(resume=options["resume"], workdir=options["workdir"])
        self.stdout.write(f"run {run.pk} in {run.workdir}, from stage {run.stage}")
        run = identity_dedupe_run(run=run, chunk=options["chunk"], quiet=quiet)
        self.stdout.write(
            f"{run.persons} persons, {run.pairs} pairs to review in {run.clusters} clusters"
        )
