"""How text is prepared for the full-text index, and how a query is read.

Both databases index the same prepared text (``index_text``), so they find the same
passages; each ranks and highlights with its own engine (coi.search).

Languages:

* English (and other languages with a PostgreSQL stemmer: French, Spanish, Russian…):
  PostgreSQL stems with the source language's configuration (``english``, ``french``…);
  SQLite's FTS5 uses its Porter stemmer (English) on every word, which is harmless for
  other Latin-script languages but does not stem them.
* Arabic: the text is lightly normalised before indexing (short vowels, shadda and tatweel
  removed; the alef forms أ إ آ ٱ folded to ا), and a query word also matches its forms
  with the common clitic prefixes (ال، و، ف، ب، ل، وال، بال، لل…). PostgreSQL adds its
  Snowball Arabic stemmer (configuration ``arabic``).
* Japanese, Chinese, Korean: written without spaces, so no engine here can find words in
  them. Every CJK character is indexed as its own token and a query word is searched as
  the phrase of its characters: exact substring matching (a search for 兵役 finds 兵役義務
  but not 兵士の役割), with the configuration ``simple`` on PostgreSQL. This needs no
  dictionary (MeCab and the like), at the price of no inflection matching; ranking still
  counts how many query words a passage contains and how rare they are.
* Any other language: the ``simple`` configuration (lower case, no stemming).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

# ISO 639-3 → PostgreSQL text-search configuration (those PostgreSQL ships); anything else
# uses "simple".
PG_CONFIGS = {
    "ara": "arabic",
    "cat": "catalan",
    "dan": "danish",
    "deu": "german",
    "ell": "greek",
    "eng": "english",
    "eus": "basque",
    "fin": "finnish",
    "fra": "french",
    "gle": "irish",
    "hin": "hindi",
    "hun": "hungarian",
    "hye": "armenian",
    "ind": "indonesian",
    "ita": "italian",
    "lit": "lithuanian",
    "nep": "nepali",
    "nld": "dutch",
    "nor": "norwegian",
    "por": "portuguese",
    "ron": "romanian",
    "rus": "russian",
    "spa": "spanish",
    "srp": "serbian",
    "swe": "swedish",
    "tam": "tamil",
    "tur": "turkish",
    "yid": "yiddish",
}
CONFIGS = frozenset({"simple", *PG_CONFIGS.values()})

# Han, Hiragana, Katakana (with the prolonged sound mark), Hangul, CJK punctuation-free.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u31f0-\u31ff"
CJK_CHAR = re.compile(f"[{_CJK}]")
# With CJK punctuation and full-width forms: no space was ever written between them.
_CJK_WIDE = _CJK + "\u3000-\u303f\uff00-\uffef"
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_ALEF = str.maketrans(
    {"\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627", "\u0671": "\u0627"}
)
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
# Clitics written together with the word: conjunctions, prepositions, the article.
ARABIC_PREFIXES = ("ال", "وال", "فال", "بال", "كال", "لل", "و", "ف", "ب", "ل", "ك")
# Only the most frequent English function words: they would match nearly every passage.
_STOP_WORDS = (
    "a an and are as at be by for from has have in is it its of on or that the this "
    "to was were which who will with"
)
STOP_WORDS = frozenset(_STOP_WORDS.split())
START, STOP = "\x02", "\x03"


def pg_config(language: str) -> str:
    return PG_CONFIGS.get(language, "simple")


def normalise(text: str) -> str:
    """NFKC (full-width Latin and half-width kana become ordinary), Arabic folded."""
    text = unicodedata.normalize("NFKC", text)
    return _ARABIC_MARKS.sub("", text).translate(_ARABIC_ALEF)


def index_text(text: str) -> str:
    """The text as the index sees it: normalised, every CJK character a word of its own."""
    spaced = CJK_CHAR.sub(lambda m: f" {m.group(0)} ", normalise(text))
    return re.sub(r"[ \t]+", " ", spaced).strip()


def display_text(indexed: str) -> str:
    """Undo the spacing ``index_text`` put between CJK characters (for snippets)."""
    marks = f"[{START}{STOP}]*"
    pattern = re.compile(f"(?<=[{_CJK_WIDE}]){marks} {marks}(?=[{_CJK_WIDE}])")
    return pattern.sub(lambda m: m.group(0).replace(" ", ""), indexed)


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word (with its alternative forms) or a phrase."""

    words: tuple[str, ...]
    alternatives: tuple[tuple[str, ...], ...] = ()

    @property
    def forms(self) -> tuple[tuple[str, ...], ...]:
        return (self.words, *self.alternatives)


