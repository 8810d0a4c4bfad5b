"""Property-based fuzzing of the REST API (OWASP ASVS 5.0 V4, V8): schemathesis generates
requests from /api/openapi.json, valid and invalid, with every check on, among them
``ignored_auth`` (each operation again without credentials and with forged ones) and
``object_level_authorization`` (one office's reads of its own objects replayed by the
other). Nansen runs under gunicorn on a fresh database of the suite's kind. 0 server errors
and 0 failures of any check. A longer run on demand:
``NANSEN_FUZZ_EXAMPLES=1000 NANSEN_FUZZ_SEED=random pytest tests/security/test_api_fuzzing.py -s``.
"""

from __future__ import annotations

import os

from tests.security.fuzz import fuzz_server

# At least 100 examples per operation; more when asked for.
EXAMPLES = max(100, int(os.environ.get("NANSEN_FUZZ_EXAMPLES", "100")))
# The suite runs one fixed seed, so that a red run is reproducible and a green one stays
# green until the API changes; NANSEN_FUZZ_SEED=random explores (its seed is printed).
_SEED = os.environ.get("NANSEN_FUZZ_SEED", "2026")
SEED = None if _SEED == "random" else int(_SEED)


def test_the_api_holds_under_property_based_fuzzing(server_database, tmp_path, record_property):
    run = fuzz_server(server_database, tmp_path, examples=EXAMPLES, seed=SEED)
    counts = run.counts()
    print(f"API fuzzing on {server_database}, {EXAMPLES} examples per operation:")
    print(counts)
    record_property("counts", counts.splitlines()[0])
    assert run.report, f"schemathesis wrote no report:\n{run.output[-4000:]}"
    operations = run.report["operations"]
    assert operations["tested"] == operations["total"] > 50, operations
    for check in ("not_a_server_error", "ignored_auth", "object_level_authorization"):
        assert run.checks[(check, "success")] > 1000, f"{check} hardly ran: {counts}"
    assert not run.failures, f"{counts}\n\n{run.output[-12000:]}"
    assert not run.unexplained_errors, f"{counts}\n\n{run.output[-12000:]}"
    # schemathesis exits 1 on any error, a flaky replay included (printed above).
    assert run.exit_code == 0 or run.errors, run.output[-4000:]
