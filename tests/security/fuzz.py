"""Property-based fuzzing of the REST API with schemathesis, against a running Nansen.

Used by tests/security/test_api_fuzzing.py: 100 examples per operation in the suite, more
on demand (``NANSEN_FUZZ_EXAMPLES=1000 NANSEN_FUZZ_SEED=random pytest …``).
The run signs in as two users of two offices who hold every casework role and may both
register families: schemathesis's object_level_authorization check replays each one's
reads of its own objects as the other, and ignored_auth sends each operation without
credentials and with forged ones.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nansen.accounts.roles import Role
from tests.crash import harness

# Every role that works a caseload: between them they may call every operation but the
# auditor's (who has no API) and the administrator's (who has none either).
FUZZ_ROLES = (
    Role.CLERK,
    Role.ELIGIBILITY_OFFICER,
    Role.SUPERVISOR,
    Role.APPEALS_OFFICER,
    Role.STATISTICIAN,
)
PEERS = ("tokyo", "osaka")

# Each check on, each configured only where Nansen answers by design something schemathesis
# does not expect, with the reason.
CONFIG = """\
[generation]
max-examples = {examples}

[checks]
enabled = true

# An answer to data the schema allows may still be a refusal by a rule the schema cannot
# express: a rule of the procedure (400: a date in the future, a step the stage does not
# allow, a country the applicant fears), a stale version (409), or a validator that checks
# a value against a list or against another field (422: a country code that ISO 3166-1 does
# not assign, a person without any name in Latin letters). 404 is an id nobody may see.
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "400", "401", "403", "404", "409", "422"]

# Invalid data is refused as schemathesis expects, or, for a query string longer than the
# request line gunicorn accepts (4,094 bytes), with gunicorn's own 414 before Nansen sees it.
[checks.negative_data_rejection]
expected-statuses = [
    "400", "401", "403", "404", "405", "406", "409", "414", "415", "422", "428", "429",
]

[auth.wfc]
path = "{auth}"
peers = {peers}
"""


@dataclass
class FuzzRun:
    exit_code: int
    report: dict
    output: str
    checks: Counter = field(default_factory=Counter)  # (check, status) -> responses
    errors: list[dict] = field(default_factory=list)  # schemathesis's non-fatal errors

    @property
    def failures(self) -> list[str]:
        return [
            f"{f['code']} {f['title']}: {f['count']} ({', '.join(f['operations'])})"
            for f in self.report.get("failures", [])
        ]

    def counts(self) -> str:
        """What the run did, for the test's output and the on-demand report."""
        operations = self.report.get("operations", {})
        cases = self.report.get("test_cases", {})
        lines = [
            f"schemathesis {self.report.get('schemathesis_version', '?')}: "
            f"{operations.get('tested', 0)} of {operations.get('total', 0)} operations, "
            f"{cases.get('generated', 0)} test cases, "
            f"{cases.get('with_failures', 0)} with failures, "
            f"{self.report.get('running_time', 0):.0f} s, seed {self.report.get('seed')}",
        ]
        for check in sorted({name for name, _status in self.checks}):
            passed = self.checks[(check, "success")]
            failed = self.checks[(check, "failure")]
            lines.append(f"  {check}: {passed} passed, {failed} failed")
        lines += [f"  failure {line}" for line in self.failures] or ["  failures: 0"]
        lines += [
            f"  error {e['type']} on {e.get('label')}: {e['message'][:200]}" for e in self.errors
        ]
        return "\n".join(lines)

    @property
    def unexplained_errors(self) -> list[dict]:
        """Errors other than Hypothesis's "flaky": a replayed request answered otherwise
        than the first time. On a stateful API that happens (the first registration of a
        family makes the replay a possible duplicate, another client changed the record),
        and the checks themselves report every failure they see."""
        return [e for e in self.errors if e["type"] != "FlakyFailure"]


