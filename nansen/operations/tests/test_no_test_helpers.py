"""Production code sets up its own data (the restore drill, the demo) and imports none of the
test helpers (nansen.testing, nansen.<app>.testing), which may change with the tests."""

from nansen.core.tests.test_core_stands_alone import ROOT, nansen_imports


def test_it_imports_no_testing_module_outside_the_tests():
    apps = [p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()]
    found = {}
    for app in apps:
        for module, names in nansen_imports(app).items():
            helpers = sorted(n for n in names if n.split(".")[-1] == "testing")
            if helpers and not module.endswith("testing.py"):
                found[module] = helpers
    assert found == {}
