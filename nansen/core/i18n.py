"""Translation catalogues: extracting, compiling without GNU gettext, checking completeness.

The project catalogue lives in ``nansen/locale``; an app may keep its own catalogue in
``nansen/<app>/locale`` (Django reads both), so work on separate apps never rewrites the
same file. Each string belongs to exactly one catalogue: the app's own if it has one,
otherwise the project's.

``python -m nansen.core.i18n extract [APP…]``  extract strings (needs GNU gettext); naming an
                                              app gives it its own catalogue
``python -m nansen.core.i18n compile [APP…]``  write the .mo files next to the .po files
``python -m nansen.core.i18n check``    fail on any untranslated or fuzzy message
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
LANGUAGES = ("ja", "ar")


def catalogue_roots(package: Path = PACKAGE_DIR) -> list[Path]:
    """The directories that own a catalogue: the package itself and each app with a locale/."""
    apps = sorted(p.parent for p in package.glob("*/locale") if p.is_dir())
    return [package, *apps]


def po_path(root: Path, language: str) -> Path:
    return root / "locale" / language / "LC_MESSAGES" / "django.po"


def read(root: Path, language: str):
    from babel.messages.pofile import read_po

    with po_path(root, language).open("rb") as handle:
        return read_po(handle, locale=language)


def message_ids(root: Path, language: str) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in read(root, language) if m.id}


def problems(language: str, roots: list[Path] | None = None) -> list[str]:
    """Every message that is not translated, or only fuzzily, in any catalogue."""
    found = []
    for root in roots or catalogue_roots():
        if not po_path(root, language).exists():
            found.append(f"{language}: missing catalogue {po_path(root, language)}")
            continue
        for message in read(root, language):
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            where = root.name
            if message.fuzzy:
                found.append(f"{language} ({where}): fuzzy: {message.id!r}")
            elif not all(strings):
                found.append(f"{language} ({where}): untranslated: {message.id!r}")
    return found


def compile_catalogue(root: Path, language: str, target: Path | None = None) -> Path:
    from babel.messages.mofile import write_mo

    catalogue = read(root, language)
    mo_path = target or po_path(root, language).with_suffix(".mo")
    with mo_path.open("wb") as handle:
        write_mo(handle, catalogue)
    return mo_path


def extract(
    package: Path = PACKAGE_DIR,
    languages: tuple[str, ...] = LANGUAGES,
    only: list[str] | None = None,
) -> None:
    """Run Django's makemessages for every catalogue, or for the apps named in ``only``
    ("nansen" for the project catalogue). GNU gettext's xgettext must be installed."""
    roots = catalogue_roots(package)
    for name in only or []:
        if not (package / name / "locale").is_dir() and name != package.name:
            (package / name / "locale").mkdir()
    roots = catalogue_roots(package)
    env = {**os.environ, "NANSEN_ENV": "test", "DJANGO_SETTINGS_MODULE": "nansen.settings_test"}
    language_args = [arg for language in languages for arg in ("-l", language)]
    for root in roots:
        if only and root.name not in only:
            continue
        ignores = (
            []
            if root != package
            else [arg for app in roots[1:] for arg in ("--ignore", f"{app.name}/*")]
        )
        (root / "locale").mkdir(exist_ok=True)
        subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
            [
                sys.executable,
                "-P",
                "-m",
                "django",
                "makemessages",
                "--no-obsolete",
                "--no-location",
                *language_args,
                *ignores,
            ],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    only = argv[2:] or None
    if command == "extract":
        extract(only=only)
        return 0
    if command == "compile":
        for root in catalogue_roots():
            if only and root.name not in only:
                continue
            for language in LANGUAGES:
                print(f"compiled {compile_catalogue(root, language)}")
        return 0
    if command == "check":
        issues = [issue for language in LANGUAGES for issue in problems(language)]
        print("\n".join(issues) or "all catalogues complete")
        return 1 if issues else 0
    print("usage: python -m nansen.core.i18n [extract|compile|check] [APP…]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
