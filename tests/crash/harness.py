"""Crash test: no write Nansen acknowledged is ever lost, none is done twice.

Nansen runs under gunicorn on a fresh database (SQLite file, or a PostgreSQL cluster of
its own, made with initdb in a temporary directory on another port, so stopping it disturbs
no one). Writers register families through the API, each with an Idempotency-Key, and
retry a write they got no answer for until it is acknowledged, as a real client would.
Meanwhile the server is killed with SIGKILL at random moments and, on PostgreSQL, every
other time the database is stopped with an immediate shutdown (a crash: no checkpoint, WAL
replay at start); both are restarted. At the end every acknowledged write must be in the
database exactly once, every case must be whole (its principal applicant, its members,
its history event), the audit chain must verify and the database must pass its integrity
checks (PRAGMA integrity_check and foreign_key_check; amcheck on every B-tree index).

    python -m tests.crash.harness --database sqlite --kills 20 --min-writes 10000
    python -m tests.crash.harness --database postgres --kills 20 --min-writes 10000

The test suite runs a small size (tests/crash/test_crash.py).
"""

from __future__ import annotations

import argparse
import atexit
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def log(message: str) -> None:
    if os.environ.get("NANSEN_CRASH_VERBOSE"):
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root; run them as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class PostgresCluster:
    """A PostgreSQL instance of its own: initdb in a temporary directory, another port."""

    def __init__(self, workdir: Path):
        self.directory = workdir / "pgdata"
        self.port = free_port()
        self.log = workdir / "postgres.log"

    @staticmethod
    def available() -> bool:
        return (PG_BIN / "initdb").exists() and (os.geteuid() != 0 or shutil.which("runuser"))

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), *args]),
            check=True,
            capture_output=True,
        )

    def create(self) -> None:
        self.directory.parent.chmod(0o777)
        self.log.touch()
        self.log.chmod(0o666)
        subprocess.run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(self.directory),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--no-instructions",
                ]
            ),
            check=True,
            capture_output=True,
        )
        self.start()
        subprocess.run(
            [
                str(PG_BIN / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-U",
                "postgres",
                "nansen",
            ],
            check=True,
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
        )
        self._ctl("-l", str(self.log), "-o", options, "-w", "-t", "60", "start")

    def crash(self) -> None:
        """An immediate shutdown: processes end at once, recovery replays the WAL."""
        self._ctl("-m", "immediate", "-w", "stop")

    def destroy(self) -> None:
        with suppress(subprocess.CalledProcessError):
            self._ctl("-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/nansen"


class Server:
    """Nansen under gunicorn (2 workers × 4 threads), in its own process group."""

    def __init__(self, env: dict, workdir: Path):
        self.env = env
        self.port = free_port()
        self.log_path = workdir / "gunicorn.log"
        self.log = self.log_path.open("ab")
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "nansen.wsgi:application",
                f"--bind=127.0.0.1:{self.port}",
                "--workers=2",
                "--worker-class=gthread",
                "--threads=4",
                "--timeout=60",
                "--graceful-timeout=2",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _body = request("GET", self.port, "/healthz", timeout=2)
                if status in (200, 503):
                    return
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.1)
        self.log.flush()
        tail = self.log_path.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"gunicorn did not start:\n{tail}")

    def kill(self) -> None:
        if self.process is not None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            self.process = None

    def stop(self) -> None:
        if self.process is not None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
            self.process = None


