"""External identifiers of organisations (links to the world): ROR, Crossref Funder Registry, 法人番号 (Japan's
corporate number), Wikidata, ISNI, GRID, OpenAlex. Each is checked offline as far as its scheme allows, and each
comes with the URL of the public page it was read from (the curated list is data/links/identifiers.yaml; see
docs/identifiers.md). Crossref Funder IDs and ISNIs may be several per organisation (a registry lists them all);
the others are one per organisation.

- ROR: ``0`` + 6 Crockford base-32 characters + a 2-digit checksum, ``98 - (n * 100 mod 97)`` of the 6 characters'
  number n (ISO 7064 MOD 97-10). URI ``https://ror.org/<id>``.
- Crossref Funder ID: the DOI suffix under ``10.13039/`` (digits only; no checksum). URI
  ``https://doi.org/10.13039/<id>``.
- 法人番号: 13 digits, the first a check digit: ``9 - (Σ Pn × Qn mod 9)`` over the 12-digit base number, Pn its n-th
  digit from the right, Qn 1 for odd n and 2 for even n (法人番号の指定等に関する省令 第二条). No entity URI: it is
  exported as a schema:identifier only.
- Wikidata: ``Q`` + digits. URI ``http://www.wikidata.org/entity/<id>``.
- ISNI: 16 characters, the last a check character (ISO 7064 MOD 11-2, ``X`` for 10), stored without spaces.
  URI ``https://isni.org/isni/<id>``.
- GRID: ``grid.<digits>.<hex>`` (the retired Global Research Identifier Database, still listed by ROR). No URI.
- OpenAlex: a funder ``F`` or an institution ``I`` + digits. URI ``https://openalex.org/<id>``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["SCHEMES", "Scheme", "check", "corporate_number_check_digit", "isni_check_character", "parse_reference",
           "ror_checksum"]

_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"


def ror_checksum(body: str) -> str:
    """The 2-digit checksum of the 6 characters after a ROR id's leading 0."""
    n = 0
    for char in body.lower():
        n = n * 32 + _CROCKFORD.index(char)
    return f"{98 - (n * 100) % 97:02d}"


def corporate_number_check_digit(base: str) -> int:
    """The check digit (first digit) of a 法人番号 whose other 12 digits are `base`."""
    total = sum(int(digit) * (1 if n % 2 else 2) for n, digit in enumerate(reversed(base), start=1))
    return 9 - total % 9


def isni_check_character(base: str) -> str:
    """The check character (ISO 7064 MOD 11-2) of an ISNI whose first 15 digits are `base`."""
    total = 0
    for digit in base:
        total = (total + int(digit)) * 2
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


def _check_ror(value: str) -> str | None:
    if not re.fullmatch(rf"0[{_CROCKFORD}]{{6}}[0-9]{{2}}", value):
        return "a ROR id is 0, six characters of 0-9 a-z without i, l, o, u, and two digits (e.g. 057zh3y96)"
    if ror_checksum(value[1:7]) != value[7:]:
        return f"checksum {value[7:]} does not match (it should be {ror_checksum(value[1:7])}): mistyped?"
    return None


def _check_funder(value: str) -> str | None:
    if not re.fullmatch(r"[1-9][0-9]{8,11}", value):
        return "a Crossref Funder ID is the 9-12 digits after 10.13039/ (e.g. 501100001691)"
    return None


def _check_corporate(value: str) -> str | None:
    if not re.fullmatch(r"[1-9][0-9]{12}", value):
        return "a 法人番号 has 13 digits, the first of them 1-9"
    if corporate_number_check_digit(value[1:]) != int(value[0]):
        return f"check digit {value[0]} does not match (it should be {corporate_number_check_digit(value[1:])}): mistyped?"
    return None


def _check_wikidata(value: str) -> str | None:
    if not re.fullmatch(r"Q[1-9][0-9]*", value):
        return "a Wikidata item id is Q followed by digits (e.g. Q42)"
    return None


def _check_isni(value: str) -> str | None:
    if not re.fullmatch(r"[0-9]{15}[0-9X]", value):
        return "an ISNI is 16 characters: 15 digits and a check digit or X (e.g. 0000 0001 2169 1048)"
    if isni_check_character(value[:15]) != value[15]:
        return f"check character {value[15]} does not match (it should be {isni_check_character(value[:15])}): mistyped?"
    return None


def _check_grid(value: str) -> str | None:
    if not re.fullmatch(r"grid\.[0-9]{4,6}\.[0-9a-f]{1,2}", value):
        return "a GRID id is grid.<digits>.<1-2 hex characters> (e.g. grid.26999.3d)"
    return None


