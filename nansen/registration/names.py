"""Name handling shared by registration and search: folding for search, script detection."""

from __future__ import annotations

import unicodedata

# Arabic letters that are spelled interchangeably in names (ICU and most Arabic search
# engines fold them the same way): alef forms, teh marbuta, alef maksura.
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ـ": None,  # tatweel
    }
)


def fold(text: str) -> str:
    """A form of the text for matching typed queries: case, accents, Arabic diacritics and
    letter variants folded, whitespace collapsed."""
    # Compatibility forms first (circled and full-width letters), then case, then accents:
    # in this order folding a folded text changes nothing.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    decomposed = unicodedata.normalize("NFKD", decomposed.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.translate(_ARABIC_FOLD)
    stripped = stripped.replace("-", " ").replace("'", "").replace("’", "")
    return " ".join(stripped.split())


def script_of(text: str) -> str:
    """The ISO 15924 code of the first letter's script that is not Latin, else Latn."""
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for prefix, code in (
            ("ARABIC", "Arab"),
            ("CYRILLIC", "Cyrl"),
            ("HIRAGANA", "Jpan"),
            ("KATAKANA", "Jpan"),
            ("CJK", "Hani"),
            ("HANGUL", "Kore"),
            ("ETHIOPIC", "Ethi"),
            ("GEORGIAN", "Geor"),
            ("ARMENIAN", "Armn"),
            ("DEVANAGARI", "Deva"),
            ("BENGALI", "Beng"),
            ("MYANMAR", "Mymr"),
            ("THAI", "Thai"),
            ("TAMIL", "Taml"),
            ("HEBREW", "Hebr"),
        ):
            if name.startswith(prefix):
                return code
    return "Latn"