def request(method, port, path, body=None, headers=None, timeout=15.0):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def nansen(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(BIN / "nansen"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=check,
    )


SETUP = """
import json
from nansen.accounts.models import ApiToken
from nansen.testing import make_personas
personas = make_personas()
tokens = {name: ApiToken.issue(user=getattr(personas, name), name="crash", scope="read_write")[1]
          for name in ("clerk", "officer", "supervisor")}
print(json.dumps(tokens))
"""


def prepare(env: dict, script: str = SETUP) -> dict:
    """Run ``script`` in the (migrated) database with `nansen shell`, and read the JSON it
    prints last: by default the personas' API tokens."""
    out = nansen(env, "shell", "-c", script).stdout
    return json.loads(out.strip().splitlines()[-1])


def family(write_id: int) -> dict:
    rng = random.Random(write_id)
    principal = {
        "given_name": f"W{write_id}",
        "family_name": "Crash",
        "given_name_original": "وليد",
        "sex": rng.choice("FM"),
        "birth_date": f"{1950 + write_id % 60}-{1 + write_id % 12:02d}",
        "country_of_origin": rng.choice(["SYR", "AFG", "MMR", "TUR"]),
        "languages": ["ara"],
    }
    dependants = [
        {
            "relationship": "child",
            "person": {
                "given_name": f"W{write_id}c{i}",
                "family_name": "Crash",
                "sex": "F",
                "birth_date": "2015",
                "country_of_origin": principal["country_of_origin"],
            },
        }
        for i in range(write_id % 3)
    ]
    return {"principal": principal, "dependants": dependants}


@dataclass
class Outcome:
    database: str
    rounds: int = 0
    server_kills: int = 0
    database_crashes: int = 0
    acknowledged: dict[int, str] = field(default_factory=dict)
    attempts: int = 0
    retried: int = 0
    unexpected: list[str] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)
    duplicated: list[int] = field(default_factory=list)
    broken_cases: int = 0
    integrity: str = ""
    audit: str = ""
    backup: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return (
            not self.lost
            and not self.duplicated
            and not self.unexpected
            and self.broken_cases == 0
            and self.integrity == "ok"
            and self.audit.startswith("audit chain intact")
        )

    def summary(self) -> str:
        return (
            f"crash test ({self.database}): {self.rounds} rounds ({self.server_kills} server "
            f"SIGKILLs, {self.database_crashes} database immediate shutdowns), "
            f"{len(self.acknowledged)} writes acknowledged ({self.attempts} requests, "
            f"{self.retried} retried after no answer), {len(self.lost)} lost, "
            f"{len(self.duplicated)} duplicated, {self.broken_cases} broken cases, "
            f"integrity: {self.integrity}, {self.audit}, online backup: {self.backup}, "
            f"{self.seconds:.0f} s"
        )


class Writers:
    def __init__(self, server: Server, token: str, outcome: Outcome, count: int):
        self.server, self.token, self.outcome = server, token, outcome
        self.count = count
        self.next_id = 0
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.run, daemon=True) for _ in range(count)]

    def _take_id(self) -> int:
        with self.lock:
            self.next_id += 1
            return self.next_id

    def run(self) -> None:
        while not self.stopping.is_set():
            write_id = self._take_id()
            key = f"crash-{write_id}-{uuid.uuid4().hex[:8]}"
            body = family(write_id)
            tries = 0
            while True:
                tries += 1
                with self.lock:
                    self.outcome.attempts += 1
                    if tries == 2:
                        self.outcome.retried += 1
                try:
                    status, content = request(
                        "POST",
                        self.server.port,
                        "/api/cases",
                        body,
                        {"Authorization": f"Bearer {self.token}", "Idempotency-Key": key},
                    )
                except (OSError, http.client.HTTPException):
                    status, content = None, b""
                if status == 201:
                    number = json.loads(content)["number"]
                    with self.lock:
                        self.outcome.acknowledged[write_id] = number
                    break
                if status is not None and status < 500 and status != 429:
                    with self.lock:
                        self.outcome.unexpected.append(f"{status} {content[:200]!r}")
                    break
                # No answer or a server error: the write may or may not have happened.
                # Retry with the same key until the server answers.
                time.sleep(0.05 + random.random() * 0.1)
                if tries > 2000:
                    with self.lock:
                        self.outcome.unexpected.append(f"write {write_id}: gave up")
                    break

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=120)