def _check_openalex(kind: str) -> Callable[[str], str | None]:
    def check_openalex(value: str) -> str | None:
        if not re.fullmatch(rf"{kind}[1-9][0-9]{{3,11}}", value):
            return f"an OpenAlex {'funder' if kind == 'F' else 'institution'} id is {kind} followed by digits"
        return None
    return check_openalex


@dataclass(frozen=True)
class Scheme:
    """One identifier scheme: the property it is stored in, its name, how to check it, its URI (if any)."""

    field: str
    name: str
    check: Callable[[str], str | None]
    uri_prefix: str | None
    #: URL prefixes and CURIE-like prefixes a user may paste in front of the id (stripped by parse_reference).
    prefixes: tuple[str, ...]
    organisations_only: bool = True
    #: several ids of this scheme may name one organisation (a registry lists them all; one may be preferred)
    multiple: bool = False

    def uri(self, value: str) -> str | None:
        return f"{self.uri_prefix}{value}" if self.uri_prefix else None


SCHEMES: dict[str, Scheme] = {s.field: s for s in (
    Scheme("ror", "ROR", _check_ror, "https://ror.org/", ("https://ror.org/", "http://ror.org/", "ror.org/", "ror:")),
    Scheme("crossref_funder_id", "Crossref Funder ID", _check_funder, "https://doi.org/10.13039/",
           ("https://doi.org/10.13039/", "http://dx.doi.org/10.13039/", "doi:10.13039/", "10.13039/"), multiple=True),
    Scheme("corporate_number", "法人番号", _check_corporate, None, ("法人番号:", "法人番号", "corporate number:")),
    Scheme("wikidata", "Wikidata", _check_wikidata, "http://www.wikidata.org/entity/",
           ("http://www.wikidata.org/entity/", "https://www.wikidata.org/wiki/", "https://www.wikidata.org/entity/",
            "wd:", "wikidata:"), organisations_only=False),
    Scheme("isni", "ISNI", _check_isni, "https://isni.org/isni/",
           ("https://isni.org/isni/", "http://isni.org/isni/", "isni.org/isni/", "isni:", "isni"), multiple=True),
    Scheme("grid", "GRID", _check_grid, None, ("https://www.grid.ac/institutes/", "grid:")),
    Scheme("openalex_funder", "OpenAlex funder", _check_openalex("F"), "https://openalex.org/",
           ("https://openalex.org/funders/", "https://openalex.org/", "openalex:")),
    Scheme("openalex_institution", "OpenAlex institution", _check_openalex("I"), "https://openalex.org/",
           ("https://openalex.org/institutions/", "https://openalex.org/", "openalex:")),
)}


def normalise(field: str, value: str) -> str:
    """The stored form of an id as written: ISNI without spaces, QIDs and OpenAlex ids upper case, others lower."""
    value = value.strip()
    if field == "isni":
        return re.sub(r"[\s-]", "", value).upper()
    return value.upper() if field in ("wikidata", "openalex_funder", "openalex_institution") else value.lower()


def check(field: str, value: str) -> str | None:
    """Why `value` is not a valid identifier of scheme `field`, or None when it is (as far as checks go offline)."""
    return SCHEMES[field].check(value)


def parse_reference(text: str) -> tuple[str, str] | None:
    """(field, value) when `text` is an identifier of a known scheme (a URL, a prefixed or a bare id), else None.

    A bare id counts only when its form is unambiguous and it passes its check: a ROR id with a valid checksum, a
    13-digit 法人番号 with a valid check digit, a Q-number. A bare Crossref Funder ID (just digits) is not taken: give
    it as 10.13039/... or as its doi.org URL.
    """
    text = unicodedata.normalize("NFKC", text).strip()
    prefixed = False
    for scheme in SCHEMES.values():
        for prefix in scheme.prefixes:
            if text.lower().startswith(prefix.lower()):
                prefixed = True
                value = normalise(scheme.field, text[len(prefix):].strip().strip("/"))
                if value and scheme.check(value) is None:
                    return scheme.field, value
    if prefixed:  # a scheme's prefix with an id that is not of it (or of a scheme sharing the prefix)
        return None
    bare = text.replace("-", "") if re.fullmatch(r"[0-9-]{13,16}", text) else text
    for field in ("ror", "corporate_number", "wikidata", "isni", "grid", "openalex_funder", "openalex_institution"):
        value = normalise(field, bare)
        if (field != "isni" or re.fullmatch(r"[0-9X]{4}( ?[0-9X]{4}){3}", bare.upper())) and SCHEMES[field].check(value) is None:
            return field, value
    return None
