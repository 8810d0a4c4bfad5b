"""The whole batch command, end to end: `nansen identity dedupe` over a database of N persons.

    python bench/identity/command.py --persons 1000000 --database sqlite
    python bench/identity/command.py --persons 1000000 --database postgres \\
        [--pg-url postgres://postgres@127.0.0.1:5432/postgres]

run.py times the scoring of a registry read from a file; this times what an office runs:
the export of every person from the database (with documents and case members), the
scoring and the second look, the clustering, and the loading of the pairs into the review
queue. The persons come from the import benchmark's generator (bench/imports/generate.py:
families of 1 to 6, real Arabic names), imported with Nansen's import into a fresh
database; that file has no planted duplicates, so the pairs are the namesakes the model
proposes. The command runs in its own process: its wall time, CPU time and peak memory are
its own. Prints one JSON line and saves it to var/bench/results/.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    generate, imports = _imports_bench("generate"), _imports_bench("run")
    with tempfile.TemporaryDirectory(prefix="nansen-dedupe-") as tmp:
        workdir = Path(tmp)
        source = workdir / "registration.csv"
        generate.generate(args.persons, source)
        url = imports._fresh_database(args.database, args.pg_url, workdir)
        imports._setup(url)
        import_seconds, persons = imports._nansen_import(url, source)
        env = {**os.environ, "NANSEN_ENV": "test", "NANSEN_DATABASE_URL": url}
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
    result = {
        "method": "dedupe-command",
        "database": args.database,
        "persons": persons,
        "import_seconds": round(import_seconds, 1),
        "seconds": round(seconds, 1),
        # the children so far: migrate and the personas (a few seconds), then the command
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_memory_mb": round(usage.ru_maxrss / 1024),
        "pairs_queued": int(summary[1]),
        "clusters": int(summary[2]),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"dedupe-command-{args.database}-{args.persons}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
