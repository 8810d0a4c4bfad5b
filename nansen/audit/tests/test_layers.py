"""nansen.audit sits below nansen.accounts: accounts records through audit.services, and
audit imports nothing of accounts (the audit log pages, which need the auditor's action,
are accounts' own)."""

from nansen.core.tests.test_core_stands_alone import nansen_imports


def test_it_imports_nothing_of_accounts():
    found = {
        module: sorted(n for n in names if n.startswith("nansen.accounts"))
        for module, names in nansen_imports("audit").items()
    }
    assert {module: names for module, names in found.items() if names} == {}
