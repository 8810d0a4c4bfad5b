"""Who the demo's applicants are, per country of origin: the communities they belong to,
how those communities name people, the languages they speak, where they were born.

Every country of origin found in the UNHCR application data for Japan and Malaysia has an
entry; anything else (a later edition of the data) falls back to ``FALLBACK``.
"""

from __future__ import annotations

from dataclasses import dataclass

# How family names pass within a family:
#   shared      the spouse takes the principal's family name, the children too
#   paternal    the spouse keeps her or his own; the children take the father's
#   patronymic  a person's "family name" is the father's given name
#   none        no family names (Burmese, Rohingya): everyone has only given names
SHARED, PATERNAL, PATRONYMIC, NONE = "shared", "paternal", "patronymic", "none"


@dataclass(frozen=True)
class Community:
    pool: str
    convention: str
    languages: tuple[tuple[str, float], ...]
    second_languages: tuple[str, ...] = ()  # sometimes spoken as well
    family_name_rate: float = 1.0  # share of families with a family name at all
    stateless: bool = False
    interpreter_rate: float = 0.92
    places: tuple[str, ...] = ()  # overrides the origin's places of birth


def _c(pool: str, convention: str, *languages: str | tuple[str, float], **kw) -> Community:
    langs = tuple((lang, 1.0) if isinstance(lang, str) else lang for lang in languages)
    return Community(pool, convention, langs, **kw)


def _one(community: Community) -> tuple[tuple[Community, float], ...]:
    return ((community, 1.0),)


_ARAB = "arabic"
_ENGLISH_SPEAKING = {"interpreter_rate": 0.35}