_QUOTED = re.compile(r'"([^"]+)"')
_WORD = re.compile(r"\w+", re.UNICODE)


def _arabic_forms(word: str) -> tuple[tuple[str, ...], ...]:
    forms = [(prefix + word,) for prefix in ARABIC_PREFIXES]
    for prefix in ARABIC_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            stem = word[len(prefix) :]
            forms.append((stem,))
            forms += [(p + stem,) for p in ARABIC_PREFIXES if p != prefix]
            break
    return tuple(dict.fromkeys(f for f in forms if f != (word,)))


def _words(text: str) -> list[str]:
    return [w for token in index_text(text).lower().split() for w in _WORD.findall(token)]


def _terms_of(chunk: str, phrase: bool) -> list[Term]:
    if phrase:
        words = _words(chunk)
        return [Term(tuple(words))] if words else []
    terms: list[Term] = []
    for token in chunk.split():
        run: list[str] = []
        for word in [*_words(token), ""]:
            if word and CJK_CHAR.fullmatch(word):
                run.append(word)
                continue
            if run:
                terms.append(Term(tuple(run)))
                run = []
            if not word or word in STOP_WORDS:
                continue
            if _ARABIC_LETTER.match(word):
                terms.append(Term((word,), _arabic_forms(word)))
            else:
                terms.append(Term((word,)))
    return terms


def parse_query(query: str) -> list[Term]:
    """The terms of a query: each word, each quoted "phrase", each run of CJK characters."""
    terms: list[Term] = []
    position = 0
    for match in _QUOTED.finditer(query):
        terms += _terms_of(query[position : match.start()], phrase=False)
        terms += _terms_of(match.group(1), phrase=True)
        position = match.end()
    terms += _terms_of(query[position:], phrase=False)
    return list(dict.fromkeys(terms))


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: any of the terms (OR), each form a quoted phrase."""

    def phrase(words: tuple[str, ...]) -> str:
        return '"' + " ".join(w.replace('"', '""') for w in words) + '"'

    parts = []
    for term in terms:
        forms = [phrase(f) for f in term.forms]
        parts.append(forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")")
    return " OR ".join(parts)


def highlighted(snippet: str) -> SafeString:
    """An engine's snippet with START/STOP markers, as HTML with <mark> around matches."""
    text = display_text(snippet)
    text = re.sub(f"{STOP}(\\s*){START}", r"\1", text)
    escaped = html.escape(text)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def plain(snippet: str) -> str:
    return display_text(snippet).replace(START, "").replace(STOP, "")


# --- splitting a text into passages ---------------------------------------------------------

MAX_PASSAGE = 1500
_SENTENCE_END = re.compile(r"(?<=[.!?。！？؟])\s+")


def paragraphs(text: str) -> list[str]:
    """The paragraphs of a text: blocks separated by blank lines (lines inside a block are
    joined), a very long block cut at sentence ends."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    found = []
    for block in blocks:
        joined = re.sub(r"\s*\n\s*", " ", block).strip()
        if not joined:
            continue
        while len(joined) > MAX_PASSAGE:
            cut = _cut_at_sentence(joined)
            found.append(joined[:cut].strip())
            joined = joined[cut:].strip()
        if joined:
            found.append(joined)
    return found


def _cut_at_sentence(text: str) -> int:
    best = 0
    for match in _SENTENCE_END.finditer(text, 0, MAX_PASSAGE):
        best = match.end()
    if best >= MAX_PASSAGE // 3:
        return best
    space = text.rfind(" ", 0, MAX_PASSAGE)
    return space if space > MAX_PASSAGE // 3 else MAX_PASSAGE
