"""Comparison keys for personal names written in any script and any transliteration.

Two keys per name token, both computed the same way for every name in the registry:

- the *spelling* key keeps the vowels but folds the alternations transliteration produces
  (Mohammed, Muhammad, Mohamad -> muhamad; Hussein, Husain, Hossein -> husain): equal
  spelling keys are strong evidence, and Jaro-Winkler on them measures near misses;
- the *skeleton* is the consonant outline shared by a Latin spelling and the Arabic-script
  original (محمد, Muhammad, Mohamed -> mhmd; عثمان, Uthman, Osman, Cismaan -> asmn). It is
  coarse on purpose: it finds candidates (the index) and bridges scripts; it never decides
  alone.

Arabic script is folded first (alef forms, hamza seats, teh marbuta, alef maksura,
diacritics, tatweel); Persian and Urdu letters are read as their Arabic counterparts. Other
scripts (Cyrillic, kana, Ethiopic...) are written in Latin letters by anyascii first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii

# --- Arabic script ---------------------------------------------------------------------------

_ARABIC_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ؤ": "و",
        "ئ": "ي",
        "ى": "ي",
        "ی": "ي",  # Persian yeh
        "ے": "ي",
        "ک": "ك",  # Persian kaf
        "ہ": "ه",
        "ۀ": "ة",
        "ـ": None,  # tatweel
        "\u200c": None,  # zero-width non-joiner (Persian)
    }
)
# One rough Latin reading per Arabic letter, only for the skeleton (vowels do not survive).
_ARABIC_TO_LATIN = {
    "ا": "a",
    "ب": "b",
    "پ": "p",
    "ت": "t",
    "ث": "s",
    "ج": "j",
    "چ": "sh",
    "ح": "h",
    "خ": "h",
    "د": "d",
    "ذ": "d",
    "ر": "r",
    "ز": "z",
    "ژ": "j",
    "س": "s",
    "ش": "sh",
    "ص": "s",
    "ض": "d",
    "ط": "t",
    "ظ": "z",
    "ع": "",
    "غ": "g",
    "ف": "f",
    "ق": "k",
    "ك": "k",
    "گ": "g",
    "ل": "l",
    "م": "m",
    "ن": "n",
    "ه": "h",
    "ة": "a",
    "و": "u",
    "ي": "i",
    "ء": "",
}
_ARABIC_PARTICLES = frozenset({"بن", "ابن", "بنت", "ال"})
_ARABIC_JOINERS = frozenset({"عبد", "ابو", "ابي"})


def is_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" for ch in text)


def fold_arabic(text: str) -> str:
    """Arabic-script text with diacritics (harakat, shadda, superscript alef) and tatweel
    removed and the letters that are spelled interchangeably in names made one."""
    text = "".join(ch for ch in unicodedata.normalize("NFC", text) if not _is_arabic_mark(ch))
    return text.translate(_ARABIC_LETTERS)


def _is_arabic_mark(ch: str) -> bool:
    return "\u064b" <= ch <= "\u065f" or ch in "\u0670\u06e1\u06ed"


def _arabic_tokens(text: str) -> list[str]:
    words = re.findall(r"[\u0600-\u06ff\u0750-\u077f]+", fold_arabic(text))
    tokens: list[str] = []
    joiner = ""
    for word in words:
        if word in _ARABIC_PARTICLES:
            continue
        if word in _ARABIC_JOINERS:
            joiner = word
            continue
        if word.startswith("ال") and len(word) > 3 and word != "الله":
            word = word[2:]
        if joiner:
            word, joiner = joiner + word, ""
        tokens.append(word)
    if joiner:
        tokens.append(joiner)
    return tokens


def _arabic_to_latin(token: str) -> str:
    out = []
    for i, ch in enumerate(token):
        if i == 0 and ch in "اع":
            out.append("a")
        elif i == 0 and ch == "و":
            out.append("w")
        elif i == 0 and ch == "ي":
            out.append("y")
        else:
            out.append(_ARABIC_TO_LATIN.get(ch, ""))
    return "".join(out)


# --- Latin letters -------------------------------------------------------------------------

# Particles that say "son of", "the": they carry no identity of their own.
_PARTICLES = frozenset(
    {"al", "el", "ul", "bin", "ben", "ibn", "bint", "binti", "bte", "ould", "de", "da", "van"}
)
# Words written apart or joined to the next one: Abd al-Rahman, Abdul Rahman, Abdulrahman.
_ABD_FORMS = frozenset({"abd", "abdul", "abdel", "abdal", "abdol", "abdoul", "abdu", "abdur"})
_ABU_FORMS = frozenset({"abu", "abou", "abo", "bou"})
# abdul-, abdel- joined to the name; abdur-rahman, abdus-salam: the article assimilated.
_ABD_JOINED = re.compile(r"^abd(?:[aeiou]l(?=[a-z]{3})|[aeiou]?(?=([rsntdz])\1))")
_ALLAH = re.compile(r"^abd(?:[aeiou]?l{1,2}[aeiou]h?|[aeiou]?l{1,2}ah?)$")
_DIN_SUFFIX = re.compile(r"(?<=[a-z]{2})[aeiou]?d{1,2}(?:in|een|ine)$")
_SUN_LETTER_ARTICLE = re.compile(r"\b[aeu](t|th|d|dh|r|z|s|sh|n)[-\s']\1")
_ARTICLE = re.compile(r"\b(?:al|el|ul)[-\s'’]+(?=\w)")
_VOWELS = "aeiou"


def latin_tokens(text: str) -> list[str]:
    """Lower-case ASCII tokens of a name, particles dropped, compound names joined."""
    text = anyascii(unicodedata.normalize("NFC", text)).lower()
    text = _SUN_LETTER_ARTICLE.sub(lambda m: m.group(1), text)
    text = _ARTICLE.sub(" ", text)
    text = text.replace("'", "").replace("`", "").replace("’", "")
    words = re.findall(r"[a-z]+", text)
    tokens: list[str] = []
    joiner = ""
    for word in words:
        if word in _PARTICLES:
            continue
        if word in _ABD_FORMS:
            joiner = "abd"
            continue
        if word in _ABU_FORMS:
            joiner = "abu"
            continue
        if word in {"din", "deen", "dine", "edine"} and tokens and not joiner:
            tokens[-1] += "din"
            continue
        if joiner:
            word, joiner = joiner + word, ""
        tokens.append(_canonical_latin(word))
    if joiner:
        tokens.append(joiner)
    return tokens


def _canonical_latin(word: str) -> str:
    if _ALLAH.match(word) or word in {"abdallah", "abdullah"}:
        return "abdallah"
    joined = _ABD_JOINED.match(word) if len(word) > 5 else None
    if joined:
        rest = word[joined.end() :]
        word = "abd" + (rest[1:] if joined.group(1) else rest)
    if len(word) >= 6 and word[:2] in ("al", "el") and word[2] not in _VOWELS + "l":
        word = word[2:]
    if len(word) > 6:
        word = _DIN_SUFFIX.sub("din", word)
    return word


_SPELLING_RULES = (
    ("sch", "sh"),
    ("dj", "j"),
    ("ph", "f"),
    ("v", "w"),
    ("q", "k"),
    ("ck", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("o", "u"),
    ("e", "a"),
    ("ay", "ai"),
)


@lru_cache(maxsize=200_000)
def spelling_key(token: str) -> str:
    """Vowels and letter pairs that transliterations swap, folded; doubled letters single."""
    word = _somali_c(token)
    word = word.replace("x", "h") if word.startswith("x") or "ax" in word else word
    word = re.sub(r"ah$", "a", word)
    for old, new in _SPELLING_RULES:
        word = word.replace(old, new)
    word = re.sub(r"(?<=[a-z])y(?=[^aeiou]|$)", "i", word)
    word = re.sub(r"(.)\1+", r"\1", word)
    return word


def _somali_c(word: str) -> str:
    """Somali writes the Arabic ayn as c (Cismaan = Uthman, Cali = Ali)."""
    word = re.sub(r"^c(?=[aeiou])", "", word)
    return re.sub(r"(?<=[aeiou])c(?=[aeiou])", "", word)


_SKELETON_RULES = (
    ("sh", "$"),
    ("ch", "$"),
    ("kh", "h"),
    ("gh", "g"),
    ("g", "j"),  # Egyptian Gamal = Jamal
    ("th", "s"),
    ("dh", "d"),
    ("ts", "s"),
    ("c", "k"),
    ("v", "w"),
    ("x", "h"),
    ("nm", "m"),
)


@lru_cache(maxsize=200_000)
def skeleton(token: str) -> str:
    """The consonant outline: a leading vowel as "a", other vowels (and w, y inside the word)
    dropped, letter pairs that stand for one Arabic sound made one, doubled letters single,
    a final h dropped."""
    word = _somali_c(token)
    word = word.replace("q", "k").replace("ph", "f").replace("dj", "j")
    for old, new in _SKELETON_RULES:
        word = word.replace(old, new)
    if not word:
        return ""
    head = "a" if word[0] in _VOWELS else word[0]
    rest = "".join(ch for ch in word[1:] if ch not in "aeiouwy")
    word = re.sub(r"(.)\1+", r"\1", head + rest)
    if len(word) > 2 and word.endswith("h"):
        word = word[:-1]
    return word.replace("$", "sh")


# --- names -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameKeys:
    """The keys of one or more names of a person."""

    spellings: tuple[str, ...]  # the primary Latin name's spelling keys, in order
    skeletons: frozenset[str]  # the skeletons of every name, any script
    # Skeletons written twice in one name (Saeed Saad, Salma Slama: sd, slm), which the set
    # above counts once.
    repeated: frozenset[str] = frozenset()

    @property
    def pairs(self) -> list[str]:
        """Every two of the name skeletons ("hsn mhmd"), a repeated one with itself ("sd
        sd"): two records meet when they share two names, in any order, whatever the
        others. A one-name record gives its name. Pairs keep the lists short where single
        names would not (a million persons include a quarter of a million Mohammeds)."""
        names = sorted(self.skeletons)
        pairs = [f"{a} {b}" for i, a in enumerate(names) for b in names[i + 1 :]]
        pairs += [f"{s} {s}" for s in sorted(self.repeated)]
        return pairs or names[:1]

    @property
    def signature(self) -> str:
        """The name as a sorted set of spelling keys: equal for the same name in any order."""
        return " ".join(sorted(set(self.spellings)))

    @property
    def joined(self) -> str:
        """The consonant outline of the whole primary name in written order, spaces left
        out: equal for a name written as one word or as several (RamiMakhlouf, Rami
        Makhlouf; Jan Daniel, JanDaniel)."""
        return skeleton("".join(self.spellings)) if self.spellings else ""


def name_tokens(text: str) -> list[str]:
    """The tokens of a name in Latin letters (Arabic script read through its skeleton)."""
    if is_arabic(text):
        return [_arabic_to_latin(token) for token in _arabic_tokens(text)]
    return latin_tokens(text)


def name_keys(primary: str, *others: str) -> NameKeys:
    """Keys of a person's primary Latin name and of their other names (original script,
    aliases). Only the primary name gives spelling keys; every name gives skeletons."""
    spellings = (
        tuple(key for key in (spelling_key(t) for t in latin_tokens(primary)) if key)
        if primary and not is_arabic(primary)
        else ()
    )
    skeletons, repeated = set(), set()
    for text in (primary, *others):
        if text:
            outline = [s for s in (skeleton(t) for t in name_tokens(text)) if s]
            skeletons.update(outline)
            repeated.update(s for s in outline if outline.count(s) > 1)
    if not spellings:
        for text in others:
            if text and not is_arabic(text):
                spellings = tuple(k for k in (spelling_key(t) for t in latin_tokens(text)) if k)
                if spellings:
                    break
    return NameKeys(spellings, frozenset(skeletons), frozenset(repeated))


def document_key(document_type: str, number: str, issuing_country: str) -> str:
    """One key per identity document: type, issuing country and number without separators,
    letters O and I read as the digits they are often mistaken for."""
    compact = re.sub(r"[^0-9A-Z]", "", anyascii(number).upper()).replace("O", "0").replace("I", "1")
    return f"{document_type}:{issuing_country.upper()}:{compact}"