ORIGINS: dict[str, tuple[tuple[Community, float], ...]] = {
    # Arabic-speaking countries: Arabic-script names with Latin spellings from the data.
    "SYR": (
        (_c(_ARAB, PATERNAL, ("ara", 0.6), ("apc", 0.4), second_languages=("eng",)), 0.88),
        (
            _c(
                _ARAB,
                PATERNAL,
                "kmr",
                second_languages=("ara",),
                places=("Qamishli", "Hasakah", "Kobani", "Afrin"),
            ),
            0.12,
        ),
    ),
    "IRQ": (
        (_c(_ARAB, PATERNAL, ("ara", 0.6), ("acm", 0.4)), 0.8),
        (
            _c(
                _ARAB,
                PATERNAL,
                "ckb",
                second_languages=("ara",),
                places=("Erbil", "Sulaymaniyah", "Duhok", "Kirkuk"),
            ),
            0.2,
        ),
    ),
    "YEM": _one(_c(_ARAB, PATERNAL, "ara")),
    "SDN": _one(_c(_ARAB, PATRONYMIC, ("apd", 0.5), ("ara", 0.5), second_languages=("eng",))),
    "EGY": _one(_c(_ARAB, PATRONYMIC, ("arz", 0.6), ("ara", 0.4), second_languages=("eng",))),
    "LBY": _one(_c(_ARAB, PATERNAL, ("ayl", 0.5), ("ara", 0.5))),
    "PSE": _one(_c(_ARAB, PATERNAL, ("ara", 0.6), ("apc", 0.4))),
    "JOR": _one(_c(_ARAB, PATERNAL, ("ara", 0.6), ("apc", 0.4))),
    "LBN": _one(_c(_ARAB, PATERNAL, ("apc", 0.6), ("ara", 0.4), second_languages=("fra",))),
    "SAU": _one(_c(_ARAB, PATERNAL, "ara")),
    "TUN": _one(_c(_ARAB, PATERNAL, ("aeb", 0.6), ("ara", 0.4), second_languages=("fra",))),
    "DZA": _one(_c(_ARAB, PATERNAL, ("arq", 0.6), ("ara", 0.4), second_languages=("fra",))),
    "MAR": _one(_c(_ARAB, PATERNAL, ("ary", 0.6), ("ara", 0.4), second_languages=("fra",))),
    # Persian, Dari, Pashto, Urdu: Arabic script too.
    "IRN": (
        (_c("iranian", PATERNAL, "fas"), 0.85),
        (
            _c(
                "iranian",
                PATERNAL,
                "azb",
                second_languages=("fas",),
                places=("Tabriz", "Urmia", "Ardabil"),
            ),
            0.15,
        ),
    ),
    "AFG": (
        (_c("afghan", PATERNAL, "prs", family_name_rate=0.7), 0.55),
        (_c("afghan", PATERNAL, "pus", second_languages=("prs",), family_name_rate=0.7), 0.45),
    ),
    "PAK": _one(
        _c(
            "pakistani",
            PATERNAL,
            ("urd", 0.4),
            ("pnb", 0.4),
            ("pus", 0.2),
            second_languages=("urd", "eng"),
        )
    ),
    # South and South-East Asia.
    "LKA": (
        (_c("sinhala", SHARED, "sin", second_languages=("eng",)), 0.55),
        (
            _c(
                "tamil",
                PATRONYMIC,
                "tam",
                second_languages=("eng",),
                places=("Jaffna", "Batticaloa", "Trincomalee", "Vavuniya", "Kilinochchi"),
            ),
            0.45,
        ),
    ),
    "NPL": _one(_c("nepali", SHARED, "nep")),
    "BGD": _one(_c("bengali", PATERNAL, "ben")),
    "IND": (
        (
            _c(
                "punjabi",
                SHARED,
                "pan",
                second_languages=("hin",),
                places=("Amritsar", "Jalandhar", "Ludhiana", "Patiala"),
            ),
            0.6,
        ),
        (_c("hindi", SHARED, "hin", second_languages=("eng",)), 0.4),
    ),
    "MMR": (
        (_c("burmese", NONE, "mya"), 0.6),
        (
            _c(
                "chin",
                NONE,
                ("cnh", 0.6),
                ("kac", 0.4),
                second_languages=("mya",),
                places=("Hakha", "Falam", "Tedim", "Myitkyina", "Bhamo"),
            ),
            0.2,
        ),
        (
            _c(
                "rohingya",
                NONE,
                "rhg",
                stateless=True,
                places=("Maungdaw", "Buthidaung", "Sittwe", "Rathedaung"),
            ),
            0.2,
        ),
    ),
    "PHL": _one(
        _c(
            "filipino",
            SHARED,
            ("tgl", 0.7),
            ("ceb", 0.3),
            second_languages=("eng",),
            interpreter_rate=0.6,
        )
    ),
    "IDN": _one(_c("indonesian", SHARED, ("ind", 0.7), ("jav", 0.3), family_name_rate=0.6)),
    "VNM": _one(_c("vietnamese", PATERNAL, "vie")),
    "KHM": _one(_c("khmer", PATERNAL, "khm")),
    "THA": _one(_c("thai", SHARED, "tha")),
    "LAO": _one(_c("lao", SHARED, "lao")),
    # East and Central Asia, Europe.
    "CHN": _one(_c("chinese", PATERNAL, ("cmn", 0.8), ("yue", 0.2))),
    "KOR": _one(_c("korean", PATERNAL, "kor")),
    "MNG": _one(_c("mongolian", PATRONYMIC, "mon")),
    "UZB": _one(_c("central_asian", SHARED, "uzb", second_languages=("rus",))),
    "KAZ": _one(_c("central_asian", SHARED, ("kaz", 0.6), ("rus", 0.4))),
    "RUS": _one(_c("russian", SHARED, "rus")),
    "UKR": _one(_c("ukrainian", SHARED, ("ukr", 0.7), ("rus", 0.3))),
    "TUR": (
        (
            _c(
                "kurdish",
                SHARED,
                "kmr",
                second_languages=("tur",),
                places=("Gaziantep", "Kahramanmaraş", "Şanlıurfa", "Adıyaman", "Mardin"),
            ),
            0.6,
        ),
        (_c("turkish", SHARED, "tur"), 0.4),
    ),
    # Africa.
    "SOM": _one(_c("somali", PATRONYMIC, "som", second_languages=("ara",))),
    "ETH": _one(_c("ethiopian", PATRONYMIC, ("amh", 0.5), ("orm", 0.3), ("tir", 0.2))),
    "ERI": _one(_c("ethiopian", PATRONYMIC, "tir", second_languages=("ara",))),
    "SSD": _one(
        _c(
            "south_sudanese",
            PATRONYMIC,
            ("din", 0.6),
            ("nus", 0.4),
            second_languages=("eng", "apd"),
        )
    ),
    "GHA": _one(_c("ghanaian", SHARED, ("twi", 0.6), ("eng", 0.4), **_ENGLISH_SPEAKING)),
    "NGA": _one(
        _c(
            "nigerian",
            SHARED,
            ("eng", 0.4),
            ("yor", 0.25),
            ("ibo", 0.2),
            ("hau", 0.15),
            **_ENGLISH_SPEAKING,
        )
    ),
    "CMR": _one(_c("cameroonian", SHARED, ("fra", 0.7), ("eng", 0.3))),
    "SEN": _one(_c("west_african_fr", SHARED, "wol", second_languages=("fra",))),
    "GIN": _one(
        _c("west_african_fr", SHARED, ("ful", 0.6), ("sus", 0.4), second_languages=("fra",))
    ),
    "MLI": _one(_c("west_african_fr", SHARED, "bam", second_languages=("fra",))),
    "BFA": _one(_c("west_african_fr", SHARED, "mos", second_languages=("fra",))),
    "CIV": _one(_c("west_african_fr", SHARED, ("fra", 0.6), ("dyu", 0.4))),
    "TGO": _one(_c("west_african_fr", SHARED, "ewe", second_languages=("fra",))),
    "BEN": _one(_c("west_african_fr", SHARED, "fon", second_languages=("fra",))),
    "GMB": _one(
        _c("west_african_fr", SHARED, ("mnk", 0.5), ("wol", 0.5), second_languages=("eng",))
    ),
    "SLE": _one(_c("west_african_en", SHARED, ("eng", 0.6), ("men", 0.4), **_ENGLISH_SPEAKING)),
    "LBR": _one(_c("west_african_en", SHARED, "eng", **_ENGLISH_SPEAKING)),
    "UGA": _one(_c("east_african", SHARED, ("lug", 0.6), ("eng", 0.4), **_ENGLISH_SPEAKING)),
    "KEN": _one(_c("east_african", SHARED, ("swa", 0.5), ("eng", 0.5), **_ENGLISH_SPEAKING)),
    "TZA": _one(_c("east_african", SHARED, "swa", second_languages=("eng",))),
    "ZWE": _one(_c("east_african", SHARED, ("sna", 0.6), ("eng", 0.4), **_ENGLISH_SPEAKING)),
    "ZAF": _one(_c("east_african", SHARED, ("zul", 0.5), ("eng", 0.5), **_ENGLISH_SPEAKING)),
    "BDI": _one(_c("east_african", SHARED, "run", second_languages=("fra",))),
    "COD": _one(_c("central_african", SHARED, ("lin", 0.5), ("swa", 0.3), ("fra", 0.2))),
    "COG": _one(_c("central_african", SHARED, ("lin", 0.6), ("fra", 0.4))),
    "CAF": _one(_c("central_african", SHARED, "sag", second_languages=("fra",))),
    # The Americas and Western countries (a handful of applications each).
    "PER": _one(_c("latin_american", SHARED, "spa")),
    "BRA": _one(_c("latin_american", SHARED, "por")),
    "USA": _one(_c("western", SHARED, "eng", interpreter_rate=0.0)),
    "GBR": _one(_c("western", SHARED, "eng", interpreter_rate=0.0)),
    "AUT": _one(_c("western", SHARED, "deu", second_languages=("eng",))),
}

