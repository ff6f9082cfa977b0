"""The bibliography: every source needling relies on, loaded from TOML files in ``bibliography/``.

Each file holds one topic (mechanics, transport, healing, planner ...) so that topics can grow
independently; keys are unique across files. A source has authors, year, title, journal, volume,
pages and a DOI or PMID where known.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources

_REQUIRED = ("authors", "year", "title")


@dataclass(frozen=True, slots=True)
class Source:
    """One entry of the bibliography.

    Parameters
    ----------
    key : str
        AuthorYear key, for example ``"Gill2008"``.
    authors : tuple of str
        Authors as "Surname Initials".
    year : int
        Year of publication; 0 for an undated web page ("n.d.").
    title : str
        Title of the work.
    journal : str
        Journal, book or publisher (or web site for grey literature).
    volume, pages : str
        As published, where known.
    doi, pmid, pmcid, url : str
        Identifiers where known (empty when not).
    kind : str
        ``article`` (default), ``review``, ``guideline``, ``regulatory``, ``web`` or ``book``.
    note : str
        What is used from it and any caveat (for example "authors from memory, grade L").
    topics : tuple of str
        The bibliography files (topics: mechanics, transport, healing, planner ...) that list the entry.
    """

    key: str
    authors: tuple[str, ...]
    year: int
    title: str
    journal: str = ""
    volume: str = ""
    pages: str = ""
    doi: str = ""
    pmid: str = ""
    pmcid: str = ""
    url: str = ""
    kind: str = "article"
    note: str = ""
    topics: tuple[str, ...] = field(default_factory=tuple)

    def citation(self) -> str:
        """Return a one-line reference in Vancouver-like style.

        Returns
        -------
        str
            Authors (six, then "et al"), title, journal, year, volume and pages, and the DOI, PMID or PMCID where
            the entry gives them.
        """
        authors = ", ".join(self.authors[:6]) + (" et al" if len(self.authors) > 6 else "")
        parts = [f"{authors}. {self.title}."]
        where = self.journal
        year = str(self.year) if self.year else "n.d."
        if where:
            where += f" {year}"
            if self.volume:
                where += f";{self.volume}"
            if self.pages:
                where += f":{self.pages}"
            parts.append(where + ".")
        else:
            parts.append(f"{year}.")
        if self.doi:
            parts.append(f"doi:{self.doi}.")
        if self.pmid:
            parts.append(f"PMID {self.pmid}.")
        if self.pmcid:
            parts.append(f"{self.pmcid}.")
        return " ".join(parts)

    def bibtex(self) -> str:
        """Return the entry as BibTeX.

        Returns
        -------
        str
            One BibTeX entry, keyed by the source's key.
        """
        kind = {"web": "misc", "book": "book", "guideline": "misc", "regulatory": "misc"}.get(self.kind, "article")
        fields = {
            "author": " and ".join(self.authors),
            "year": str(self.year) if self.year else "n.d.",
            "title": "{" + self.title + "}",
            "journal": self.journal,
            "volume": self.volume,
            "pages": self.pages.replace("-", "--"),
            "doi": self.doi,
            "pmid": self.pmid,
            "url": self.url,
            "note": self.note,
        }
        body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
        return f"@{kind}{{{self.key},\n{body}\n}}"

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready description.

        Returns
        -------
        dict
            The entry's fields.
        """
        d = asdict(self)
        d["authors"] = list(self.authors)
        d["topics"] = list(self.topics)
        return d


class Bibliography:
    """All sources by key."""

    def __init__(self, sources: dict[str, Source]) -> None:
        self._sources = dict(sorted(sources.items()))

    def __contains__(self, key: object) -> bool:
        return key in self._sources

    def __getitem__(self, key: str) -> Source:
        return self._sources[key]

    def __iter__(self) -> Iterator[Source]:
        return iter(self._sources.values())

    def __len__(self) -> int:
        return len(self._sources)

    def keys(self) -> list[str]:
        """Return every key, sorted.

        Returns
        -------
        list of str
            The bibliography keys.
        """
        return list(self._sources)

    def select(self, keys: list[str] | None) -> list[Source]:
        """Return the sources for ``keys`` (all when None); assumption keys are skipped.

        Parameters
        ----------
        keys : list of str or None
            Bibliography keys (``assumption:...`` keys are left out); None for every source.

        Returns
        -------
        list of Source
            The sources, sorted by key.
        """
        if keys is None:
            return list(self._sources.values())
        return [self._sources[k] for k in keys if k in self._sources]


def _parse_file(name: str, text: str) -> dict[str, Source]:
    data = tomllib.loads(text)
    out: dict[str, Source] = {}
    topic = name.removesuffix(".toml")
    for key, entry in data.items():
        missing = [f for f in _REQUIRED if f not in entry]
        if missing:
            raise ValueError(f"bibliography/{name}: {key} lacks {', '.join(missing)}")
        entry = dict(entry)
        entry["authors"] = tuple(entry["authors"])
        entry["topics"] = (topic,)
        for k in ("volume", "pages", "pmid"):
            if k in entry:
                entry[k] = str(entry[k])
        out[key] = Source(key=key, **entry)
    return out


@lru_cache(maxsize=1)
def bibliography() -> Bibliography:
    """Load every ``bibliography/*.toml`` of the package into one :class:`Bibliography`.

    Raises
    ------
    ValueError
        If a key appears in two files or an entry lacks authors, year or title.
    """
    sources: dict[str, Source] = {}
    folder = resources.files("needling.evidence") / "bibliography"
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml"):
            continue
        for key, src in _parse_file(item.name, item.read_text(encoding="utf-8")).items():
            if key in sources:
                raise ValueError(f"bibliography key {key} appears twice (second in {item.name})")
            sources[key] = src
    return Bibliography(sources)


def format_bibliography(sources: list[Source], fmt: str = "text") -> str:
    """Render ``sources`` as ``text``, ``bibtex`` or ``json``.

    Parameters
    ----------
    sources : list of Source
        The entries to render.
    fmt : {"text", "bibtex", "json"}
        The output format.

    Returns
    -------
    str
        One reference per line (text), BibTeX entries, or a JSON array.
    """
    if fmt == "text":
        return "\n".join(f"[{s.key}] {s.citation()}" for s in sources)
    if fmt == "bibtex":
        return "\n\n".join(s.bibtex() for s in sources)
    if fmt == "json":
        return json.dumps([s.to_dict() for s in sources], indent=2, ensure_ascii=False)
    raise ValueError(f"unknown format {fmt!r}; valid: text, bibtex, json")
