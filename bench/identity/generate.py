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
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from nansen.core.reference_data import reference_data_dir
from nansen.demo.names import Name as DemoName
from nansen.demo.names import Weighted, _arabic_name, build_pools, load_name_data

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

# Somali names in Somali orthography and as English-language registers write them, the
# commonest first (a name's weight falls with its rank). A Somali is named with the given
# names of the father and the grandfather; there is no family name.
SOMALI_MALE_VARIANTS = {
    "Maxamed": ("Mohamed", "Mohammed", "Mahamed"),
    "Cabdi": ("Abdi",),
    "Axmed": ("Ahmed",),
    "Cali": ("Ali",),
    "Xasan": ("Hassan", "Hasan"),
    "Maxamuud": ("Mohamud", "Mohamoud", "Mahmoud"),
    "Cabdullaahi": ("Abdullahi", "Abdilahi"),
    "Cumar": ("Omar", "Umar"),
    "Xuseen": ("Hussein", "Husein"),
    "Yuusuf": ("Yusuf", "Yussuf"),
    "Cismaan": ("Osman", "Usman"),
    "Ibraahim": ("Ibrahim",),
    "Faarax": ("Farah", "Farax"),
    "Jaamac": ("Jama", "Jamac"),
    "Nuur": ("Nur", "Noor"),
    "Aadan": ("Adan", "Aden"),
    "Muuse": ("Musa", "Mussa"),
    "Cabdiraxmaan": ("Abdirahman", "Abdurahman"),
    "Ismaaciil": ("Ismail", "Ismacil"),
    "Warsame": ("Warsame",),
    "Xirsi": ("Hirsi", "Hersi"),
    "Saciid": ("Said", "Saeed"),
    "Cabdiqaadir": ("Abdikadir", "Abdulkadir"),
    "Cawil": ("Awil", "Awale"),
    "Cabdirisaaq": ("Abdirizak", "Abdirazak"),
    "Yaasiin": ("Yasin", "Yassin"),
    "Bashiir": ("Bashir",),
    "Daahir": ("Dahir", "Daher"),
    "Ciise": ("Isse", "Issa"),
    "Cabdikariim": ("Abdikarim", "Abdulkarim"),
    "Jibriil": ("Jibril",),
    "Qaasim": ("Kasim", "Qasim"),
    "Liibaan": ("Liban",),
    "Mukhtaar": ("Mukhtar",),
    "Mustafe": ("Mustafa", "Mustafe"),
    "Rooble": ("Roble",),
    "Shire": ("Shire",),
    "Salaad": ("Salad",),
    "Samatar": ("Samatar",),
    "Siyaad": ("Siad", "Siyad"),
    "Yoonis": ("Yonis", "Yunis"),
    "Xareed": ("Hared",),
    "Cilmi": ("Elmi",),
    "Cigaal": ("Egal",),
    "Ducaale": ("Duale", "Dualeh"),
    "Geedi": ("Gedi",),
    "Barre": ("Barre",),
    "Guuleed": ("Guled",),
    "Khaliif": ("Khalif",),
    "Sharmaarke": ("Sharmarke",),
    "Idiris": ("Idris",),
    "Xamza": ("Hamza",),
    "Abuukar": ("Abukar", "Abubakar"),
    "Sulaymaan": ("Suleiman", "Sulayman"),
    "Mahad": ("Mahad",),
    "Xaashi": ("Hashi",),
    "Caydiid": ("Aidid",),
    "Dalmar": ("Dalmar",),
    "Faysal": ("Faisal",),
    "Bile": ("Bile",),
    "Galaal": ("Galal",),
    "Keynaan": ("Kenan",),
    "Nuux": ("Nuh",),
    "Shariif": ("Sharif",),
    "Saalax": ("Salah",),
    "Jimcaale": ("Jimale",),
    "Qorane": ("Korane",),
    "Cabdinaasir": ("Abdinasir", "Abdinasser"),
    "Cabdisalaan": ("Abdisalam", "Abdisalan"),
    "Cabdiwali": ("Abdiwali", "Abdiweli"),
    "Cabdifitaax": ("Abdifatah",),
    "Cabdicasiis": ("Abdiaziz", "Abdulaziz"),
    "Cabdixakiim": ("Abdihakim",),
}
SOMALI_FEMALE_VARIANTS = {
    "Faadumo": ("Fadumo", "Fatuma"),
    "Caasha": ("Asha", "Aisha"),
    "Maryan": ("Mariam", "Maryam"),
    "Xaliimo": ("Halimo", "Halima"),
    "Aamina": ("Amina",),
    "Khadiija": ("Khadija", "Hadija"),
    "Sahra": ("Sahra", "Sarah"),
    "Xaawo": ("Hawa",),
    "Hodan": ("Hodan",),
    "Sacdiyo": ("Sadiya", "Sadia"),
    "Ayaan": ("Ayan", "Ayaan"),
    "Shukri": ("Shukri",),
    "Ifraax": ("Ifrah",),
    "Ilhaan": ("Ilhan",),
    "Leyla": ("Layla", "Leila"),
    "Nimco": ("Nimo",),
    "Safiyo": ("Safiya",),
    "Sagal": ("Sagal",),
    "Sucaad": ("Suad",),
    "Samsam": ("Zamzam",),
    "Zaynab": ("Zeynab", "Zainab"),
    "Ubax": ("Ubah",),
    "Hibo": ("Hibo",),
    "Deeqa": ("Deka",),
    "Fowsiya": ("Fawzia", "Fowsia"),
    "Xamdi": ("Hamdi",),
    "Idil": ("Idil",),
    "Khadra": ("Khadra",),
    "Muna": ("Muna",),
    "Nacima": ("Naima",),
    "Ruqiya": ("Rukia", "Ruqiya"),
    "Farxiya": ("Farhia",),
    "Canab": ("Anab",),
    "Kaltuun": ("Kaltun",),
    "Hinda": ("Hinda",),
    "Jamiila": ("Jamila",),
    "Samiira": ("Samira",),
    "Ladan": ("Ladan",),
    "Nasteexo": ("Nasteho",),
    "Ikraan": ("Ikran",),
}
SOMALI_MALE = Weighted.ranked(tuple(SOMALI_MALE_VARIANTS))
SOMALI_FEMALE = Weighted.ranked(tuple(SOMALI_FEMALE_VARIANTS))
SOMALI_VARIANTS = SOMALI_MALE_VARIANTS | SOMALI_FEMALE_VARIANTS

