"""A treatment series: sessions at times (weeks from the start), each a list of steps.

Build one from the short form (:func:`short_protocol`) or a TOML file (:func:`parse_protocol_file`)::

    [protocol]
    name = "Garg & Baveja 2014"

    [[protocol.block]]            # a block repeats its steps `sessions` times, `interval_weeks` apart
    start_week = 0
    sessions = 1
    steps = ["Subcision"]

    [[protocol.block]]
    start_week = 0
    sessions = 6
    interval_weeks = 4
    steps = ["Roll 1.5 mm, 15 passes, 3 directions"]

    [[protocol.block]]            # alternating with the needling, two weeks later
    start_week = 2
    sessions = 6
    interval_weeks = 4
    steps = ["Peel TCA 15 %"]

    [protocol.continuous]         # optional: daily home topical over the whole series
    steps = ["Minoxidil 5 % twice daily"]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from needling.errors import InputError, check_range
from needling.files import read_table
from needling.protocol.steps import Minoxidil, Needle, Step, Wait, describe, parse_step


@dataclass(frozen=True)
class Session:
    """Steps given together at ``week`` (weeks from the start of the series).

    Attributes
    ----------
    week : float
        When the session is given, weeks from the start of the series.
    steps : tuple of Step
        The steps given together, in order.
    """

    week: float
    steps: tuple[Step, ...]

    @property
    def needling(self) -> Needle | None:
        """The session's needling step, if any."""
        return next((s for s in self.steps if isinstance(s, Needle)), None)


@dataclass(frozen=True)
class Protocol:
    """A series of sessions and the continuous treatments that run alongside.

    Attributes
    ----------
    name : str
        Name of the protocol.
    sessions : tuple of Session
        The sessions, in order of their week.
    continuous : tuple of Step
        Treatments that run alongside the whole series (for example daily minoxidil).
    """

    name: str
    sessions: tuple[Session, ...]
    continuous: tuple[Step, ...] = field(default_factory=tuple)

    @classmethod
    def parse(
        cls, steps: Sequence[str | Step], sessions: int = 1, interval_weeks: float = 4.0, name: str = ""
    ) -> Protocol:
        """Build ``sessions`` sessions ``interval_weeks`` apart, each with ``steps`` (readable text or typed steps).

        Parameters
        ----------
        steps : sequence of str or Step
            The steps of each session (see :func:`needling.protocol.steps.parse_step` for the readable forms).
        sessions : int
            Number of sessions.
        interval_weeks : float
            Interval between sessions, weeks.
        name : str
            The protocol's name.

        Returns
        -------
        Protocol
            The series.

        Examples
        --------
        >>> p = Protocol.parse(["Roll 1.5 mm, 15 passes, 3 directions", "Apply vitamin C 20 %"], sessions=3)
        >>> [s.week for s in p.sessions], p.needling_sessions
        ([0.0, 4.0, 8.0], 3)
        """
        return short_protocol(sessions, interval_weeks, steps, name)

    @classmethod
    def from_file(cls, path: str | Path) -> Protocol:
        """Read a protocol TOML file (see the module docstring).

        Parameters
        ----------
        path : str or Path
            The protocol file.

        Returns
        -------
        Protocol
            The series it describes.

        Raises
        ------
        InputError
            For a file that cannot be read or a step that does not parse, naming the file and the field.
        """
        return parse_protocol_file(path)

    @property
    def last_week(self) -> float:
        """Week of the last session (0 for a single session)."""
        return max((s.week for s in self.sessions), default=0.0)

    @property
    def needling_sessions(self) -> int:
        """Number of sessions with needling."""
        return sum(1 for s in self.sessions if s.needling is not None)

    def minoxidil(self) -> Minoxidil | None:
        """Return the continuous minoxidil, if prescribed.

        Returns
        -------
        Minoxidil or None
            The minoxidil step, or None.
        """
        return next((s for s in self.continuous if isinstance(s, Minoxidil)), None)

    def describe(self) -> list[dict[str, object]]:
        """Return the sessions as readable text.

        Returns
        -------
        list of dict
            Per session: ``week`` (weeks from the first session) and ``steps`` (each step as readable text).
        """
        return [{"week": s.week, "steps": [describe(x) for x in s.steps]} for s in self.sessions]


def _split(steps: list[Step]) -> tuple[list[Step], list[Step]]:
    session = [s for s in steps if not isinstance(s, Minoxidil | Wait)]
    cont = [s for s in steps if isinstance(s, Minoxidil)]
    return session, cont