# Myanmar's applicants differ by country of asylum: Rohingya are most of those in Malaysia.
ORIGINS_BY_ASYLUM_COUNTRY: dict[tuple[str, str], tuple[tuple[Community, float], ...]] = {
    ("MYS", "MMR"): (
        (ORIGINS["MMR"][2][0], 0.65),
        (ORIGINS["MMR"][1][0], 0.22),
        (ORIGINS["MMR"][0][0], 0.13),
    ),
}

FALLBACK = _one(_c("western", SHARED, "eng", interpreter_rate=0.5))


def communities(origin: str, asylum_country: str) -> tuple[tuple[Community, float], ...]:
    return ORIGINS_BY_ASYLUM_COUNTRY.get((asylum_country, origin)) or ORIGINS.get(origin, FALLBACK)


PLACES_OF_BIRTH: dict[str, tuple[str, ...]] = {
    "SYR": ("Aleppo", "Damascus", "Homs", "Idlib", "Hama", "Deir ez-Zor", "Daraa", "Latakia"),
    "IRQ": ("Baghdad", "Mosul", "Basra", "Kirkuk", "Fallujah", "Najaf"),
    "YEM": ("Sana'a", "Aden", "Taiz", "Hodeidah", "Ibb"),
    "SDN": ("Khartoum", "Omdurman", "El Fasher", "Nyala", "Kassala"),
    "EGY": ("Cairo", "Alexandria", "Giza", "Asyut", "Mansoura"),
    "LBY": ("Tripoli", "Benghazi", "Misrata", "Sabha"),
    "PSE": ("Gaza", "Khan Younis", "Rafah", "Nablus", "Hebron"),
    "AFG": ("Kabul", "Herat", "Kandahar", "Mazar-i-Sharif", "Jalalabad", "Ghazni"),
    "IRN": ("Tehran", "Mashhad", "Isfahan", "Shiraz", "Ahvaz", "Kermanshah"),
    "PAK": ("Lahore", "Karachi", "Rawalpindi", "Peshawar", "Gujranwala", "Sialkot"),
    "LKA": ("Colombo", "Kandy", "Negombo", "Galle", "Kurunegala"),
    "NPL": ("Kathmandu", "Pokhara", "Chitwan", "Butwal", "Biratnagar"),
    "BGD": ("Dhaka", "Chittagong", "Sylhet", "Comilla", "Cox's Bazar"),
    "IND": ("Delhi", "Kolkata", "Mumbai", "Chennai"),
    "MMR": ("Yangon", "Mandalay", "Bago", "Mawlamyine", "Pathein"),
    "PHL": ("Manila", "Cebu", "Davao", "Pampanga", "Iloilo"),
    "IDN": ("Jakarta", "Surabaya", "Medan", "Bandung", "Makassar"),
    "VNM": ("Hà Nội", "Thành phố Hồ Chí Minh", "Nghệ An", "Hải Phòng", "Thanh Hóa"),
    "KHM": ("Phnom Penh", "Battambang", "Siem Reap", "Kampong Cham"),
    "THA": ("Bangkok", "Chiang Mai", "Udon Thani", "Khon Kaen"),
    "CHN": ("Fuzhou", "Shenyang", "Harbin", "Urumqi", "Kunming"),
    "TUR": ("Istanbul", "Ankara", "Izmir", "Konya"),
    "SOM": ("Mogadishu", "Kismayo", "Baidoa", "Beledweyne", "Galkayo"),
    "ETH": ("Addis Ababa", "Dire Dawa", "Gondar", "Mekelle", "Jimma"),
    "ERI": ("Asmara", "Keren", "Massawa"),
    "SSD": ("Juba", "Malakal", "Bor", "Wau"),
    "CMR": ("Douala", "Yaoundé", "Bamenda", "Buea", "Garoua"),
    "GHA": ("Accra", "Kumasi", "Tamale", "Takoradi"),
    "NGA": ("Lagos", "Abuja", "Kano", "Enugu", "Ibadan", "Port Harcourt"),
    "UGA": ("Kampala", "Gulu", "Mbarara", "Jinja"),
    "UZB": ("Tashkent", "Samarkand", "Andijan", "Namangan"),
    "COD": ("Kinshasa", "Goma", "Bukavu", "Lubumbashi"),
    "SEN": ("Dakar", "Touba", "Thiès", "Kaolack"),
    "GIN": ("Conakry", "Labé", "Kankan", "Nzérékoré"),
}

# Where children born in the country of asylum were born.
ASYLUM_PLACES: dict[str, tuple[str, ...]] = {
    "JPN": ("Tokyo", "Kawaguchi", "Saitama", "Yokohama", "Osaka", "Nagoya"),
    "MYS": ("Kuala Lumpur", "Selangor", "Penang", "Johor Bahru"),
}
