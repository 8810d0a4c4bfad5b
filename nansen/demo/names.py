"""Synthetic personal names for the demo caseload, built from real name data.

Arabic-script names take their frequency and their Latin spellings from two public data sets
in ``nansen/data/reference/names`` (see its README):

- ``wikidata_arabic_latin_tokens.tsv``: Latin name tokens, their Arabic spelling (letters
  separated by spaces) and how often the pair occurs in Wikidata person names. Latin tokens
  sharing one Arabic spelling are transliteration variants of one name.
- ``google_ar2en.tsv``: Arabic -> Latin name pairs mined from Wikipedia (counted once).

A name is drawn with a weight equal to its count in the data, so common names are common,
and each person's Latin form is drawn among the spellings the data knows for that Arabic
name, so two people with the same Arabic name are sometimes spelled differently in Latin
letters (Mohamed, Mohammed, Muhammad...), as in real registers.

Other communities use the small built-in lists of ``nansen.demo.namelists``.
"""

from __future__ import annotations

import math
import random
import re
import unicodedata
from bisect import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache
from itertools import accumulate
from pathlib import Path
from typing import Generic, TypeVar

from nansen.demo import namelists as nl

WIKIDATA_FILE = "wikidata_arabic_latin_tokens.tsv"
GOOGLE_FILE = "google_ar2en.tsv"

_LATIN_TOKEN = re.compile(r"^[a-z]+(?:['-][a-z]+)*$")
# Spellings the data pairs with Arabic names that belong to another language's tradition
# (mostly Turkish) or are plain noise; a demo of an Arabic-speaking caseload leaves them out.
_NOT_ARABIC_TEXT = (
    "adah ahmet akhmed akhmet annas bekir cemal cemil cevat daar egyptian emir enes "
    "ferhat granada halil halit hamit hatice huseyn kaki kazim kemal mahmut mehmed "
    "mehmet meryem meunier morocco moses murat norrie oglu ons peker prince princess "
    "ramazan sait sammy sebag seyyed solomon yasemin zehra zeynep"
)
_NOT_ARABIC_FORMS = frozenset(_NOT_ARABIC_TEXT.split())
_TO_ARABIC_LETTERS = str.maketrans(
    {"ی": "ي", "ک": "ك", "ہ": "ه", "ۀ": "ه", "ے": "ي", "ـ": None, "\u200c": None}
)
# How an Arabic family name with the article is written in Latin letters.
_ARTICLE_STYLES = (("Al-{}", 35), ("Al {}", 15), ("Al{}", 10), ("El-{}", 15), ("{}", 25))


class NameDataError(Exception):
    """The name data files are missing or unreadable."""


# --- weighted choices ----------------------------------------------------------------------


T = TypeVar("T")


@dataclass(frozen=True)
class Weighted(Generic[T]):
    """Items with weights, drawn with a caller's random generator (reproducible)."""

    items: tuple[T, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, pairs: Iterable[tuple[T, float]]) -> Weighted[T]:
        kept = [(item, w) for item, w in pairs if w > 0]
        if not kept:
            raise ValueError("nothing to choose from")
        return cls(tuple(i for i, _w in kept), tuple(accumulate(w for _i, w in kept)))

    @classmethod
    def ranked(cls, items: Sequence[T]) -> Weighted[T]:
        """Earlier items more often: weight 1/sqrt(rank)."""
        return cls.of((item, 1 / math.sqrt(rank)) for rank, item in enumerate(items, 1))

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def __len__(self) -> int:
        return len(self.items)


def latin_title(token: str) -> str:
    """'abdel rahman' -> 'Abdel Rahman', "sa'id" -> "Sa'id", 'al-khatib' -> 'Al-Khatib'."""
    return re.sub(r"(^|[\s-])([a-z])", lambda m: m.group(1) + m.group(2).upper(), token)