def _events(events: Path) -> tuple[Counter, list[dict]]:
    """Responses judged by each check, and the non-fatal errors, from schemathesis's event
    stream."""
    counted: Counter = Counter()
    errors: list[dict] = []
    if not events.exists():
        return counted, errors
    with events.open() as stream:
        for line in stream:
            if '"NonFatalError"' in line:
                error = json.loads(line)["NonFatalError"]
                errors.append({**error["value"], "label": error.get("label")})
            if '"ScenarioFinished"' not in line:
                continue
            recorder = json.loads(line)["ScenarioFinished"]["recorder"]
            for results in recorder.get("checks", {}).values():
                for result in results:
                    counted[(result["name"], result["status"])] += 1
    return counted, errors


# Run in the server's database by `nansen shell`: the two peers, each with a family of their
# office registered through the services, and each one's personal API token.
SETUP = f"""
import json
from nansen.accounts.models import ApiToken
from nansen.accounts.roles import Role
from nansen.testing import make_personas, make_user, register_family
personas = make_personas()
tokens = {{}}
roles = [Role(r) for r in {[str(r) for r in FUZZ_ROLES]!r}]
for name in {PEERS!r}:
    user = make_user(f"fuzz_{{name}}", getattr(personas, name), *roles)
    register_family(user, children=1)
    tokens[name] = ApiToken.issue(user=user, name="schemathesis", scope="read_write")[1]
print(json.dumps(tokens))
"""


def auth_document(tokens: dict[str, str]) -> dict:
    """A Web Fuzzing Commons auth document: each peer's personal API token."""
    return {
        "auth": [
            {"name": name, "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {raw}"}]}
            for name, raw in tokens.items()
        ]
    }


def fuzz_server(database: str, workdir: Path, *, examples: int, seed=None) -> FuzzRun:
    """Nansen under gunicorn on a fresh database (the crash test's: a SQLite file, or a
    PostgreSQL cluster of its own), fuzzed by schemathesis."""
    with harness.environment(database, workdir) as (env, _location, _cluster):
        tokens = harness.prepare(env, SETUP)
        server = harness.Server(env, workdir)
        server.start()
        try:
            url = f"http://127.0.0.1:{server.port}"
            run = fuzz(url, tokens, workdir, examples, seed)
            if run.unexplained_errors and all(map(_interpreter_fault, run.unexplained_errors)):
                print("schemathesis's interpreter failed (python/cpython#106905); again:")
                print(run.counts())
                again = workdir / "again"
                again.mkdir()
                run = fuzz(url, tokens, again, examples, seed)
            return run
        finally:
            server.stop()


def _interpreter_fault(error: dict) -> bool:
    """CPython 3.11 can raise a spurious SystemError while building syntax trees in several
    threads at once (python/cpython#106905), as schemathesis's workers do: a fault in the
    fuzzer's process, not an answer of the server, so the run is made again once."""
    return error["type"] == "SystemError" and error["message"].startswith(
        "AST constructor recursion depth mismatch"
    )


def fuzz(base_url: str, tokens: dict[str, str], workdir: Path, examples: int, seed=None):
    """Run the schemathesis command line against ``base_url`` and read its reports."""
    auth = workdir / "auth.json"
    auth.write_text(json.dumps(auth_document(tokens)))
    config = workdir / "schemathesis.toml"
    config.write_text(CONFIG.format(examples=examples, auth=auth, peers=json.dumps(list(PEERS))))
    report = workdir / "report.json"
    events = workdir / "events.ndjson"
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "--config-file",
        str(config),
        "run",
        f"{base_url}/api/openapi.json",
        "--url",
        base_url,
        "--checks",
        "all",
        "--max-examples",
        str(examples),
        "--report",
        "json,ndjson",
        "--report-json-path",
        str(report),
        "--report-ndjson-path",
        str(events),
        "--output-truncate=true",
        # gunicorn serves 2 workers x 4 threads: four clients at once keep it busy.
        "--workers",
        "4",
    ]
    if seed is not None:
        command += ["--seed", str(seed)]
    done = subprocess.run(
        command,
        cwd=workdir,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
    )
    data = json.loads(report.read_text()) if report.exists() else {}
    return FuzzRun(done.returncode, data, done.stdout + done.stderr, *_events(events))