# Family names formed from a given name, as most Iranian and many Afghan family names are
# (Ahmadi, Hosseinzadeh, Rezapour, Karimian; Ahmadzai, Rahimi): Latin suffix, Persian
# suffix, weight.
PERSIAN_SUFFIXES = (
    ("i", "ی", 6),
    ("zadeh", "زاده", 2),
    ("pour", "پور", 1.5),
    ("nejad", "نژاد", 1),
    ("ian", "یان", 1),
    ("far", "فر", 0.5),
)
AFGHAN_SUFFIXES = (("i", "ی", 5), ("zai", "زی", 3), ("yar", "یار", 1), ("khil", "خیل", 0.5))


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
    base = (SOMALI_FEMALE if female else SOMALI_MALE).pick(rng)
    return Name([base, *SOMALI_VARIANTS[base]], "", [2] + [3] * len(SOMALI_VARIANTS[base]))


def _weighted_items(weighted: Weighted) -> list[tuple[object, float]]:
    previous, out = 0.0, []
    for item, cumulative in zip(weighted.items, weighted.cumulative, strict=True):
        out.append((item, cumulative - previous))
        previous = cumulative
    return out


def _formed_family_names(
    given: list[tuple[DemoName, float]], suffixes
) -> list[tuple[DemoName, float]]:
    """Family names formed from the given names of a pool with the community's suffixes
    (Karim -> Karimi, Karimzadeh, Karimpour; Ahmad -> Ahmadzai), every Latin spelling of
    the given name carried over (Hossein, Hussein -> Hosseini, Husseini)."""
    out = []
    for name, weight in given:
        if not name.original or name.original.endswith(("ه", "ی", "ي", "ى")):
            continue
        for latin_suffix, original_suffix, suffix_weight in suffixes:
            forms = []
            for form, form_weight in _weighted_items(name.forms):
                base = form.replace(" ", "")
                if base[-1] in "aeiou" and latin_suffix[0] in "aeiou":
                    base += "e" if latin_suffix == "i" else "y"
                forms.append((base + latin_suffix, form_weight))
            original = name.original.replace(" ", "")
            if original.endswith("ا") and original_suffix.startswith("ی"):
                original += "ی"
            out.append(
                (DemoName(original + original_suffix, Weighted.of(forms)), weight * suffix_weight)
            )
    return out


def _nisba_names(data) -> list[tuple[DemoName, float]]:
    """Arabic family names of origin or descent with the article (al-Halabi, al-Nabulsi,
    al-Azhari): every such name among the Wikipedia name pairs."""
    seeds = []
    with (NAMES_DIR / "google_ar2en.tsv").open(encoding="utf-8") as lines:
        for line in lines:
            arabic = line.split("\t", 1)[0].strip()
            if arabic.startswith("ال") and arabic.endswith("ي") and len(arabic) >= 5:
                seeds.append(arabic)
    found = (_arabic_name(data, seed) for seed in sorted(set(seeds)))
    return [pair for pair in found if pair is not None]