def ascii_fold(text: str) -> str:
    """Latin letters without diacritics, as machine-readable travel documents write them."""
    text = text.replace("ı", "i").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- the data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NameData:
    """Latin spellings and counts per Arabic spelling (letters joined, no spaces)."""

    spellings: dict[str, tuple[tuple[str, int], ...]]

    def forms(self, arabic: str, *, min_share: float = 0.02) -> tuple[tuple[str, int], ...]:
        """The Latin spellings of an Arabic-script name, most frequent first.

        Persian and Urdu letters are mapped to their Arabic counterparts for the lookup;
        rare spellings (below ``min_share`` of the most frequent one, or seen once where the
        name is common) are treated as noise.
        """
        for key in _lookup_keys(arabic):
            found = self.spellings.get(key)
            if found:
                top = found[0][1]
                return tuple(
                    (latin, n)
                    for latin, n in found
                    if n >= top * min_share and (n >= 2 or top <= 2)
                )
        return ()


def _lookup_keys(arabic: str) -> list[str]:
    base = arabic.translate(_TO_ARABIC_LETTERS).replace(" ", "")
    keys = [base]
    if base.endswith("ه"):
        keys.append(base[:-1] + "ة")
    if base.endswith("ي"):
        keys.append(base[:-1] + "ى")
    if base.startswith("ا"):
        keys += ["أ" + base[1:], "إ" + base[1:]]
    return keys


@cache
def load_name_data(names_dir: Path) -> NameData:
    """Read both name files (cached per directory)."""
    counts: dict[str, Counter] = defaultdict(Counter)
    wikidata, google = names_dir / WIKIDATA_FILE, names_dir / GOOGLE_FILE
    for path in (wikidata, google):
        if not path.is_file():
            raise NameDataError(f"Name data file not found: {path}")
    with wikidata.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not parts[2].isdigit():
                continue
            latin, arabic, count = parts
            if _LATIN_TOKEN.match(latin) and latin not in _NOT_ARABIC_FORMS:
                counts[arabic.replace(" ", "")][latin] += int(count)
    with google.open(encoding="utf-8") as lines:
        for line in lines:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            arabic, latin = parts
            latin = latin.strip().lower()
            if _LATIN_TOKEN.match(latin) and latin not in _NOT_ARABIC_FORMS:
                counts[arabic.strip()][latin] += 1
    return NameData(
        {key: tuple(sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) for key, c in counts.items()}
    )