def short_protocol(sessions: int, interval_weeks: float, steps: Sequence[str | Step], name: str = "") -> Protocol:
    """``sessions`` sessions ``interval_weeks`` apart, each with the same steps.

    Steps are readable text (see :mod:`needling.protocol.steps`) or typed steps (a :class:`Needle` that
    names its device). Minoxidil steps become continuous treatment; the interval must be at least one day.

    Parameters
    ----------
    sessions : int
        Number of sessions, 1-100.
    interval_weeks : float
        Weeks between sessions (one day to two years).
    steps : sequence of str or Step
        The steps of every session.
    name : str, optional
        A name for reports (default: the steps described).

    Returns
    -------
    Protocol
        Sessions at weeks 0, ``interval_weeks``, ...

    Raises
    ------
    InputError
        A step that cannot be read (quoting it, with the valid forms), or a count out of range.

    Examples
    --------
    >>> p = short_protocol(3, 4, ["Roll 1.0 mm, 8 passes"])
    >>> [s.week for s in p.sessions]
    [0, 4, 8]
    """
    check_range("sessions", sessions, low=1, high=100)
    check_range("interval_weeks", interval_weeks, low=1.0 / 7.0, high=104.0, unit="weeks")
    if not steps:
        raise InputError(
            "a protocol needs at least one --step; valid forms: see `needling series --help`", field="step"
        )
    parsed = [s if isinstance(s, Step) else parse_step(s) for s in steps]
    per_session, cont = _split(parsed)
    items = tuple(Session(i * interval_weeks, tuple(per_session)) for i in range(sessions))
    texts = "; ".join(s if isinstance(s, str) else describe(s) for s in steps)
    return Protocol(name or f"{sessions} x ({texts}) every {interval_weeks:g} weeks", items, tuple(cont))


def protocol_from_dict(data: dict, where: str = "protocol") -> Protocol:
    """Build a protocol from the ``[protocol]`` table of a file (see the module docstring).

    Parameters
    ----------
    data : dict
        The table: ``name``, ``[[protocol.block]]`` entries (start_week, sessions, interval_weeks, steps)
        and an optional ``[protocol.continuous]`` table.
    where : str
        Where the table came from, for error messages.

    Returns
    -------
    Protocol
        The sessions of every block, in time order.

    Raises
    ------
    InputError
        Naming the field and what is valid.
    """
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a table with [[{where}.block]] entries", field=where)
    blocks = data.get("block")
    if not blocks or not isinstance(blocks, list):
        raise InputError(
            f"{where} has no [[{where}.block]]; valid: blocks with start_week, sessions, interval_weeks, steps",
            field=f"{where}.block",
        )
    by_week: dict[float, list[Step]] = {}
    cont: list[Step] = []
    for i, b in enumerate(blocks):
        if "steps" not in b:
            raise InputError(
                f'{where}.block[{i}] lacks steps; valid: steps = ["Roll 1.5 mm, 15 passes", ...]',
                field=f"{where}.block.steps",
            )
        n = int(b.get("sessions", 1))
        check_range(f"{where}.block[{i}].sessions", n, low=1, high=100)
        interval = float(b.get("interval_weeks", 4.0))
        if n > 1:
            check_range(f"{where}.block[{i}].interval_weeks", interval, low=1.0 / 7.0, high=104.0, unit="weeks")
        start = float(b.get("start_week", 0.0))
        check_range(f"{where}.block[{i}].start_week", start, low=0.0, high=520.0, unit="weeks")
        parsed, c = _split([parse_step(s) for s in b["steps"]])
        cont.extend(c)
        for k in range(n):
            by_week.setdefault(start + k * interval, []).extend(parsed)
    for s in (data.get("continuous") or {}).get("steps", []):
        cont.append(parse_step(s))
    sessions = tuple(Session(w, tuple(by_week[w])) for w in sorted(by_week))
    return Protocol(str(data.get("name", where)), sessions, tuple(cont))


def parse_protocol_file(path: str | Path) -> Protocol:
    """Read a protocol TOML file (a ``[protocol]`` table).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Protocol
        The protocol it describes.

    Raises
    ------
    InputError
        One line naming the file, the field and what is valid.
    """
    return protocol_from_dict(read_table(path, "protocol", "[[protocol.block]] entries"))
