"""The whole batch command, end to end: `nansen identity dedupe` over a database of N persons.

    python bench/identity/command.py --persons 1000000 --database sqlite
    python bench/identity/command.py --persons 1000000 --database postgres \\
        [--pg-url postgres://postgres@127.0.0.1:5432/postgres]
    python bench/identity/command.py --data var/bench/translit-1m.parquet --database sqlite

run.py times the scoring of a registry read from a file; this times what an office runs:
the export of every person from the database (with documents and case members), the
scoring and the second look, the clustering, and the loading of the pairs into the review
queue. The persons come from the import benchmark's generator (bench/imports/generate.py:
families of 1 to 6, real Arabic names), imported with Nansen's import into a fresh
database (that file has no planted duplicates, so the pairs are the namesakes the model
proposes); or, with ``--data``, from a registry of the transliteration benchmark
(generate.py here, with its duplicates), written straight into the database one case per
registration, and then the run's precision, recall and F1 are measured too. The command
runs in its own process: its wall time, CPU time and peak memory are its own. Prints one
JSON line and saves it to var/bench/results/.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "var" / "bench" / "results"


def _imports_bench(name: str):
    """A module of bench/imports (its file names clash with this folder's)."""
    spec = importlib.util.spec_from_file_location(
        f"imports_{name}", ROOT / "bench" / "imports" / f"{name}.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _load_registry(url: str, path: Path) -> dict[int, int]:
    """The transliteration benchmark's registry (generate.py) written straight into the
    database, one case per registration; returns each person's entity (the truth)."""
    import pyarrow.parquet as pq

    os.environ.update(NANSEN_ENV="test", NANSEN_DATABASE_URL=url)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nansen.settings")
    import django

    django.setup()
    from django.db import transaction

    from nansen.accounts.models import User
    from nansen.registration.models import Case, CaseMember, IdentityDocument, Person

    clerk = User.objects.select_related("office").get(username="clerk")
    rows = pq.read_table(path).to_pylist()
    truth, case_pk, principal = {}, {}, set()
    with transaction.atomic():
        for start in range(0, len(rows), 20_000):
            batch = rows[start : start + 20_000]
            new_cases = []
            for r in batch:
                if r["case"] not in case_pk:
                    case_pk[r["case"]] = None
                    new_cases.append(
                        Case(office=clerk.office, number=f"BENCH-{r['case']:08d}", created_by=clerk)
                    )
            for case in Case.objects.bulk_create(new_cases):
                case_pk[int(case.number.split("-")[1])] = case.pk
            persons = Person.objects.bulk_create(
                Person(
                    office=clerk.office,
                    given_name=r["given_name"],
                    family_name=r["family_name"],
                    given_name_original=r["original_name"],
                    sex=r["sex"] or "X",
                    birth_date=r["birth_date"],
                    birth_date_precision=r["birth_precision"],
                    nationalities=[r["nationality"]] if r["nationality"] else [],
                    country_of_origin=r["nationality"],
                    place_of_birth=r["place_of_birth"],
                    created_by=clerk,
                )
                for r in batch
            )
            members, documents = [], []
            for r, person in zip(batch, persons, strict=True):
                truth[person.pk] = r["entity"]
                first = r["case"] not in principal
                principal.add(r["case"])
                members.append(
                    CaseMember(
                        case_id=case_pk[r["case"]],
                        person=person,
                        relationship="principal" if first else "other",
                    )
                )
                if r["passport"]:
                    documents.append(
                        IdentityDocument(
                            person=person,
                            document_type="passport",
                            number=r["passport"],
                            issuing_country=r["passport_country"],
                        )
                    )
            CaseMember.objects.bulk_create(members)
            IdentityDocument.objects.bulk_create(documents)
    return truth


def _scores(workdir: Path, truth: dict[int, int], threshold: float) -> dict:
    """Pairwise precision, recall and F1 of the run's pairs at ``threshold``."""
    import pyarrow.parquet as pq

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import datasets

    pairs = pq.read_table(workdir / "pairs.parquet").to_pylist()
    found = {
        (min(p["unique_id_l"], p["unique_id_r"]), max(p["unique_id_l"], p["unique_id_r"]))
        for p in pairs
        if p["match_probability"] >= threshold
    }
    return datasets.scores(found, datasets.true_pairs(truth))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="a registry of generate.py (with its duplicates) instead of the import file",
    )
    parser.add_argument(
        "--train",
        action="store_true",
        help="run `nansen identity train` first (u and the prior of this registry), timed apart",
    )
    args = parser.parse_args()
    generate, imports = _imports_bench("generate"), _imports_bench("run")
    with tempfile.TemporaryDirectory(prefix="nansen-dedupe-") as tmp:
        workdir = Path(tmp)
        url = imports._fresh_database(args.database, args.pg_url, workdir)
        imports._setup(url)
        started = time.perf_counter()
        truth = None
        if args.data:
            truth = _load_registry(url, args.data)
            persons = len(truth)
        else:
            source = workdir / "registration.csv"
            generate.generate(args.persons, source)
            _seconds, persons = imports._nansen_import(url, source)
        import_seconds = time.perf_counter() - started
        env = {**os.environ, "NANSEN_ENV": "test", "NANSEN_DATABASE_URL": url}
        train_seconds = None
        if args.train:
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "nansen.cli", "identity", "--verbosity", "0", "train"],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
            train_seconds = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603
            [
                sys.executable,
                "-m",
                "nansen.cli",
                "identity",
                "--verbosity",
                "0",
                "dedupe",
                "--workdir",
                str(workdir / "run"),
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - started
        if done.returncode:
            raise SystemExit(done.stderr[-4000:])
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        summary = (
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "nansen.cli",
                    "shell",
                    "-c",
                    "from nansen.identity.models import DedupeRun; r = DedupeRun.objects.get(); "
                    "print(r.persons, r.pairs, r.clusters)",
                ],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
            .split()
        )
        if truth is not None:
            model = json.loads(
                (ROOT / "nansen" / "identity" / "data" / "model.json").read_text(encoding="utf-8")
            )
            quality = {"threshold": model["threshold"]}
            quality |= _scores(workdir / "run", truth, model["threshold"])
    result = {
        "method": "dedupe-command",
        "data": args.data.stem if args.data else "imports-generator",
        "database": args.database,
        "persons": persons,
        "loading_seconds": round(import_seconds, 1),
        "train_seconds": train_seconds,
        "seconds": round(seconds, 1),
        # the children so far: migrate and the personas (a few seconds), the training when
        # asked for, then the command
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_memory_mb": round(usage.ru_maxrss / 1024),
        "pairs_queued": int(summary[1]),
        "clusters": int(summary[2]),
    }
    if truth is not None:
        result |= quality
    RESULTS.mkdir(parents=True, exist_ok=True)
    trained = "-trained" if args.train else ""
    out = RESULTS / f"dedupe-command-{result['data']}-{args.database}-{persons}{trained}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
