"""The Syrian pledges reported in 2015, as the demo records them: each revision as a report
gave it, with its source ("as reported") and notes saying what was assumed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nansen.procedures.models import Outcome
from nansen.resettlement.models import ProgrammeType

UNHCR_TABLE_2014 = (
    "UNHCR, “Finding solutions for Syrian refugees: resettlement and other forms of "
    "admission of Syrian refugees”, table of confirmed pledges, 27 November 2014 (as reported)"
)
UNHCR_TABLE_2014_URL = (
    "https://docslib.org/doc/4604739/1-finding-solutions-for-syrian-refugees-resettlement-and"
)


@dataclass(frozen=True)
class Revision:
    terms: dict
    reason: str = ""


@dataclass(frozen=True)
class PledgeSpec:
    key: str
    revisions: tuple[Revision, ...]


def _syr(**terms) -> dict:
    return {"target_nationalities": ["SYR"], **terms}


PLEDGES: tuple[PledgeSpec, ...] = (
    PledgeSpec(
        "AUS",
        (
            Revision(
                _syr(
                    receiving_country="AUS",
                    programme_type=ProgrammeType.RESETTLEMENT,
                    title="Syrians: resettlement and the Special Humanitarian Programme",
                    places=5600,
                    period_start=date(2013, 7, 1),
                    period_end=date(2017, 6, 30),
                    announced_on=date(2014, 11, 27),
                    source_title=UNHCR_TABLE_2014,
                    source_url=UNHCR_TABLE_2014_URL,
                    notes=(
                        "As reported: 5,600 places for Syrians through resettlement and the "
                        "Special Humanitarian Programme — 1,114 granted until 30 June 2014 and "
                        "at least 4,500 over the three years to 30 June 2017. The announcement "
                        "date is that of the UNHCR table; the period starts with Australia's "
                        "2013–14 programme year (assumed). On 9 September 2015 Australia "
                        "announced 12,000 further places for Syrians and Iraqis: a separate "
                        "pledge, not recorded here."
                    ),
                )
            ),
        ),
    ),
    PledgeSpec(
        "FRA",
        (
            Revision(
                _syr(
                    receiving_country="FRA",
                    programme_type=ProgrammeType.RESETTLEMENT,
                    title="Syrians: resettlement and humanitarian admission",
                    places=500,
                    period_start=date(2014, 1, 1),
                    period_end=date(2016, 12, 31),
                    announced_on=date(2014, 7, 1),
                    source_title=(
                        "UN Tribune, “The 22 countries that have agreed to resettle Syrian "
                        "refugees” (data provided by UNHCR), 1 July 2014 (as reported)"
                    ),
                    source_url="http://untribune.com/22-countries-agreed-resettle-syrian-refugees/",
                    notes=(
                        "The period is assumed from UNHCR's appeal (places by the end of "
                        "2016); the reports give none."
                    ),
                )
            ),
            Revision(
                _syr(
                    receiving_country="FRA",
                    programme_type=ProgrammeType.RESETTLEMENT,
                    title="Syrians: resettlement and humanitarian admission",
                    places=1000,
                    period_start=date(2014, 1, 1),
                    period_end=date(2016, 12, 31),
                    announced_on=date(2014, 12, 9),
                    source_title=(
                        "ECRE, “European States offer 4,000 extra places for refugees fleeing "
                        "Syria at resettlement conference”, 12 December 2014 (as reported)"
                    ),
                    source_url=(
                        "https://ecre.org/european-states-offer-4000-extra-places-for-refugees-"
                        "fleeing-syria-at-resettlement-conference/"
                    ),
                    notes=(
                        "As reported: France pledged 500 additional places at UNHCR's "
                        "ministerial pledging conference in Geneva on 9 December 2014, 1,000 "
                        "in all. The period is assumed from UNHCR's appeal (places by the end "
                        "of 2016); the reports give none."
                    ),
                ),
                reason="500 additional places pledged in Geneva on 9 December 2014.",
            ),
        ),
    ),
    PledgeSpec(
        "DEU",
        (
            Revision(
                _syr(
                    receiving_country="DEU",
                    programme_type=ProgrammeType.HUMANITARIAN_ADMISSION,
                    title="Syrians: federal and Länder humanitarian admission programmes",
                    places=20000,
                    period_start=date(2013, 3, 1),
                    announced_on=date(2014, 6, 13),
                    source_title=(
                        "UNHCR, “UNHCR welcomes Germany's decision to extend Humanitarian "
                        "Admission Programme to an additional 10,000 Syrian refugees”, news "
                        "release, 13 June 2014 (as reported)"
                    ),
                    source_url=(
                        "https://www.unhcr.org/us/news/news-releases/unhcr-welcomes-germanys-"
                        "decision-extend-humanitarian-admission-programme"
                    ),
                    notes=(
                        "20,000 places in the federal programmes of 2013 and 2014; the Länder "
                        "programmes for Syrians with relatives in Germany had issued about "
                        "5,500 visas (not counted as places)."
                    ),
                )
            ),
            Revision(
                _syr(
                    receiving_country="DEU",
                    programme_type=ProgrammeType.HUMANITARIAN_ADMISSION,
                    title="Syrians: federal and Länder humanitarian admission programmes",
                    places=30000,
                    period_start=date(2013, 3, 1),
                    announced_on=date(2014, 11, 27),
                    source_title=UNHCR_TABLE_2014,
                    source_url=UNHCR_TABLE_2014_URL,
                    notes=(
                        "As reported: 20,000 humanitarian admission and 10,000 individual "
                        "sponsorship (the Länder programmes for relatives)."
                    ),
                ),
                reason="UNHCR's table counts the Länder sponsorship programmes as well.",
            ),
            Revision(
                _syr(
                    receiving_country="DEU",
                    programme_type=ProgrammeType.HUMANITARIAN_ADMISSION,
                    title="Syrians: federal and Länder humanitarian admission programmes",
                    places=35000,
                    period_start=date(2013, 3, 1),
                    announced_on=date(2015, 9, 1),
                    source_title=(
                        "Pledges for Syrian refugees as reported in 2015: Germany 35,000 since "
                        "2013 (20,000 federal humanitarian admission, the rest under the "
                        "Länder sponsorship programmes)"
                    ),
                    notes=(
                        "The 2015 document that gave 35,000 could not be checked here, and "
                        "the date (September 2015) is approximate; the reports linked in "
                        "revisions 1 and 2 and The Canadian Press overview of 25 November "
                        "2015 (20,000 humanitarian admission, 18,500 individual sponsorship) "
                        "bracket the figure."
                    ),
                ),
                reason="Figure as reported in 2015.",
            ),
        ),
    ),
    PledgeSpec(
        "JPN",
        (
            Revision(
                _syr(
                    receiving_country="JPN",
                    programme_type=ProgrammeType.EDUCATION,
                    title="Syrian refugees as students",
                    places=None,
                    announced_on=date(2015, 9, 28),
                    source_title=(
                        "The Japan Times, “Several groups urge Abe to pledge to accept Syrian "
                        "refugees”, 28 September 2015 (as reported)"
                    ),
                    source_url=(
                        "https://www.japantimes.co.jp/news/2015/09/28/national/several-groups-"
                        "urge-abe-pledge-accept-syrian-refugees/"
                    ),
                    eligible_outcomes=[Outcome.RECOGNIZED, Outcome.COMPLEMENTARY],
                    notes=(
                        "Under consideration: media reports said Japan was eyeing accepting "
                        "“dozens” of Syrian refugee students; no number was announced."
                    ),
                )
            ),
            Revision(
                _syr(
                    receiving_country="JPN",
                    programme_type=ProgrammeType.EDUCATION,
                    title="Syrian refugees as students",
                    places=150,
                    target_groups="Syrian refugees in Lebanon and Jordan, selected with UNHCR",
                    period_start=date(2017, 1, 1),
                    period_end=date(2021, 12, 31),
                    announced_on=date(2016, 5, 20),
                    source_title=(
                        "The Japan Times, “Japanese activist groups call on Abe to boost "
                        "support for Syrian refugees”, 23 May 2016 (as reported)"
                    ),
                    source_url=(
                        "https://www.japantimes.co.jp/news/2016/05/23/national/japanese-"
                        "activist-groups-call-abe-boost-support-syrian-refugees"
                    ),
                    eligible_outcomes=[Outcome.RECOGNIZED, Outcome.COMPLEMENTARY],
                    notes=(
                        "As reported: up to 150 Syrian refugees as students over five years, "
                        "selected with UNHCR among refugees in Lebanon and Jordan; spouses "
                        "and children may come with them, so more persons arrive than places. "
                        "The announcement date (the week before the report) is approximate. "
                        "Lebanon and Jordan are named under groups, not as countries of first "
                        "asylum, so the demo's UNHCR Malaysia office can show an education "
                        "referral."
                    ),
                ),
                reason="Prime Minister Abe announced 150 places over five years (May 2016).",
            ),
        ),
    ),
)
