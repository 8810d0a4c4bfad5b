"""Runs over the whole registry or a file of pairs, as ``nansen identity`` starts them.

- ``identity_dedupe_open`` and ``identity_dedupe_run``: the batch run (Splink on DuckDB,
  ``splink_batch``) in stages, export -> predict -> cluster -> load, each stage's result
  kept in the run's working directory and its stage saved on the ``DedupeRun`` once done.
  A run is not one transaction: at a million persons it takes hours, and a run stopped in
  a stage starts again from that stage (``resume``) instead of from the beginning. The
  load stage puts the pairs into the review queue ``LOAD_BATCH`` at a time, each batch one
  transaction (``services.pairs_propose``), so a pair is in the queue once or not at all.
- ``identity_model_train``: re-estimate the model on this registry (a new ``MatchModel``).
- ``identity_registry_reindex``: rebuild the candidate index in one transaction.
- ``identity_pairs_score``: score the pairs of a CSV file with the active model.

A run that cannot go on raises ``RunRefused`` with the reason, as the command prints it.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nansen.identity import registered_together
from nansen.identity.candidate_index import index_rebuild
from nansen.identity.match_records import BirthRange, MatchRecord, record_from_values
from nansen.identity.models import CandidatePair, DedupeRun, MatchModel, PairStatus
from nansen.identity.normalise import NameKeys
from nansen.identity.registry_chunks import persons_to_match, registry_chunks
from nansen.identity.scoring import COMPARISONS, MODEL_FILE
from nansen.identity.selectors import (
    MIN_REGISTRY,
    Frequencies,
    active_model,
    decided_together_levels,
)
from nansen.identity.services import Proposal, pairs_propose
from nansen.registration.dates import PartialDateError, parse_partial_date

STAGES = ("export", "predict", "cluster", "load", "done")
LOAD_BATCH = 2000  # pairs into the queue per transaction
CHUNK = 5000  # persons per chunk file of the export
MIN_TRAINING = 1000  # persons the model needs to be trained on this registry
MIN_LABELS = 100  # reviewed "same" pairs from which they estimate m
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


class RunRefused(Exception):
    """A run that cannot be done as asked; the message says why."""


@dataclass(frozen=True)
class Training:
    """What ``identity_model_train`` trained on."""

    model: MatchModel
    persons: int
    labels: int  # reviewed pairs decided "same" or merged

    @property
    def labels_used(self) -> bool:
        return self.labels >= MIN_LABELS

    @property
    def together_from_decisions(self) -> bool:
        return bool(self.model.together)


@dataclass(frozen=True)
class PairsScored:
    pairs: int
    threshold: float


def _progress(iterable, *, total: int, desc: str, quiet: bool):
    from tqdm import tqdm

    return tqdm(iterable, total=total, desc=desc, unit="persons", disable=quiet)


def _require_splink() -> None:
    try:
        import splink  # noqa: F401
    except ImportError as exc:
        raise RunRefused(
            "the batch run needs Splink and DuckDB: pip install 'nansen[identity]'"
        ) from exc


# --- the batch run ---------------------------------------------------------------------------


def identity_dedupe_open(*, resume: bool = False, workdir: Path | None = None) -> DedupeRun:
    """The run to go on with: the unfinished one when ``resume`` (if any), else a new one in
    ``workdir`` (by default a new directory under ``VAR_DIR/identity``)."""
    _require_splink()
    run = DedupeRun.objects.filter(finished_at__isnull=True).first() if resume else None
    if run is None:
        workdir = workdir or Path(settings.VAR_DIR) / "identity" / (
            timezone.now().strftime("dedupe-%Y%m%d-%H%M%S")
        )
        run = DedupeRun.objects.create(workdir=str(workdir))
    Path(run.workdir).mkdir(parents=True, exist_ok=True)
    return run


def identity_dedupe_run(*, run: DedupeRun, chunk: int = CHUNK, quiet: bool = True) -> DedupeRun:
    """Take ``run`` through its remaining stages; candidate pairs end in the review queue."""
    _require_splink()
    workdir = Path(run.workdir)
    model = _current_splink()
    for stage in STAGES[STAGES.index(run.stage) : -1]:
        _STAGE_RUNS[stage](run, workdir, model, chunk=chunk, quiet=quiet)
        run.stage = STAGES[STAGES.index(stage) + 1]
        run.save(update_fields=["stage", "persons", "pairs", "clusters"])
    run.finished_at = timezone.now()
    run.save(update_fields=["finished_at"])
    return run


def _dedupe_export(run, workdir: Path, model: dict, *, chunk: int, quiet: bool) -> None:
    """Records in chunk files; a chunk already written is kept (resumable)."""
    import pyarrow.parquet as pq

    from nansen.identity import splink_batch

    total = persons_to_match().count()
    done = sorted(workdir.glob("chunk-*.parquet"))
    after = max((int(p.stem.split("-")[1]) for p in done), default=0)
    bar = _progress(None, total=total, desc="export", quiet=quiet)
    bar.update(sum(pq.read_metadata(p).num_rows for p in done))
    for last, records in registry_chunks(size=chunk, after=after):
        table = splink_batch.rows_table(records)
        tmp = workdir / f"chunk-{last:012d}.tmp"
        pq.write_table(table.drop(list(splink_batch.REGISTRY_COLUMNS)), tmp)
        tmp.rename(workdir / f"chunk-{last:012d}.parquet")
        bar.update(len(records))
    bar.close()
    run.persons = total


def _dedupe_predict(run, workdir: Path, model: dict, *, chunk: int, quiet: bool) -> None:
    """Pairs scored at the review threshold, and their clusters."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from nansen.identity import splink_batch

    parts = [pq.read_table(p) for p in sorted(workdir.glob("chunk-*.parquet"))]
    table = pa.concat_tables(parts) if parts else None
    if table is None or table.num_rows < 2:
        pq.write_table(pa.table({"unique_id_l": [], "unique_id_r": []}), workdir / "pairs.parquet")
        return
    table = _with_blocking(table)
    splink = {
        **splink_batch.with_current_blocking(model["splink"]),
        "retain_intermediate_calculation_columns": True,
    }
    if table.num_rows < MIN_REGISTRY:
        splink = splink_batch.without_term_frequencies(splink)
    con = splink_batch.connection()
    linker = splink_batch.linker_for(table, splink, con=con, quiet=quiet)
    review = model["review_threshold"]
    scored = splink_batch.predict_together(con, linker, table, model["together"], threshold=review)
    pairs = scored.filter(f"match_probability >= {review!r}")
    pairs.write_parquet(str(workdir / "pairs.parquet"))
    clusters = splink_batch.cluster_pairs(con, table, pairs, threshold=review)
    splink_batch.write_parquet(clusters, workdir / "clusters.parquet")


