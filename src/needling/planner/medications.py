"""Medications as coded data: the bundled table of substances (WHO ATC code, route, names) and name matching.

Rules trigger on ATC groups and route, never on a typed name. A clinician types what is on the box or in the
record ("Roaccutane 20 mg", " xarelto", "Eliquis 5 mg filmdragerade tabletter"); :func:`resolve` ignores case,
spacing, punctuation, strength and dose form and returns the substance, or ``None`` when the name is not in
the table (the planner then asks for a review rather than refusing the patient).
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

ROUTES = ("systemic", "topical")

#: A full or partial ATC code: anatomical group, then therapeutic, pharmacological, chemical subgroups, substance.
ATC_PATTERN = re.compile(r"^[A-Z](\d\d([A-Z]([A-Z](\d\d)?)?)?)?$")

#: Dose forms and packaging words, English and Swedish, dropped before matching.
_FORM_WORDS = frozenset(
    [
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "tablett",
        "tabletter",
        "filmdragerad",
        "filmdragerade",
        "filmcoated",
        "film",
        "coated",
        "enterotablett",
        "enterotabletter",
        "brustablett",
        "brustabletter",
        "depottablett",
        "depottabletter",
        "capsule",
        "capsules",
        "caps",
        "kapsel",
        "kapslar",
        "hard",
        "soft",
        "hårda",
        "mjuka",
        "injection",
        "injections",
        "injektionsvätska",
        "injektionsvatska",
        "lösning",
        "losning",
        "solution",
        "infusion",
        "pen",
        "penna",
        "förfylld",
        "forfylld",
        "spruta",
        "prefilled",
        "syringe",
        "cream",
        "kräm",
        "kram",
        "gel",
        "salva",
        "ointment",
        "lotion",
        "kutan",
        "liniment",
        "oral",
        "orally",
        "peroral",
        "mixtur",
        "suspension",
        "mite",
        "forte",
        "depot",
        "retard",
    ]
)
_STRENGTH = re.compile(
    r"\b\d+(?:[.,]\d+)?\s*(?:mg/ml|mg/g|mg|g|µg|mcg|ug|ml|%|ie|iu|e)?(?=\s|$|/)", flags=re.IGNORECASE
)


#: A name of the first vocabulary kept so old patient files load ("topical-retinoid"): an identifier, not for reading.
_LEGACY_ID = re.compile(r"[a-z]+(?:-[a-z]+)+")


@dataclass(frozen=True)
class Substance:
    """One substance of the table.

    Attributes
    ----------
    id : str
        Stable identifier (lower case, hyphens).
    atc : str
        WHO ATC code (a full code, or a group for a legacy class name).
    route : {"systemic", "topical"}
        How it reaches the body.
    names : tuple of str
        Generic names (English, Swedish spelling) and brand names, as printed.
    name_sv : str or None
        The generic name a Swedish reader sees where Swedish spells it otherwise ("tranexamsyra"), or None.
    """

    id: str
    atc: str
    route: str
    names: tuple[str, ...]
    name_sv: str | None = None

    @property
    def name(self) -> str:
        """The name a person reads: the first listed name that is not a legacy identifier.

        Returns
        -------
        str
            The generic name as printed ("tranexamic acid", "oral hydrocortisone"), never the ``id``.
        """
        return next((n for n in self.names if not _LEGACY_ID.fullmatch(n)), self.id.replace("-", " "))

    def name_in(self, lang: str) -> str:
        """The generic name in the reader's language.

        Parameters
        ----------
        lang : str
            ``en`` or ``sv``.

        Returns
        -------
        str
            :attr:`name_sv` for a Swedish reader where the table gives one, else :attr:`name`.

        Examples
        --------
        >>> from needling.planner.medications import resolve
        >>> [resolve("Cyklokapron").name_in(lang) for lang in ("en", "sv")]
        ['tranexamic acid', 'tranexamsyra']
        """
        return self.name_sv if lang == "sv" and self.name_sv else self.name

    def to_json(self) -> dict:
        """Return the substance as JSON.

        Returns
        -------
        dict
            ``id``, ``atc``, ``route`` and ``names`` (a list).
        """
        return {"id": self.id, "atc": self.atc, "route": self.route, "names": list(self.names)}


def normalise(text: str) -> str:
    """Normalise a typed name: lower case, punctuation to spaces, single spaces (strength and form are kept).

    Parameters
    ----------
    text : str
        A medication name as typed.

    Returns
    -------
    str
        The name in the form the table's index uses.

    Examples
    --------
    >>> normalise("Roaccutane (Isotretinoin) 20-mg")
    'roaccutane isotretinoin 20 mg'
    """
    text = text.casefold().replace("-", " ").replace("_", " ")
    text = re.sub(r"[(),;:/+®™]", " ", text)
    return " ".join(text.split())


def _without_strength(text: str) -> str:
    return " ".join(_STRENGTH.sub(" ", text).split())


def _without_forms(text: str) -> str:
    return " ".join(w for w in text.split() if w not in _FORM_WORDS)


@cache
def _table() -> tuple[str, tuple[Substance, ...]]:
    data = tomllib.loads((resources.files("needling.planner") / "medications.toml").read_text(encoding="utf-8"))
    subs = tuple(
        Substance(id=s["id"], atc=s["atc"], route=s["route"], names=tuple(s["names"]), name_sv=s.get("name_sv"))
        for s in data["substance"]
    )
    return data["version"], subs


@cache
def _index() -> dict[str, Substance]:
    out: dict[str, Substance] = {}
    for s in substances():
        for n in (s.id, *s.names):
            key = normalise(n)
            if key in out and out[key] is not s:
                raise ValueError(f"medications table: name {n!r} given for {out[key].id} and {s.id}")
            out[key] = s
    return out


def medications_version() -> str:
    """Return the version of the bundled medication table.

    Returns
    -------
    str
        The table's ``version``, stored with each plan so a later reader knows which table screened it.
    """
    return _table()[0]


def substances() -> list[Substance]:
    """Return every substance of the table, in file order.

    Returns
    -------
    list of Substance
        The bundled table's substances.
    """
    return list(_table()[1])


def by_atc(code: str) -> Substance | None:
    """Return the substance with exactly this ATC code (the first in the table), else None.

    Parameters
    ----------
    code : str
        A WHO ATC code.

    Returns
    -------
    Substance or None
        The first substance of the table with that code; None when the table has none.
    """
    return next((s for s in substances() if s.atc == code), None)


def _candidates(text: str) -> list[str]:
    """Forms of the typed text to try, from the most literal to the most reduced."""
    base = normalise(text)
    plain = _without_strength(base)
    bare = _without_forms(plain)
    out = [base, plain, bare]
    words = bare.split()
    out += [" ".join(words[:k]) for k in range(len(words) - 1, 0, -1)]
    return [c for c in dict.fromkeys(out) if c]


def resolve(text: str) -> Substance | None:
    """The substance a typed medication name stands for, or None when the table does not know it.

    Parameters
    ----------
    text : str
        A generic or brand name as typed, with or without strength and dose form.

    Returns
    -------
    Substance or None
        The substance whose name matches the text (tried as typed, then without strength, dose form and
        trailing words); None when the table does not know it.
    """
    index = _index()
    for c in _candidates(text):
        if c in index:
            return index[c]
    return None


def search(text: str, limit: int = 10) -> list[tuple[str, Substance]]:
    """Find names in the table close to ``text`` (the exact match first), each with its substance.

    Parameters
    ----------
    text : str
        A partly typed or misspelt name.
    limit : int
        The most names to return.

    Returns
    -------
    list of tuple of (str, Substance)
        Names as printed in the table with their substances: the exact match, then names containing or
        starting with the text, then close spellings.
    """
    hit = resolve(text)
    out: list[tuple[str, Substance]] = []
    if hit is not None:
        name = next((n for n in hit.names if normalise(n) in _candidates(text)), hit.names[0])
        out.append((name, hit))
    key = _without_forms(_without_strength(normalise(text)))
    names = {normalise(n): (n, s) for s in substances() for n in s.names}
    contains = [k for k in names if key and (key in k or k.startswith(key))]
    near = difflib.get_close_matches(key, list(names), n=limit, cutoff=0.6)
    for k in dict.fromkeys(contains + near):
        pair = names[k]
        if pair not in out:
            out.append(pair)
    return out[:limit]


def atc_matches(code: str, groups: tuple[str, ...] | list[str]) -> bool:
    """Return whether an ATC code lies in any of the groups (prefix match: ``B01AF02`` is in ``B01AF`` and ``B01``).

    Parameters
    ----------
    code : str
        A WHO ATC code.
    groups : tuple or list of str
        ATC groups (code prefixes).

    Returns
    -------
    bool
        True when ``code`` starts with one of the groups.

    Examples
    --------
    >>> atc_matches("B01AF02", ("B01",)), atc_matches("B01AF02", ("D10",))
    (True, False)
    """
    return any(code.startswith(g) for g in groups)


def default_route(code: str) -> str:
    """Return the route of a code not in the table: dermatologicals are topical except the systemic retinoids.

    Parameters
    ----------
    code : str
        A WHO ATC code.

    Returns
    -------
    {"systemic", "topical"}
        ``topical`` for dermatologicals (group D) except D10B and D05B, else ``systemic``.

    Examples
    --------
    >>> default_route("D10AD01"), default_route("D10BA01"), default_route("B01AF02")
    ('topical', 'systemic', 'systemic')
    """
    if code.startswith(("D10B", "D05B")):
        return "systemic"
    return "topical" if code.startswith("D") else "systemic"
