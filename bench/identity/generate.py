"""The transliteration benchmark: a synthetic registry with known duplicates.

Names come from the real transliteration data in ../shared/data/names through the demo's
name pools (nansen.demo.names): an Arabic-script name is written with one of the Latin forms
that share its Arabic spelling, drawn by how often each occurs; common names are common.
Persian, Dari and Somali names vary as their communities write them.

Each *person* is registered once or more: a duplicate record is the same person registered
again, at another bureau or years later, by another clerk: respelled names (another Latin
form of the same Arabic name), sometimes with the original script and sometimes without,
typing errors, a missing middle name or names in another order, a date of birth known to
another precision (year only, 1 January by convention, an estimate, day and month swapped,
a typing error), missing sex, nationality or place, a document on one record only. Families
register together and are duplicated together.

    python bench/identity/generate.py --persons 100000 --seed 7 \
        --out var/bench/translit-100k.parquet
"""

from __future__ import annotations

import argparse
import random
import string
import sys
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from nansen.core.reference_data import reference_data_dir
from nansen.demo.names import build_pools, load_name_data

NAMES_DIR = reference_data_dir() / "names"

COMMUNITIES = (  # pool, share, nationalities, places of birth
    (
        "arabic",
        0.62,
        ("SYR", "IRQ", "SDN", "YEM", "PSE", "EGY", "LBY"),
        (
            "Aleppo",
            "Halab",
            "Homs",
            "Damascus",
            "Dimashq",
            "Baghdad",
            "Mosul",
            "Khartoum",
            "Sanaa",
            "Gaza",
            "Benghazi",
            "Daraa",
            "Idlib",
            "Basra",
            "Raqqa",
        ),
    ),
    ("iranian", 0.1, ("IRN",), ("Tehran", "Mashhad", "Shiraz", "Tabriz", "Esfahan")),
    ("afghan", 0.12, ("AFG",), ("Kabul", "Herat", "Kandahar", "Mazar-i-Sharif", "Jalalabad")),
    ("somali", 0.16, ("SOM",), ("Mogadishu", "Muqdisho", "Kismayo", "Baidoa", "Hargeisa")),
)

# Somali names in Somali orthography and as English-language registers write them.
SOMALI_VARIANTS = {
    "Maxamed": ("Mohamed", "Mohammed", "Mahamed"),
    "Cabdi": ("Abdi",),
    "Cismaan": ("Osman", "Usman"),
    "Xasan": ("Hassan", "Hasan"),
    "Xuseen": ("Hussein", "Husein"),
    "Cali": ("Ali",),
    "Cumar": ("Omar", "Umar"),
    "Axmed": ("Ahmed",),
    "Faadumo": ("Fadumo", "Fatuma"),
    "Caasha": ("Asha", "Aisha"),
    "Xaliimo": ("Halimo", "Halima"),
    "Yuusuf": ("Yusuf", "Yussuf"),
    "Ibraahim": ("Ibrahim",),
    "Maryan": ("Mariam", "Maryam"),
    "Cabdullaahi": ("Abdullahi", "Abdilahi"),
    "Sahra": ("Sahra", "Sarah"),
    "Khadiija": ("Khadija", "Hadija"),
    "Muuse": ("Musa", "Mussa"),
    "Faarax": ("Farah", "Farax"),
    "Jaamac": ("Jama", "Jamac"),
    "Warsame": ("Warsame",),
    "Nuur": ("Nur", "Noor"),
    "Aadan": ("Adan", "Aden"),
    "Xirsi": ("Hirsi", "Hersi"),
    "Cawil": ("Awil", "Awale"),
    "Sacdiyo": ("Sadiya", "Sadia"),
    "Hodan": ("Hodan",),
    "Ayaan": ("Ayan", "Ayaan"),
    "Shukri": ("Shukri",),
    "Ismaaciil": ("Ismail", "Ismacil"),
}
SOMALI_MALE = [
    n
    for n in SOMALI_VARIANTS
    if n
    not in {
        "Faadumo",
        "Caasha",
        "Xaliimo",
        "Maryan",
        "Sahra",
        "Khadiija",
        "Sacdiyo",
        "Hodan",
        "Ayaan",
        "Shukri",
    }
]
SOMALI_FEMALE = [
    "Faadumo",
    "Caasha",
    "Xaliimo",
    "Maryan",
    "Sahra",
    "Khadiija",
    "Sacdiyo",
    "Hodan",
    "Ayaan",
    "Shukri",
]


class Name:
    """A name with its spellings: ``write(rng)`` draws one (another clerk, another form)."""

    def __init__(self, forms, original="", weights=None):
        self.forms, self.original, self.weights = list(forms), original, weights

    def write(self, rng: random.Random) -> str:
        if self.weights:
            return rng.choices(self.forms, self.weights)[0]
        return rng.choice(self.forms)


def _from_rendered(rendered, rng) -> Name:
    spellings = {rendered.latin}
    for _ in range(6):
        spellings.add(rendered.respelled(rng))
    forms = sorted(spellings)
    weights = [4 if f == rendered.latin else 1 for f in forms]
    return Name(forms, rendered.original, weights)


