"""The compound catalogue and user compound files (TOML with a ``[compound]`` table)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from needling.compounds import data as D
from needling.compounds.model import Compound
from needling.errors import unknown_name_error
from needling.files import names_a_file, read_table, validate


def _keys(*params) -> tuple[str, ...]:
    return tuple(sorted({p.key for p in params}))


@cache
def _catalogue() -> dict[str, Compound]:
    items = [
        Compound(
            name="l-ascorbic-acid",
            label="L-ascorbic acid (vitamin C) 20 %",
            mw=D.ASCORBIC_MW.value,
            log_kow=D.ASCORBIC_LOGKOW.value,
            pka=D.ASCORBIC_PKA.value,
            ionisation="acid",
            solubility_g_l=D.ASCORBIC_SOL.value,
            concentration_g_l=200.0,
            ph=3.0,
            note="must be formulated at pH < 3.5 to enter skin (Pinnell 2001)",
            sources=_keys(D.ASCORBIC_MW, D.ASCORBIC_LOGKOW, D.ASCORBIC_PKA, D.ASCORBIC_SOL, D.ASCORBIC_PH_MAX),
        ),
        Compound(
            name="minoxidil",
            label="Minoxidil 5 %",
            mw=D.MINOXIDIL_MW.value,
            log_kow=D.MINOXIDIL_LOGKOW.value,
            pka=D.MINOXIDIL_PKA.value,
            ionisation="base",
            solubility_g_l=D.MINOXIDIL_SOL.value,
            concentration_g_l=50.0,
            ph=7.0,
            vehicle="solution",
            note="5 % solutions use a co-solvent; the aqueous solubility caps the driving concentration",
            sources=_keys(D.MINOXIDIL_MW, D.MINOXIDIL_LOGKOW, D.MINOXIDIL_PKA, D.MINOXIDIL_SOL),
        ),
        Compound(
            name="lidocaine",
            label="Lidocaine base",
            mw=D.LIDOCAINE_MW.value,
            log_kow=D.LIDOCAINE_LOGKOW.value,
            pka=D.LIDOCAINE_PKA.value,
            ionisation="base",
            solubility_g_l=D.ANAESTHETIC_SOL.value,
            concentration_g_l=D.EMLA_STRENGTH.value,
            ph=9.0,
            vehicle="cream",
            sources=_keys(D.LIDOCAINE_MW, D.LIDOCAINE_LOGKOW, D.LIDOCAINE_PKA, D.ANAESTHETIC_SOL, D.EMLA_STRENGTH),
        ),
        Compound(
            name="prilocaine",
            label="Prilocaine base",
            mw=D.PRILOCAINE_MW.value,
            log_kow=D.PRILOCAINE_LOGKOW.value,
            pka=D.PRILOCAINE_PKA.value,
            ionisation="base",
            solubility_g_l=D.ANAESTHETIC_SOL.value,
            concentration_g_l=D.EMLA_STRENGTH.value,
            ph=9.0,
            vehicle="cream",
            sources=_keys(D.PRILOCAINE_MW, D.PRILOCAINE_LOGKOW, D.PRILOCAINE_PKA, D.ANAESTHETIC_SOL, D.EMLA_STRENGTH),
        ),
        Compound(
            name="lidocaine-prilocaine",
            label="Lidocaine 2.5 % / prilocaine 2.5 % eutectic",
            mw=D.LIDOCAINE_MW.value,
            log_kow=D.LIDOCAINE_LOGKOW.value,
            pka=D.LIDOCAINE_PKA.value,
            ionisation="base",
            solubility_g_l=D.ANAESTHETIC_SOL.value,
            concentration_g_l=D.EMLA_STRENGTH.value,
            ph=9.0,
            vehicle="cream",
            components=("lidocaine", "prilocaine"),
            note="modelled as its two components, each at 2.5 %; uptake is their sum",
            sources=_keys(D.LIDOCAINE_MW, D.PRILOCAINE_MW, D.EMLA_STRENGTH),
        ),
        Compound(
            name="hyaluronic-acid-lmw",
            label="Hyaluronic acid, low MW (about 50 kDa)",
            mw=D.HA_LMW_MW.value,
            log_kow=D.HA_LOGKOW.value,
            pka=D.HA_PKA.value,
            ionisation="acid",
            solubility_g_l=D.HA_SOL.value,
            concentration_g_l=D.HA_SOL.value,
            ph=6.5,
            vehicle="gel",
            sources=_keys(D.HA_LMW_MW, D.HA_LOGKOW, D.HA_PKA, D.HA_SOL),
        ),
        Compound(
            name="hyaluronic-acid-hmw",
            label="Hyaluronic acid, high MW (about 1,500 kDa)",
            mw=D.HA_HMW_MW.value,
            log_kow=D.HA_LOGKOW.value,
            pka=D.HA_PKA.value,
            ionisation="acid",
            solubility_g_l=D.HA_SOL.value,
            concentration_g_l=D.HA_SOL.value,
            ph=6.5,
            vehicle="gel",
            sources=_keys(D.HA_HMW_MW, D.HA_LOGKOW, D.HA_PKA, D.HA_SOL),
        ),
        Compound(
            name="tranexamic-acid",
            label="Tranexamic acid 100 mg/mL",
            mw=D.TXA_MW.value,
            log_kow=D.TXA_LOGKOW.value,
            solubility_g_l=D.TXA_SOL.value,
            concentration_g_l=D.TXA_SOL.value,
            ph=7.0,
            vehicle="solution",
            sources=_keys(D.TXA_MW, D.TXA_LOGKOW, D.TXA_SOL),
        ),
        Compound(
            name="caffeine",
            label="Caffeine 2 % (reference molecule)",
            mw=D.CAFFEINE_MW.value,
            log_kow=D.CAFFEINE_LOGKOW.value,
            solubility_g_l=D.CAFFEINE_SOL.value,
            concentration_g_l=D.CAFFEINE_SOL.value,
            ph=6.0,
            vehicle="solution",
            sources=_keys(D.CAFFEINE_MW, D.CAFFEINE_LOGKOW, D.CAFFEINE_SOL),
        ),
        Compound(
            name="tca",
            label="Trichloroacetic acid 15 % peel",
            mw=D.TCA_MW.value,
            log_kow=D.TCA_LOGKOW.value,
            pka=D.TCA_PKA.value,
            ionisation="acid",
            solubility_g_l=D.TCA_SOL.value,
            concentration_g_l=150.0,
            ph=1.0,
            vehicle="solution",
            mechanism="coagulation",
            note="acts by protein coagulation, not by diffusion: uptake models do not apply",
            sources=_keys(D.TCA_MW, D.TCA_LOGKOW, D.TCA_PKA, D.TCA_SOL),
        ),
    ]
    return {c.name: c for c in items}


def load_all() -> list[Compound]:
    """Build every catalogue compound (creates the Cited values they rely on).

    Returns
    -------
    list of Compound
        The compounds, in the catalogue's order.
    """
    return list(_catalogue().values())


def list_compounds() -> list[Compound]:
    """Return every catalogue compound.

    Returns
    -------
    list of Compound
        The compounds, in the catalogue's order.
    """
    return load_all()


def compound_names() -> list[str]:
    """Return the names of the catalogue's compounds.

    Returns
    -------
    list of str
        Compound names (``needling compounds list``).
    """
    return list(_catalogue())


def load_compound_file(path: str | Path) -> Compound:
    """Read and validate a user compound file (TOML, ``[compound]`` table with the Compound fields).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Compound
        The validated compound (MW in g/mol, solubility and concentration in g/L).

    Raises
    ------
    InputError
        One line naming the file, the field and what is valid.
    """
    table = read_table(path, "compound", "name, mw, log_kow, pka, ionisation, solubility_g_l, concentration_g_l")
    return validate(Compound, {k: v for k, v in table.items() if k != "sources"}, f"compound file {path}")


def get_compound(name_or_path: str | Path) -> Compound:
    """A catalogue compound by name or a user compound from a TOML file.

    Parameters
    ----------
    name_or_path : str or Path
        A catalogue name (``needling compounds list``) or a compound file.

    Returns
    -------
    Compound
        The compound.

    Raises
    ------
    InputError
        For an unknown name (with the nearest names) or an invalid file.

    Examples
    --------
    >>> get_compound("caffeine").mw
    194.19
    """
    text = str(name_or_path)
    cat = _catalogue()
    if text in cat:
        return cat[text]
    if names_a_file(text):
        return load_compound_file(text)
    raise unknown_name_error("compound", text, cat, field="compound")