def _mixed(*parts: tuple[list[tuple[object, float]], float]) -> Weighted:
    """Several weighted lists as one, each list given a share of the draws."""
    pairs = []
    for items, share in parts:
        total = sum(w for _i, w in items)
        pairs += [(item, share * w / total) for item, w in items]
    return Weighted.of(pairs)


def wider_pools(data) -> dict:
    """The demo's pools with family names in the numbers a national registry meets: the
    demo's few dozen per community stay the commonest, and the long tail is added."""
    pools = build_pools(data)
    arabic, iranian, afghan = pools["arabic"], pools["iranian"], pools["afghan"]
    persian_given = _weighted_items(iranian.male) + _weighted_items(arabic.male)
    pools["arabic"] = replace(
        arabic,
        family=_mixed((_weighted_items(arabic.family), 0.5), (_nisba_names(data), 0.5)),
    )
    pools["iranian"] = replace(
        iranian,
        family=_mixed(
            (_weighted_items(iranian.family), 0.4),
            (_formed_family_names(persian_given, PERSIAN_SUFFIXES), 0.6),
        ),
    )
    pools["afghan"] = replace(
        afghan,
        family=_mixed(
            (_weighted_items(afghan.family), 0.4),
            (_formed_family_names(persian_given, AFGHAN_SUFFIXES), 0.6),
        ),
    )
    return pools


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)  # noqa: S311 (reproducible synthetic data)
        self.pools = wider_pools(load_name_data(NAMES_DIR))
        self.rows: list[dict] = []
        self.next_id = 0
        self.next_entity = 0
        self.next_case = 0

    def given(self, community: str, sex: str) -> Name:
        if community == "somali":
            return _somali(self.rng, sex == "F")
        return _from_rendered(self.pools[community].given(self.rng, sex), self.rng)

    def family(self, community: str) -> Name:
        rendered = self.pools[community].family_name(self.rng, "M")
        return _from_rendered(rendered, self.rng) if rendered else self.given(community, "M")

    def household(self) -> list[dict]:
        """A family: a man, often his wife, their children. Somali names, and three in ten
        Arabic ones, are patronymic (given name, father's, grandfather's: the children take
        their father's and his father's names); otherwise the children take the family name.
        A wife keeps her own names."""
        rng = self.rng
        community, _share, nationalities, places = rng.choices(
            COMMUNITIES, [c[1] for c in COMMUNITIES]
        )[0]
        nationality = rng.choice(nationalities)
        patronymic = community == "somali" or (community == "arabic" and rng.random() < 0.3)
        father = self.given(community, "M")
        father_middle = self.given(community, "M")
        father_last = self.given(community, "M") if patronymic else self.family(community)
        head_year = rng.randint(1950, 2000)
        members = [("M", father, father_middle, father_last, head_year)]
        if rng.random() < 0.6:
            own_last = (
                self.given(community, "M")
                if patronymic
                else (self.family(community) if rng.random() < 0.7 else father_last)
            )
            members.append(
                (
                    "F",
                    self.given(community, "F"),
                    self.given(community, "M"),
                    own_last,
                    head_year + rng.randint(-3, 8),
                )
            )
        child_last = father_middle if patronymic else father_last
        for _ in range(rng.choice([0, 0, 1, 2, 2, 3, 4])):
            sex = rng.choice("MF")
            # A child is not named as a parent or a brother or sister is (naming after a
            # grandfather is common, after a living member of the household is not).
            taken = {form.casefold() for m in members for form in m[1].forms}
            given = self.given(community, sex)
            for _again in range(20):
                if not taken & {form.casefold() for form in given.forms}:
                    break
                given = self.given(community, sex)
            members.append(
                (
                    sex,
                    given,
                    father,
                    child_last,
                    head_year + rng.randint(20, 35),
                )
            )
        people = []
        for sex, given, middle, last, year in members:
            year = min(year, 2025)
            people.append(
                {
                    "entity": self._entity(),
                    "community": community,
                    "sex": sex,
                    "given": given,
                    "middle": middle,
                    "family": last,
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

    def record(self, person: dict, *, first: bool, case: int) -> dict:
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
            "case": case,
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
            "family": "",  # set by _register, once the registration's records are written
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
            self._register(people, first=True)
            if self.rng.random() < duplicate_share:
                copies = 2 if self.rng.random() < 0.15 else 1
                for _ in range(copies):
                    self._register([p for p in people if self.rng.random() < 0.9], first=False)
        del self.rows[target:]

    def _register(self, people: list[dict], *, first: bool) -> None:
        """One registration, one case: a record for each member who came, each naming the
        others by their given names as written in this registration, as Nansen derives a
        person's family from the members of their case."""
        self.next_case += 1
        records = [self.record(person, first=first, case=self.next_case) for person in people]
        for record in records:
            record["family"] = "|".join(r["given_name"] for r in records if r is not record)
        self.rows.extend(records)


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