def _dedupe_cluster(run, workdir: Path, model: dict, *, chunk: int, quiet: bool) -> None:
    """Clusters were written with the predictions; count those of two persons or more."""
    import pyarrow.parquet as pq

    path = workdir / "clusters.parquet"
    if path.exists():
        sizes = Counter(
            pq.read_table(path, columns=["cluster_id"]).column("cluster_id").to_pylist()
        )
        run.clusters = sum(1 for n in sizes.values() if n > 1)


def _dedupe_load(run, workdir: Path, model: dict, *, chunk: int, quiet: bool) -> None:
    """Pairs into the review queue (each pair once; decided pairs are not reopened)."""
    import pyarrow.parquet as pq

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
    bar = _progress(None, total=len(pairs), desc="queue", quiet=quiet)
    for start in range(0, len(pairs), LOAD_BATCH):
        batch_rows = pairs[start : start + LOAD_BATCH]
        created = pairs_propose(
            Proposal(
                person_ids=(row["unique_id_l"], row["unique_id_r"]),
                score=round(row["match_probability"], 4),
                evidence=_evidence(
                    row, records.get(row["unique_id_l"]), records.get(row["unique_id_r"])
                ),
                cluster=cluster_of.get(row["unique_id_l"], ""),
            )
            for row in batch_rows
        )
        added += len(created)
        bar.update(len(batch_rows))
    bar.close()
    run.pairs = added


