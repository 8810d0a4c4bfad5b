"""Write a registration import file of N persons in families, from real name data.

    python bench/imports/generate.py 1000000 /tmp/persons.csv [--encoding utf-8] [--seed 1]

Names: Arabic names with their Latin spelling (../shared/data/names/google_ar2en.tsv,
Apache-2.0); countries of origin weighted like the main origins of asylum applicants. Every
(name, date of birth) is unique, so the file imports without duplicate refusals.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from nansen.core.reference_data import reference_data_dir
from nansen.imports.columns import COLUMNS

NAMES = reference_data_dir() / "names" / "google_ar2en.tsv"
ORIGINS = [
    ("SYR", 30, "ara"),
    ("AFG", 20, "prs"),
    ("MMR", 8, "mya"),
    ("TUR", 8, "tur"),
    ("LKA", 6, "sin"),
    ("NPL", 6, "nep"),
    ("COD", 5, "lin"),
    ("IRN", 5, "fas"),
    ("SDN", 5, "ara"),
    ("ERI", 4, "tir"),
    ("UKR", 3, "ukr"),
]


def _names() -> list[tuple[str, str]]:
    pairs = []
    with NAMES.open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) >= 2 and parts[0] and parts[1] and " " not in parts[1]:
                pairs.append((parts[0], parts[1].title()))
    return pairs


def generate(count: int, path: Path, *, encoding: str = "utf-8", seed: int = 1) -> None:
    rng = random.Random(seed)  # noqa: S311 - synthetic test data
    names = _names()
    origins = [o for o, weight, _lang in ORIGINS for _ in range(weight)]
    language = {o: lang for o, _w, lang in ORIGINS}
    header = [c.name for c in COLUMNS]
    seen: set[tuple] = set()
    written = household = 0
    base = date(1950, 1, 1)
    with path.open("w", encoding=encoding, newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        while written < count:
            household += 1
            origin = rng.choice(origins)
            family_ar, family = rng.choice(names)
            size = min(rng.choice((1, 1, 2, 2, 3, 4, 5, 6)), count - written)
            for member in range(size):
                while True:
                    given_ar, given = rng.choice(names)
                    born = base + timedelta(days=rng.randrange(26000))
                    if rng.random() >= 0.8:
                        born = born.replace(day=1)  # written as YYYY-MM below
                    key = (given.lower(), family.lower(), born)
                    if key not in seen:
                        seen.add(key)
                        break
                relationship = (
                    "principal" if member == 0 else ("spouse" if member == 1 else "child")
                )
                birth = born.isoformat() if born.day != 1 else born.isoformat()[:7]
                row = {
                    "household": f"H{household}",
                    "relationship": relationship,
                    "given_name": given,
                    "family_name": family,
                    "given_name_original": given_ar,
                    "family_name_original": family_ar,
                    "sex": rng.choice("FM"),
                    "birth_date": birth,
                    "country_of_origin": origin,
                    "nationalities": origin,
                    "languages": language[origin],
                    "interpreter_needed": "yes" if rng.random() < 0.7 else "no",
                }
                if member == 0 and rng.random() < 0.5:
                    row.update(
                        document_type="passport",
                        document_number=f"N{rng.randrange(10**8):08d}",
                        document_issuing_country=origin,
                    )
                out.writerow([row.get(name, "") for name in header])
                written += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--encoding", default="utf-8")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.count, args.output, encoding=args.encoding, seed=args.seed)


if __name__ == "__main__":
    main()
