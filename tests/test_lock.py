"""The environment is the one requirements.lock describes (`make` installs it, `make lock`
regenerates it): a release of holidays or Django that nobody chose cannot reach the suite
or a deployment built from the lock."""

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
PIN = re.compile(r"^[A-Za-z0-9][^ \\]*==[^\\]+")


def locked() -> dict[str, Requirement]:
    """The pins of requirements.lock that apply to this interpreter and platform."""
    pins = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            requirement = Requirement(match.group(0))
            if requirement.marker is None or requirement.marker.evaluate():
                pins[canonicalize_name(requirement.name)] = requirement
    return pins


def declared() -> list[Requirement]:
    """What pyproject.toml asks for: the dependencies and the dev and identity extras."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    lines = project["dependencies"] + extras["dev"] + extras["identity"]
    return [r for r in map(Requirement, lines) if canonicalize_name(r.name) != "nansen"]


def _installed(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None


def test_every_installed_package_has_its_locked_version():
    wrong = {
        name: (installed, str(pin.specifier))
        for name, pin in locked().items()
        if (installed := _installed(name)) is None or installed not in pin.specifier
    }
    assert wrong == {}, "run `make` to install requirements.lock (installed, locked)"


def test_holidays_and_django_are_locked():
    assert {"holidays", "django"} <= locked().keys()


def test_the_lock_satisfies_pyproject():
    pins = locked()
    unmet = [
        str(r)
        for r in declared()
        if (r.marker is None or r.marker.evaluate())
        and (
            canonicalize_name(r.name) not in pins
            or next(iter(pins[canonicalize_name(r.name)].specifier)).version not in r.specifier
        )
    ]
    assert unmet == [], "pyproject.toml changed: run `make lock`"