_STAGE_RUNS = {
    "export": _dedupe_export,
    "predict": _dedupe_predict,
    "cluster": _dedupe_cluster,
    "load": _dedupe_load,
}


def _evidence(row: dict, a: MatchRecord | None, b: MatchRecord | None) -> dict:
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


# --- training, the index ---------------------------------------------------------------------


def identity_model_train() -> Training:
    """Re-estimate the model's parameters on this registry: u and the prior from the
    persons, m from the reviewed "same" pairs when there are enough of them, the second
    look's weights from the decided batch pairs (``registered_together.from_decisions``)."""
    _require_splink()
    import pyarrow as pa

    from nansen.identity import splink_batch

    records = [r for _last, chunk in registry_chunks() for r in chunk]
    if len(records) < MIN_TRAINING:
        raise RunRefused("too few persons to train on (at least 1,000)")
    model = _current_splink()
    linker = splink_batch.linker_for(
        splink_batch.rows_table(records), splink_batch.with_current_blocking(model["splink"])
    )
    labels = list(
        CandidatePair.objects.filter(status__in=[PairStatus.SAME, PairStatus.MERGED]).values_list(
            "person_a_id", "person_b_id"
        )
    )
    if len(labels) >= MIN_LABELS:
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
    trained = MatchModel.objects.create(
        persons=len(records),
        threshold=model["threshold"],
        review_threshold=model["review_threshold"],
        splink=json.loads(json.dumps(splink, default=str)),
        together=registered_together.from_decisions(decided_together_levels()),
    )
    return Training(model=trained, persons=len(records), labels=len(labels))


@transaction.atomic
def identity_registry_reindex(*, quiet: bool = True) -> int:
    """Rebuild the candidate index of every person to match; returns how many."""
    total = persons_to_match().count()

    def records():
        for _last, chunk in _progress(
            registry_chunks(size=CHUNK),
            total=(total + CHUNK - 1) // CHUNK,
            desc="index",
            quiet=quiet,
        ):
            for record in chunk:
                yield record, record.office_id

    return index_rebuild(records())


# --- a file of pairs -------------------------------------------------------------------------


def identity_pairs_score(
    *, source: Path, target: Path, threshold: float | None = None
) -> PairsScored:
    """Score each pair of the CSV file ``source`` (columns ``SCORE_COLUMNS``) with the active
    model into ``target``: pair_id, score, match (1 from ``threshold`` on, by default the
    model's)."""
    model = active_model()
    threshold = model.threshold if threshold is None else threshold
    try:
        handle = source.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise RunRefused(f"cannot read {source}: {exc}") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = set(SCORE_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise RunRefused(f"missing columns: {', '.join(sorted(missing))}")
        rows = list(reader)
    pairs = [(row, _side(row, "a", n), _side(row, "b", n)) for n, row in enumerate(rows, 2)]
    frequency = Frequencies(r for _row, a, b in pairs for r in (a, b))
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["pair_id", "score", "match"])
        for row, a, b in pairs:
            score = model.score(a, b, frequency=frequency).probability
            writer.writerow([row["pair_id"], f"{score:.4f}", int(score >= threshold)])
    return PairsScored(pairs=len(pairs), threshold=threshold)


def _side(row: dict, side: str, line: int) -> MatchRecord:
    raw_date = (row.get(f"{side}_birth_date") or "").strip()
    birth, precision = None, "exact"
    if raw_date:
        try:
            birth, precision = parse_partial_date(raw_date)
        except PartialDateError as exc:
            raise RunRefused(f"line {line}: {side}_birth_date {raw_date!r}: {exc}") from exc
    nationality = (row.get(f"{side}_nationality") or "").strip().upper()
    return record_from_values(
        key=f"{row.get('pair_id')}-{side}",
        full_name=(row.get(f"{side}_name") or "").strip(),
        sex=(row.get(f"{side}_sex") or "").strip().upper(),
        birth_date=birth,
        birth_date_precision=precision,
        nationalities=[nationality] if nationality else [],
    )