# --- names and pools -----------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """One name: its original-script spelling (empty when that is Latin) and the Latin
    spellings it is written with."""

    original: str
    forms: Weighted[str]
    article: bool = False  # an Arabic family name written with al-

    def latin(self, rng: random.Random) -> str:
        form = self.forms.pick(rng)
        if self.article:
            style = _ARTICLE.pick(rng)
            form = style.format(form if style != "Al{}" else form.lower())
        return form


_ARTICLE = Weighted.of(_ARTICLE_STYLES)


@dataclass(frozen=True)
class Rendered:
    """A drawn name: Latin and original forms, and the names it was made of."""

    latin: str
    original: str
    parts: tuple[Name, ...] = ()
    separator: str = " "

    def respelled(self, rng: random.Random) -> str:
        """The same name written with (possibly) other Latin spellings."""
        if not self.parts:
            return self.latin
        return self.separator.join(part.latin(rng) for part in self.parts)


@dataclass(frozen=True)
class NamePool:
    """The names of one community."""

    male: Weighted[Name]
    female: Weighted[Name]
    family: Weighted[Name] | None = None
    family_female: Weighted[Name] | None = None  # e.g. Kaur, Begum
    male_second: Weighted[Name] | None = None  # a second given name (Rohingya)
    female_second: Weighted[Name] | None = None
    syllables: tuple[int, int] | None = None  # names composed of syllables (Burmese)
    original_joiner: str = " "
    slavic: bool = False  # Karimov / Karimova
    data_backed: bool = False  # Latin spellings drawn from the transliteration data

    def given(self, rng: random.Random, sex: str) -> Rendered:
        names = self.female if sex == "F" else self.male
        if self.syllables:
            count = rng.randint(*self.syllables)
            parts = [names.pick(rng) for _ in range(count)]
            if count >= 2 and rng.random() < 0.15:
                parts[1] = parts[0]  # reduplication: Nwe Nwe, Aye Aye Myint
            for i in range(2, count):
                while parts[i] is parts[0]:
                    parts[i] = names.pick(rng)
            return self._join(parts, rng, joiner=self.original_joiner)
        first = names.pick(rng)
        second_names = self.female_second if sex == "F" else self.male_second
        if second_names is not None and rng.random() < 0.85:
            second = second_names.pick(rng)
            if second.forms.items != first.forms.items:
                return self._join([first, second], rng)
        return self._join([first], rng)

    def family_name(self, rng: random.Random, sex: str) -> Rendered | None:
        names = self.family_female if sex == "F" and self.family_female else self.family
        if names is None:
            return None
        rendered = self._join([names.pick(rng)], rng)
        return feminine(rendered) if sex == "F" and self.slavic else rendered

    def _join(self, parts: list[Name], rng: random.Random, joiner: str = " ") -> Rendered:
        latin = " ".join(part.latin(rng) for part in parts)
        original = joiner.join(part.original for part in parts if part.original)
        return Rendered(latin, original, tuple(parts) if self.data_backed else ())


def feminine(rendered: Rendered) -> Rendered:
    """Karimov -> Karimova, Aliev -> Alieva (Russian and Central Asian family names)."""
    if rendered.latin.endswith(("ov", "ev", "in")):
        return Rendered(rendered.latin + "a", rendered.original)
    return rendered


# --- building the pools --------------------------------------------------------------------


def _entry(spec: str, *, native_latin: bool = False) -> Name:
    latin, _sep, original = spec.partition("|")
    if native_latin:
        latin, original = ascii_fold(latin), latin
    return Name(original, Weighted.of([(latin, 1)]))


def _ranked(specs: Sequence[str], *, native_latin: bool = False) -> Weighted[Name]:
    return Weighted.ranked([_entry(s, native_latin=native_latin) for s in specs])


def _arabic_name(data: NameData, spelling: str) -> tuple[Name, int] | None:
    """A name from an Arabic-script seed, with the data's spellings and count; None when
    the data does not know it. ``عبد الرحمن`` and the like combine the spellings of both
    words (Abdel Rahman, Abdul Rahman, Abdulrahman...)."""
    words = spelling.split()
    article = len(words) == 1 and spelling.startswith("ال") and len(spelling) > 4
    if article:
        # The stem's spellings (حلبي: halabi) where the data knows it, else the spellings of
        # the whole name with a written article taken off (المصري: elmasri -> masri).
        stems: Counter = Counter()
        for latin, n in data.forms(spelling[2:]) or data.forms(spelling):
            stems[re.sub(r"^(?:al|el)-?(?=[a-z]{3})", "", latin)] += n
        forms = dict(stems)
    elif len(words) == 2:
        first = dict(data.forms(words[0]))
        if words[0] == "عبد":
            first = {k: v for k, v in first.items() if k in {"abdul", "abdel", "abd"}}
        second = dict(data.forms(words[1]))
        if not first or not second:
            return None
        forms = {}
        for a, na in first.items():
            for b, nb in second.items():
                forms[f"{a} {b}"] = na * nb
                forms[a + b] = na * nb / 4
        count = min(sum(first.values()), sum(second.values()))
        weighted = Weighted.of((latin_title(k), v) for k, v in forms.items())
        return Name(spelling, weighted), count
    else:
        forms = dict(data.forms(spelling))
    if not forms:
        return None
    weighted = Weighted.of((latin_title(k), v) for k, v in forms.items())
    return Name(spelling, weighted, article=article), sum(forms.values())


def _arabic_pool_names(data: NameData, seeds: Iterable[str]) -> Weighted[Name]:
    found = (_arabic_name(data, seed) for seed in seeds)
    return Weighted.of(pair for pair in found if pair is not None)


def _script_pool_names(data: NameData, specs: Sequence[str]) -> Weighted[Name]:
    """Arabic-script names with a preferred Latin form (Persian, Dari, Pashto, Urdu): the
    preferred form is written seven times in ten, the data's other spellings close to it
    (Hussain, Hussein) otherwise. The weight is the square root of the data's count, so that
    one name does not crowd out the rest (Persian and Urdu names are rarer in the data than
    Arabic ones)."""
    pairs = []
    for spec in specs:
        latin, _sep, original = spec.partition("|")
        forms = data.forms(original, min_share=0.1)
        others = [
            (latin_title(f), n)
            for f, n in forms
            if latin_title(f) != latin and SequenceMatcher(None, f, latin.lower()).ratio() >= 0.8
        ]
        total = sum(n for _f, n in forms)
        spellings = [(latin, 0.7 * max(total, 1))]
        spellings += [(f, 0.3 * n) for f, n in others]
        pairs.append((Name(original, Weighted.of(spellings)), math.sqrt(max(total, 10))))
    return Weighted.of(pairs)


def build_pools(data: NameData) -> dict[str, NamePool]:
    """Every community's names, keyed as ``nansen.demo.origins`` refers to them."""

    def latin(male, female, family=None, **kw) -> NamePool:
        native = kw.pop("native_latin", False)
        return NamePool(
            male=_ranked(male, native_latin=native),
            female=_ranked(female, native_latin=native),
            family=_ranked(family, native_latin=native) if family else None,
            **kw,
        )

    arabic_family = _arabic_pool_names(data, nl.ARABIC_FAMILY)
    pools = {
        "arabic": NamePool(
            male=_arabic_pool_names(data, nl.ARABIC_MALE),
            female=_arabic_pool_names(data, nl.ARABIC_FEMALE),
            family=arabic_family,
            data_backed=True,
        ),
        "iranian": NamePool(
            male=_script_pool_names(data, nl.IRANIAN_MALE),
            female=_script_pool_names(data, nl.IRANIAN_FEMALE),
            family=_script_pool_names(data, nl.IRANIAN_FAMILY),
            data_backed=True,
        ),
        "afghan": NamePool(
            male=_script_pool_names(data, nl.AFGHAN_MALE),
            female=_script_pool_names(data, nl.AFGHAN_FEMALE),
            family=_script_pool_names(data, nl.AFGHAN_FAMILY),
            data_backed=True,
        ),
        "pakistani": NamePool(
            male=_script_pool_names(data, nl.URDU_MALE),
            female=_script_pool_names(data, nl.URDU_FEMALE),
            family=_script_pool_names(data, nl.URDU_FAMILY),
            data_backed=True,
        ),
        "nepali": latin(nl.NEPALI_MALE, nl.NEPALI_FEMALE, nl.NEPALI_FAMILY),
        "burmese": latin(nl.BURMESE_MALE, nl.BURMESE_FEMALE, syllables=(2, 3), original_joiner=""),
        "chin": latin(nl.CHIN_MALE, nl.CHIN_FEMALE, syllables=(2, 3)),
        "rohingya": NamePool(
            male=_ranked(nl.ROHINGYA_MALE),
            female=_ranked(nl.ROHINGYA_FEMALE),
            male_second=_ranked(nl.ROHINGYA_MALE_SECOND),
            female_second=_ranked(nl.ROHINGYA_FEMALE_SECOND),
        ),
        "sinhala": latin(nl.SINHALA_MALE, nl.SINHALA_FEMALE, nl.SINHALA_FAMILY),
        "tamil": latin(nl.TAMIL_MALE, nl.TAMIL_FEMALE, nl.TAMIL_FATHERS),
        "turkish": latin(nl.TURKISH_MALE, nl.TURKISH_FEMALE, nl.TURKISH_FAMILY, native_latin=True),
        "kurdish": latin(nl.KURDISH_MALE, nl.KURDISH_FEMALE, nl.TURKISH_FAMILY, native_latin=True),
        "vietnamese": latin(
            nl.VIETNAMESE_MALE, nl.VIETNAMESE_FEMALE, nl.VIETNAMESE_FAMILY, native_latin=True
        ),
        "filipino": latin(nl.FILIPINO_MALE, nl.FILIPINO_FEMALE, nl.FILIPINO_FAMILY),
        "indonesian": latin(nl.INDONESIAN_MALE, nl.INDONESIAN_FEMALE, nl.INDONESIAN_FAMILY),
        "khmer": latin(nl.KHMER_MALE, nl.KHMER_FEMALE, nl.KHMER_FAMILY),
        "thai": latin(nl.THAI_MALE, nl.THAI_FEMALE, nl.THAI_FAMILY),
        "lao": latin(nl.LAO_MALE, nl.LAO_FEMALE, nl.LAO_FAMILY),
        "chinese": latin(nl.CHINESE_MALE, nl.CHINESE_FEMALE, nl.CHINESE_FAMILY),
        "korean": latin(nl.KOREAN_MALE, nl.KOREAN_FEMALE, nl.KOREAN_FAMILY),
        "bengali": latin(
            nl.BENGALI_MALE,
            nl.BENGALI_FEMALE,
            nl.BENGALI_FAMILY,
            family_female=_ranked(nl.BENGALI_FAMILY_FEMALE),
        ),
        "punjabi": latin(
            nl.PUNJABI_MALE,
            nl.PUNJABI_FEMALE,
            nl.PUNJABI_FAMILY,
            family_female=_ranked(nl.PUNJABI_FAMILY_FEMALE),
        ),
        "hindi": latin(nl.HINDI_MALE, nl.HINDI_FEMALE, nl.HINDI_FAMILY),
        "somali": latin(nl.SOMALI_MALE, nl.SOMALI_FEMALE),
        "ethiopian": latin(nl.ETHIOPIAN_MALE, nl.ETHIOPIAN_FEMALE),
        "south_sudanese": latin(nl.SOUTH_SUDANESE_MALE, nl.SOUTH_SUDANESE_FEMALE),
        "mongolian": latin(nl.MONGOLIAN_MALE, nl.MONGOLIAN_FEMALE),
        "central_asian": latin(
            nl.CENTRAL_ASIAN_MALE, nl.CENTRAL_ASIAN_FEMALE, nl.CENTRAL_ASIAN_FAMILY, slavic=True
        ),
        "russian": latin(nl.RUSSIAN_MALE, nl.RUSSIAN_FEMALE, nl.RUSSIAN_FAMILY, slavic=True),
        "ukrainian": latin(
            nl.UKRAINIAN_MALE, nl.UKRAINIAN_FEMALE, nl.UKRAINIAN_FAMILY, slavic=True
        ),
        "ghanaian": latin(nl.GHANAIAN_MALE, nl.GHANAIAN_FEMALE, nl.GHANAIAN_FAMILY),
        "nigerian": latin(nl.NIGERIAN_MALE, nl.NIGERIAN_FEMALE, nl.NIGERIAN_FAMILY),
        "cameroonian": latin(nl.CAMEROONIAN_MALE, nl.CAMEROONIAN_FEMALE, nl.CAMEROONIAN_FAMILY),
        "west_african_fr": latin(
            nl.WEST_AFRICAN_FR_MALE, nl.WEST_AFRICAN_FR_FEMALE, nl.WEST_AFRICAN_FR_FAMILY
        ),
        "west_african_en": latin(
            nl.WEST_AFRICAN_EN_MALE, nl.WEST_AFRICAN_EN_FEMALE, nl.WEST_AFRICAN_EN_FAMILY
        ),
        "east_african": latin(nl.EAST_AFRICAN_MALE, nl.EAST_AFRICAN_FEMALE, nl.EAST_AFRICAN_FAMILY),
        "central_african": latin(
            nl.CENTRAL_AFRICAN_MALE, nl.CENTRAL_AFRICAN_FEMALE, nl.CENTRAL_AFRICAN_FAMILY
        ),
        "latin_american": latin(
            nl.LATIN_AMERICAN_MALE, nl.LATIN_AMERICAN_FEMALE, nl.LATIN_AMERICAN_FAMILY
        ),
        "western": latin(nl.WESTERN_MALE, nl.WESTERN_FEMALE, nl.WESTERN_FAMILY),
    }
    return pools