def _verify_sqlite(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        # Django's SQLite connections define REGEXP; a constraint or index may use it.
        db.create_function(
            "REGEXP",
            2,
            lambda pattern, value: value is not None and re.search(pattern, value) is not None,
        )
        integrity = db.execute("PRAGMA integrity_check").fetchall()
        foreign = db.execute("PRAGMA foreign_key_check").fetchall()
    if integrity != [("ok",)]:
        return f"integrity_check: {integrity[:5]}"
    if foreign:
        return f"foreign_key_check: {foreign[:5]}"
    return "ok"


def _verify_postgres(url: str) -> str:
    import psycopg

    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE EXTENSION IF NOT EXISTS amcheck")
        indexes = db.execute(
            "SELECT c.oid::regclass::text FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_am a ON a.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE a.amname = 'btree' AND n.nspname = 'public'"
        ).fetchall()
        for (index,) in indexes:
            db.execute("SELECT bt_index_check(%s::regclass, true)", [index])
    return "ok" if indexes else "no indexes checked"


def _query(database: str, location, sql: str) -> list[tuple]:
    if database == "sqlite":
        with closing(sqlite3.connect(location)) as db:
            return db.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(location) as db:
        return db.execute(sql).fetchall()


def verify(outcome: Outcome, database: str, location, env: dict) -> None:
    counts = dict(
        _query(
            database,
            location,
            "SELECT p.given_name, count(*) FROM registration_person p "
            "JOIN registration_casemember m ON m.person_id = p.id "
            "WHERE m.relationship = 'principal' AND p.family_name = 'Crash' "
            "GROUP BY p.given_name",
        )
    )
    numbers = dict(
        _query(
            database,
            location,
            "SELECT p.given_name, c.number FROM registration_person p "
            "JOIN registration_casemember m ON m.person_id = p.id "
            "JOIN registration_case c ON c.id = m.case_id WHERE m.relationship = 'principal'",
        )
    )
    for write_id, number in outcome.acknowledged.items():
        found = counts.get(f"W{write_id}", 0)
        if found == 0 or numbers.get(f"W{write_id}") != number:
            outcome.lost.append(write_id)
        elif found > 1:
            outcome.duplicated.append(write_id)
    outcome.duplicated.extend(
        int(name[1:])
        for name, n in counts.items()
        if n > 1 and int(name[1:]) not in outcome.duplicated
    )
    # A case is whole: one principal, every member it was sent with, one history event.
    outcome.broken_cases = _query(
        database,
        location,
        "SELECT count(*) FROM registration_case c WHERE "
        "(SELECT count(*) FROM registration_casemember m WHERE m.case_id = c.id "
        " AND m.relationship = 'principal') <> 1 "
        "OR (SELECT count(*) FROM audit_caseevent e WHERE e.case_id = c.id "
        " AND e.verb = 'case_registered') <> 1 "
        "OR (SELECT count(*) FROM registration_casemember m WHERE m.case_id = c.id) <> "
        "   1 + (SELECT CAST(substr(p.given_name, 2) AS INTEGER) % 3 FROM registration_person p "
        "        JOIN registration_casemember m ON m.person_id = p.id "
        "        WHERE m.case_id = c.id AND m.relationship = 'principal')",
    )[0][0]
    outcome.integrity = (
        _verify_sqlite(location) if database == "sqlite" else _verify_postgres(location)
    )
    outcome.audit = nansen(env, "audit", "verify", check=False).stdout.strip()


_shared: dict[str, object] = {}


def suite_database() -> str:
    """The database the test suite runs on: PostgreSQL when NANSEN_DATABASE_URL names one
    (the server then gets a cluster of its own), SQLite otherwise."""
    url = os.environ.get("NANSEN_DATABASE_URL", "")
    return "postgres" if url.startswith("postgres") else "sqlite"


def _shared_directory() -> Path:
    """One directory per process for what several runs share (a migrated template
    database, the PostgreSQL cluster), removed when the process ends."""
    if "directory" not in _shared:
        directory = Path(tempfile.mkdtemp(prefix="nansen-crash-shared-"))
        _shared["directory"] = directory
        atexit.register(_clean_shared)
    return _shared["directory"]


def _clean_shared() -> None:
    cluster = _shared.pop("cluster", None)
    if cluster is not None:
        cluster.destroy()
    directory = _shared.pop("directory", None)
    if directory is not None:
        shutil.rmtree(directory, ignore_errors=True)


def _base_env(workdir: Path) -> dict:
    return {
        **os.environ,
        "NANSEN_ENV": "test",
        "NANSEN_VAR_DIR": str(workdir / "var"),
        "NANSEN_LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "nansen.settings",
    }


def _sqlite_template() -> Path:
    """A migrated SQLite database, made once per process and copied for each run."""
    if "sqlite_template" not in _shared:
        directory = _shared_directory()
        template = directory / "template.sqlite3"
        env = {**_base_env(directory), "NANSEN_DATABASE_URL": f"sqlite:///{template}"}
        nansen(env, "migrate", "-v0")
        _shared["sqlite_template"] = template
    return _shared["sqlite_template"]


def _postgres_cluster() -> PostgresCluster:
    """The process's own PostgreSQL cluster with a migrated template database."""
    if "cluster" not in _shared:
        directory = _shared_directory()
        cluster = PostgresCluster(directory)
        cluster.create()
        _shared["cluster"] = cluster
        env = {**_base_env(directory), "NANSEN_DATABASE_URL": cluster.url}
        nansen(env, "migrate", "-v0")
    return _shared["cluster"]


def _psql(cluster: PostgresCluster, sql: str) -> None:
    import psycopg

    with psycopg.connect(cluster.url, autocommit=True, dbname="postgres") as db:
        db.execute(sql)


def backup_while_writing(database: str, env: dict, workdir: Path, cluster) -> str:
    """`nansen backup` while the writers write, then `nansen restore` of it into a new
    database: the restore checks every table against the manifest, so the backup and its
    checksums must come from one consistent state."""
    path = workdir / "online.backup"
    done = nansen(env, "backup", "--output", str(path), check=False)
    if done.returncode != 0:
        return f"backup failed: {done.stderr[-500:]}"
    if database == "sqlite":
        target = f"sqlite:///{workdir / 'restored.sqlite3'}"
    else:
        name = f"restored_{uuid.uuid4().hex[:8]}"
        _psql(cluster, f"CREATE DATABASE {name}")
        target = cluster.url.rsplit("/", 1)[0] + f"/{name}"
    restored = nansen({**env, "NANSEN_DATABASE_URL": target}, "restore", str(path), check=False)
    if database != "sqlite":
        _psql(cluster, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    if restored.returncode != 0:
        return f"restore failed: {restored.stderr[-500:]}"
    return "ok: " + done.stdout.strip().split(" to ")[0]


@contextmanager
def environment(database: str, workdir: Path):
    """A fresh, migrated database for one run: a copy of the template."""
    env = _base_env(workdir)
    cluster = None
    if database == "sqlite":
        location = workdir / "crash.sqlite3"
        shutil.copyfile(_sqlite_template(), location)
        env["NANSEN_DATABASE_URL"] = f"sqlite:///{location}"
    else:
        cluster = _postgres_cluster()
        name = f"nansen_{uuid.uuid4().hex[:12]}"
        _psql(cluster, f"CREATE DATABASE {name} TEMPLATE nansen")
        location = cluster.url.rsplit("/", 1)[0] + f"/{name}"
        env["NANSEN_DATABASE_URL"] = location
    try:
        yield env, location, cluster
    finally:
        if cluster is not None:
            _psql(cluster, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def run(
    *,
    database: str = "sqlite",
    kills: int = 3,
    min_writes: int = 50,
    writers: int = 8,
    seed: int | None = None,
    max_seconds: float = 3600,
) -> Outcome:
    rng = random.Random(seed)
    outcome = Outcome(database=database)
    started = time.monotonic()
    with (
        tempfile.TemporaryDirectory(prefix="nansen-crash-") as tmp,
        environment(database, Path(tmp)) as (env, location, cluster),
    ):
        log("database ready")
        tokens = prepare(env)
        log("migrated")
        server = Server(env, Path(tmp))
        server.start()
        log("server up")
        pool = Writers(server, tokens["clerk"], outcome, writers)
        pool.start()
        try:
            target_per_round = max(1, min_writes // max(kills, 1))
            while outcome.rounds < kills or len(outcome.acknowledged) < min_writes:
                if time.monotonic() - started > max_seconds:
                    break
                # Let writes flow for a random while, then crash.
                goal = len(outcome.acknowledged) + rng.randint(
                    max(1, target_per_round // 2), max(2, target_per_round * 3 // 2)
                )
                deadline = time.monotonic() + 120
                while len(outcome.acknowledged) < goal and time.monotonic() < deadline:
                    time.sleep(0.01)
                if outcome.rounds == 0 and not outcome.backup:
                    outcome.backup = backup_while_writing(database, env, Path(tmp), cluster)
                    log(f"backup while writing: {outcome.backup}")
                time.sleep(rng.random() * 0.05)
                server_database = cluster is not None and outcome.rounds % 2 == 1
                log(f"round {outcome.rounds}: {len(outcome.acknowledged)} acknowledged, kill")
                server.kill()
                outcome.server_kills += 1
                if server_database:
                    cluster.crash()
                    outcome.database_crashes += 1
                    cluster.start()
                    log("database restarted")
                outcome.rounds += 1
                server.start()
                log("server up")
        finally:
            # The writers retry until their last write is acknowledged, then stop.
            pool.stop()
            log("writers stopped")
            server.stop()
        verify(outcome, database, location, env)
        log("verified")
    outcome.seconds = time.monotonic() - started
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--min-writes", type=int, default=10_000)
    parser.add_argument("--writers", type=int, default=16)
    parser.add_argument("--seed", type=int)
    args = parser.parse_args()
    outcome = run(
        database=args.database,
        kills=args.kills,
        min_writes=args.min_writes,
        writers=args.writers,
        seed=args.seed,
    )
    print(outcome.summary())
    for problem in outcome.unexpected[:10]:
        print("unexpected:", problem)
    sys.exit(0 if outcome.ok else 1)


if __name__ == "__main__":
    main()