def _somali(rng, female: bool) -> Name:
    base = rng.choice(SOMALI_FEMALE if female else SOMALI_MALE)
    return Name([base, *SOMALI_VARIANTS[base]], "", [2] + [3] * len(SOMALI_VARIANTS[base]))


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 (reproducible synthetic data)
        self.pools = build_pools(load_name_data(NAMES_DIR))
        self.rows: list[dict] = []
        self.next_id = 0
        self.next_entity = 0

    def given(self, community: str, sex: str) -> Name:
        if community == "somali":
            return _somali(self.rng, sex == "F")
        return _from_rendered(self.pools[community].given(self.rng, sex), self.rng)

    def family(self, community: str, father: Name) -> Name:
        if community == "somali":  # Somali: the father's and grandfather's names
            return _somali(self.rng, False)
        rendered = self.pools[community].family_name(self.rng, "M")
        return _from_rendered(rendered, self.rng) if rendered else father

    def household(self) -> list[dict]:
        rng = self.rng
        community, _share, nationalities, places = rng.choices(
            COMMUNITIES, [c[1] for c in COMMUNITIES]
        )[0]
        nationality = rng.choice(nationalities)
        family = self.family(community, self.given(community, "M"))
        father = self.given(community, "M")
        head_year = rng.randint(1950, 2000)
        members = [("M", father, None, head_year)]
        if rng.random() < 0.6:
            members.append(("F", self.given(community, "F"), None, head_year + rng.randint(-3, 8)))
        for _ in range(rng.choice([0, 0, 1, 2, 2, 3, 4])):
            sex = rng.choice("MF")
            members.append(
                (sex, self.given(community, sex), father, head_year + rng.randint(20, 35))
            )
        people = []
        for sex, given, parent, year in members:
            year = min(year, 2025)
            people.append(
                {
                    "entity": self._entity(),
                    "community": community,
                    "sex": sex,
                    "given": given,
                    "middle": parent if parent is not None else self.given(community, "M"),
                    "family": family if community != "somali" else (parent or family),
                    "birth": date(year, 1, 1) + timedelta(days=rng.randint(0, 364)),
                    "nationality": nationality,
                    "place": rng.choice(places),
                    "passport": "".join(rng.choices(string.ascii_uppercase, k=2))
                    + "".join(rng.choices(string.digits, k=7))
                    if rng.random() < 0.3
                    else "",
                }
            )
        return people

    def _entity(self) -> int:
        self.next_entity += 1
        return self.next_entity

    def record(self, person: dict, family_names: list[str], *, first: bool) -> dict:
        rng = self.rng
        given = person["given"].write(rng) if not first else person["given"].forms[0]
        middle = person["middle"].write(rng)
        family = person["family"].write(rng)
        if not first:
            given, family = self._typo(given), self._typo(family)
        names = (
            [given, middle, family] if rng.random() < (0.55 if first else 0.35) else [given, family]
        )
        if not first and rng.random() < 0.05:
            names = [names[-1], *names[:-1]]
        original = ""
        if person["given"].original and rng.random() < 0.5:
            original = " ".join(
                n.original for n in (person["given"], person["family"]) if n.original
            )
        birth, precision = self._birth(person["birth"], first)
        self.next_id += 1
        return {
            "unique_id": self.next_id,
            "entity": person["entity"],
            "full_name": " ".join(names),
            "given_name": " ".join(names[:-1]),
            "family_name": names[-1],
            "original_name": original,
            "sex": "" if rng.random() < 0.03 else person["sex"],
            "birth_date": birth,
            "birth_precision": precision,
            "nationality": "" if rng.random() < 0.1 else person["nationality"],
            "place_of_birth": "" if rng.random() < 0.4 else person["place"],
            "passport": person["passport"] if rng.random() < 0.5 else "",
            "passport_country": person["nationality"],
            "family": "|".join(family_names),
        }

    def _typo(self, text: str) -> str:
        rng = self.rng
        if len(text) < 4 or rng.random() > 0.12:
            return text
        i = rng.randrange(1, len(text) - 1)
        kind = rng.random()
        if kind < 0.4:
            return text[:i] + text[i + 1 :]
        if kind < 0.7:
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text[:i] + rng.choice("aeioun") + text[i + 1 :]

    def _birth(self, real: date, first: bool) -> tuple[date | None, str]:
        r = self.rng.random()
        if r < 0.03:
            return None, "exact"
        if r < 0.55:
            return real, "exact"
        if r < 0.7:
            return date(real.year, 1, 1), "exact"  # 1 January by convention
        if r < 0.82:
            return date(real.year, 1, 1), "year"
        if r < 0.9:
            return date(real.year + self.rng.choice([-1, 0, 1]), 1, 1), "estimated"
        if r < 0.95 and not first and real.day <= 12:
            return date(real.year, real.day, real.month), "exact"  # day and month swapped
        if r < 0.98 and not first:
            return date(
                real.year + self.rng.choice([-1, 1]), real.month, min(real.day, 28)
            ), "exact"
        return date(real.year, real.month, 1), "month"

    def run(self, target: int, duplicate_share: float) -> None:
        while self.next_id < target:
            people = self.household()
            family_names = [
                [p["given"].write(self.rng) for p in people if p is not q] for q in people
            ]
            for person, fam in zip(people, family_names, strict=True):
                self.rows.append(self.record(person, fam, first=True))
            if self.rng.random() < duplicate_share:
                copies = 2 if self.rng.random() < 0.15 else 1
                for _ in range(copies):
                    for person, fam in zip(people, family_names, strict=True):
                        if self.rng.random() < 0.9:
                            again = [self._typo(n) for n in fam]
                            self.rows.append(self.record(person, again, first=False))
        del self.rows[target:]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=100_000, help="records in the registry")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--duplicates", type=float, default=0.25, help="share of households registered again"
    )
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generator = Generator(args.seed)
    generator.run(args.persons, args.duplicates)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist(generator.rows)
    pq.write_table(table, args.out)
    entities = len({r["entity"] for r in generator.rows})
    print(f"{len(generator.rows)} records of {entities} persons -> {args.out}")


if __name__ == "__main__":
    main()
