"""nansen identity: find duplicates in the whole registry, score pairs, train the model.

nansen identity dedupe [--resume] [--workdir DIR]   batch run, candidate clusters to review
nansen identity score-pairs --input IN.csv --output OUT.csv [--threshold P]
nansen identity train                               re-estimate the model on this registry
nansen identity reindex                             rebuild the candidate index
nansen identity check-limit --user ADMIN --office CODE (--per-hour N | --default)
                                                    an office's identity checks per user and hour
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from nansen.identity import registered_together
from nansen.identity.match_records import BirthRange, MatchRecord, record_from_values
from nansen.identity.models import DedupeRun, MatchModel
from nansen.identity.normalise import NameKeys
from nansen.identity.registry_chunks import persons_to_match, registry_chunks
from nansen.identity.scoring import COMPARISONS
from nansen.identity.selectors import (
    MIN_REGISTRY,
    Frequencies,
    active_model,
    decided_together_levels,
)
from nansen.registration.dates import PartialDateError, parse_partial_date

STAGES = ("export", "predict", "cluster", "load", "done")
LOAD_BATCH = 2000  # pairs into the queue per transaction
SCORE_COLUMNS = (
    "pair_id",
    "a_name",
    "a_birth_date",
    "a_sex",
    "a_nationality",
    "b_name",
    "b_birth_date",
    "b_sex",
    "b_nationality",
)


def _progress(iterable, *, total: int, desc: str, quiet: bool):
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="persons", disable=quiet)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        dedupe = sub.add_parser("dedupe", help="batch run over the whole registry")
        dedupe.add_argument("--resume", action="store_true", help="continue the last run")
        dedupe.add_argument("--workdir", type=Path, default=None)
        dedupe.add_argument("--chunk", type=int, default=5000)
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
        self.quiet = options["verbosity"] < 1
        if options["subcommand"] in ("dedupe", "train"):
            try:
                import splink  # noqa: F401
            except ImportError as exc:
                raise CommandError(
                    "the batch run needs Splink and DuckDB: pip install 'nansen[identity]'"
                ) from exc
        handler = {
            "dedupe": self.dedupe,
            "score-pairs": self.score_pairs,
            "train": self.train,
            "reindex": self.reindex,
            "check-limit": self.check_limit,
        }[options["subcommand"]]
        handler(options)

    # --- check-limit -------------------------------------------------------------------------

    def check_limit(self, options):
        from django.http import Http404

        from nansen.accounts.models import Office, User
        from nansen.core.permissions import NotAllowed
        from nansen.identity.identity_check import check_limit_set

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

    # --- score-pairs ---------------------------------------------------------------------

    def score_pairs(self, options):
        model = active_model()
        threshold = options["threshold"] if options["threshold"] is not None else model.threshold
        if not 0 <= threshold <= 1:
            raise CommandError("--threshold is a probability between 0 and 1")
        try:
            handle = options["input"].open(encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise CommandError(f"cannot read {options['input']}: {exc}") from exc
        with handle:
            reader = csv.DictReader(handle)
            missing = set(SCORE_COLUMNS) - set(reader.fieldnames or ())
            if missing:
                raise CommandError(f"missing columns: {', '.join(sorted(missing))}")
            rows = list(reader)
        pairs = [(row, _side(row, "a", n), _side(row, "b", n)) for n, row in enumerate(rows, 2)]
        frequency = Frequencies(r for _row, a, b in pairs for r in (a, b))
        with options["output"].open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["pair_id", "score", "match"])
            for row, a, b in pairs:
                score = model.score(a, b, frequency=frequency).probability
                writer.writerow([row["pair_id"], f"{score:.4f}", int(score >= threshold)])
        self.stdout.write(
            f"{len(pairs)} pairs scored at threshold {threshold} -> {options['output']}"
        )

    # --- reindex -------------------------------------------------------------------------

    def reindex(self, options):
        from nansen.identity.candidate_index import index_rebuild

        total = persons_to_match().count()

        def records():
            for _last, chunk in _progress(
                registry_chunks(), total=(total + 4999) // 5000, desc="index", quiet=self.quiet
            ):
                for record in chunk:
                    yield record, record.office_id

        with transaction.atomic():
            count = index_rebuild(records())
        self.stdout.write(f"{count} persons indexed")

    # --- train ---------------------------------------------------------------------------

    def train(self, options):
        from nansen.identity import splink_batch
        from nansen.identity.models import CandidatePair, PairStatus

        records = [r for _last, chunk in registry_chunks() for r in chunk]
        if len(records) < 1000:
            raise CommandError("too few persons to train on (at least 1,000)")
        model = _current_splink()
        linker = splink_batch.linker_for(
            splink_batch.rows_table(records), splink_batch.with_current_blocking(model["splink"])
        )
        labels = list(
            CandidatePair.objects.filter(
                status__in=[PairStatus.SAME, PairStatus.MERGED]
            ).values_list("person_a_id", "person_b_id")
        )
        if len(labels) >= 100:
            import pyarrow as pa

            linker.table_management.register_table(
                pa.table(
                    {
                        "source_dataset_l": ["persons"] * len(labels),
                        "unique_id_l": [a for a, _b in labels],
                        "source_dataset_r": ["persons"] * len(labels),
                        "unique_id_r": [b for _a, b in labels],
                    }
                ),
                "labels",
                overwrite=True,
            )
            linker.training.estimate_m_from_pairwise_labels("labels")
        splink = splink_batch.train(linker)
        weights = registered_together.from_decisions(decided_together_levels())
        MatchModel.objects.create(
            persons=len(records),
            threshold=model["threshold"],
            review_threshold=model["review_threshold"],
            splink=json.loads(json.dumps(splink, default=str)),
            together=weights,
        )
        used = "used" if len(labels) >= 100 else "too few for m"
        second = "re-estimated from the decisions" if weights else "shipped weights"
        self.stdout.write(
            f"model trained on {len(records)} persons ({len(labels)} reviewed pairs {used}; "
            f"people registered with them: {second})"
        )

    # --- dedupe --------------------------------------------------------------------------

    def dedupe(self, options):
        run = (
            DedupeRun.objects.filter(finished_at__isnull=True).first()
            if options["resume"]
            else None
        )
        if run is None:
            workdir = options["workdir"] or Path(settings.VAR_DIR) / "identity" / (
                timezone.now().strftime("dedupe-%Y%m%d-%H%M%S")
            )
            run = DedupeRun.objects.create(workdir=str(workdir))
        workdir = Path(run.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"run {run.pk} in {workdir}, from stage {run.stage}")
        model = _current_splink()
        for stage in STAGES[STAGES.index(run.stage) : -1]:
            getattr(self, f"_dedupe_{stage}")(run, workdir, model, options)
            run.stage = STAGES[STAGES.index(stage) + 1]
            run.save(update_fields=["stage", "persons", "pairs", "clusters"])
        run.finished_at = timezone.now()
        run.save(update_fields=["finished_at"])
        self.stdout.write(
            f"{run.persons} persons, {run.pairs} pairs to review in {run.clusters} clusters"
        )

    def _dedupe_export(self, run, workdir, model, options):
        """Records in chunk files; a chunk already written is kept (resumable)."""
        import pyarrow.parquet as pq

        from nansen.identity import splink_batch

        total = persons_to_match().count()
        done = sorted(workdir.glob("chunk-*.parquet"))
        after = max((int(p.stem.split("-")[1]) for p in done), default=0)
        bar = _progress(None, total=total, desc="export", quiet=self.quiet)
        bar.update(sum(pq.read_metadata(p).num_rows for p in done))
        for last, chunk in registry_chunks(size=options["chunk"], after=after):
            table = splink_batch.rows_table(chunk)
            tmp = workdir / f"chunk-{last:012d}.tmp"
            pq.write_table(table.drop(list(splink_batch.REGISTRY_COLUMNS)), tmp)
            tmp.rename(workdir / f"chunk-{last:012d}.parquet")
            bar.update(len(chunk))
        bar.close()
        run.persons = total

    def _dedupe_predict(self, run, workdir, model, options):
        import pyarrow as pa
        import pyarrow.parquet as pq

        from nansen.identity import splink_batch

        parts = [pq.read_table(p) for p in sorted(workdir.glob("chunk-*.parquet"))]
        table = pa.concat_tables(parts) if parts else None
        if table is None or table.num_rows < 2:
            pq.write_table(
                pa.table({"unique_id_l": [], "unique_id_r": []}), workdir / "pairs.parquet"
            )
            return
        table = _with_blocking(table)
        splink = {
            **splink_batch.with_current_blocking(model["splink"]),
            "retain_intermediate_calculation_columns": True,
        }
        if table.num_rows < MIN_REGISTRY:
            splink = splink_batch.without_term_frequencies(splink)
        con = splink_batch.connection()
        linker = splink_batch.linker_for(table, splink, con=con, quiet=self.quiet)
        review = model["review_threshold"]
        scored = splink_batch.predict_together(
            con, linker, table, model["together"], threshold=review
        )
        pairs = scored.filter(f"match_probability >= {review!r}")
        pairs.write_parquet(str(workdir / "pairs.parquet"))
        clusters = splink_batch.cluster_pairs(con, table, pairs, threshold=review)
        splink_batch.write_parquet(clusters, workdir / "clusters.parquet")

    def _dedupe_cluster(self, run, workdir, model, options):
        """Clusters were written with the predictions; count them."""
        import pyarrow.parquet as pq

        path = workdir / "clusters.parquet"
        if path.exists():
            clusters = pq.read_table(path, columns=["cluster_id"]).column("cluster_id").to_pylist()
            sizes: dict = {}
            for c in clusters:
                sizes[c] = sizes.get(c, 0) + 1
            run.clusters = sum(1 for n in sizes.values() if n > 1)

    def _dedupe_load(self, run, workdir, model, options):
        """Pairs into the review queue (each pair once; decided pairs are not reopened)."""
        import pyarrow.parquet as pq

        from nansen.identity.services import Proposal, pairs_propose

        pairs = pq.read_table(workdir / "pairs.parquet").to_pylist()
        wanted = {row[k] for row in pairs for k in ("unique_id_l", "unique_id_r")}
        records = {
            row["unique_id"]: _record_from_row(row)
            for path in sorted(workdir.glob("chunk-*.parquet"))
            for row in pq.read_table(path).to_pylist()
            if row["unique_id"] in wanted
        }
        cluster_of = {}
        if (workdir / "clusters.parquet").exists():
            for row in pq.read_table(
                workdir / "clusters.parquet", columns=["unique_id", "cluster_id"]
            ).to_pylist():
                cluster_of[row["unique_id"]] = str(row["cluster_id"])
        added = 0
        bar = _progress(None, total=len(pairs), desc="queue", quiet=self.quiet)
        for start in range(0, len(pairs), LOAD_BATCH):
            batch_rows = pairs[start : start + LOAD_BATCH]
            created = pairs_propose(
                Proposal(
                    person_ids=(row["unique_id_l"], row["unique_id_r"]),
                    score=round(row["match_probability"], 4),
                    evidence=_evidence(
                        row,
                        records.get(row["unique_id_l"]),
                        records.get(row["unique_id_r"]),
                    ),
                    cluster=cluster_of.get(row["unique_id_l"], ""),
                )
                for row in batch_rows
            )
            added += len(created)
            bar.update(len(batch_rows))
        bar.close()
        run.pairs = added


def _evidence(row: dict, a, b) -> dict:
    """The level of each comparison (from the Python model, as the review page names them)
    with the weight Splink gave it."""
    out = {}
    for comparison in COMPARISONS:
        level = comparison.level_of(a, b) if a and b else None
        out[comparison.key] = {
            "level": level.key if level else None,
            "weight": round(row.get(f"mw_{comparison.key}") or 0.0, 2),
        }
    out[registered_together.KEY] = {
        "level": row.get("together_level"),
        "weight": round(row.get("mw_together") or 0.0, 2),
    }
    return out


def _record_from_row(row: dict) -> MatchRecord:
    birth = (
        BirthRange(row["birth_low"], row["birth_high"], row["birth_exact"])
        if row["birth_low"]
        else None
    )
    return MatchRecord(
        key=row["unique_id"],
        names=NameKeys(
            tuple(row["spellings"] or ()),
            frozenset(row["skeletons"] or ()),
            frozenset(row.get("repeated") or ()),
        ),
        sex=row["sex"] or "",
        birth=birth,
        nationalities=frozenset(row["nationalities"] or ()),
        place=row["place"] or "",
        documents=frozenset(row["documents"] or ()),
        family=frozenset(row["family"] or ()),
        given=row.get("given_sk") or "",
        cases=frozenset(row.get("cases") or ()),
    )


def _with_blocking(table):
    """Blocking columns computed over the whole registry (rarest names need every chunk)."""
    from nansen.identity import splink_batch

    return splink_batch.rows_table(_record_from_row(row) for row in table.to_pylist())


def _current_splink() -> dict:
    """The active model as Splink settings with its thresholds."""
    from nansen.identity.scoring import MODEL_FILE

    shipped = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    shipped.setdefault("together", {})
    trained = MatchModel.objects.first()
    if trained is not None:
        # the second look's weights: the office's, for the levels its decisions were enough
        # to estimate (nansen identity train), else the shipped ones
        return {
            "splink": trained.splink,
            "threshold": trained.threshold,
            "review_threshold": trained.review_threshold,
            "together": {**shipped["together"], **(trained.together or {})},
        }
    return shipped


def _side(row: dict, side: str, line: int):
    raw_date = (row.get(f"{side}_birth_date") or "").strip()
    birth, precision = None, "exact"
    if raw_date:
        try:
            birth, precision = parse_partial_date(raw_date)
        except PartialDateError as exc:
            raise CommandError(f"line {line}: {side}_birth_date {raw_date!r}: {exc}") from exc
    nationality = (row.get(f"{side}_nationality") or "").strip().upper()
    return record_from_values(
        key=f"{row.get('pair_id')}-{side}",
        full_name=(row.get(f"{side}_name") or "").strip(),
        sex=(row.get(f"{side}_sex") or "").strip().upper(),
        birth_date=birth,
        birth_date_precision=precision,
        nationalities=[nationality] if nationality else [],
    )
