"""The :class:`Compound` model and ionisation."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Compound(BaseModel):
    """A topical compound.

    ``mw`` in g/mol, ``solubility_g_l`` and ``concentration_g_l`` (the usual strength of its formulation)
    in g/L; ``ionisation`` says whether ``pka`` belongs to an acid or a base. ``mechanism`` is
    ``"coagulation"`` for agents such as TCA that act by protein coagulation rather than diffusion.

    Attributes
    ----------
    name : str
        Catalogue name of the compound, 1-80 characters.
    label : str
        Name shown to people; empty for the catalogue name.
    mw : float
        Molecular weight, g/mol.
    log_kow : float
        Octanol-water partition coefficient, log10 (dimensionless); sets the stratum corneum partition.
    pka : float or None
        Acid dissociation constant, pKa (dimensionless); None for a compound that does not ionise.
    ionisation : {"acid", "base", "neutral"}
        Whether ``pka`` belongs to an acid or a base.
    solubility_g_l : float
        Aqueous solubility, g/L (= kg/m3); caps the driving concentration.
    concentration_g_l : float
        Usual strength of the formulation, g/L (= kg/m3).
    ph : float
        Usual pH of the formulation (dimensionless).
    vehicle : {"serum", "solution", "gel", "cream"}
        Product type; sets the default finite dose people apply.
    mechanism : {"diffusion", "coagulation"}
        How the compound acts; uptake models apply to diffusion only.
    components : tuple of str
        Names of the compounds a mixture is modelled as (uptake is their sum); empty for a single compound.
    note : str
        Free text on formulation or modelling caveats.
    sources : tuple of str
        Evidence keys of the sources the compound's figures come from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    label: str = ""
    mw: float = Field(gt=0, le=1e8, description="molecular weight, g/mol")
    log_kow: float = Field(ge=-10, le=10)
    pka: float | None = Field(default=None, ge=-5, le=20)
    ionisation: Literal["acid", "base", "neutral"] = "neutral"
    solubility_g_l: float = Field(gt=0, le=2000)
    concentration_g_l: float = Field(gt=0, le=2000, description="usual strength of the formulation, g/L")
    ph: float = Field(default=5.5, ge=0, le=14, description="usual pH of the formulation")
    vehicle: Literal["serum", "solution", "gel", "cream"] = Field(
        default="serum", description="product type: sets the default finite dose people apply"
    )
    mechanism: Literal["diffusion", "coagulation"] = "diffusion"
    components: tuple[str, ...] = ()
    note: str = ""
    sources: tuple[str, ...] = ()

    def unionised_fraction(self, ph: float | None = None) -> float:
        """Return the fraction un-ionised at ``ph`` (Henderson-Hasselbalch); 1 for neutral compounds.

        Parameters
        ----------
        ph : float or None
            The pH of the vehicle; None for the formulation's own pH.

        Returns
        -------
        float
            Un-ionised fraction, 0-1.
        """
        ph = self.ph if ph is None else ph
        if self.ionisation == "neutral" or self.pka is None:
            return 1.0
        if self.ionisation == "acid":
            return 1.0 / (1.0 + 10.0 ** (ph - self.pka))
        return 1.0 / (1.0 + 10.0 ** (self.pka - ph))

    def summary(self) -> dict[str, object]:
        """Return the fields ``compounds list --json`` shows.

        Returns
        -------
        dict
            ``name``, ``label``, molecular weight ``mw`` (g/mol), ``log_kow``, ``pka`` and ``mechanism``.
        """
        return {
            "name": self.name,
            "label": self.label,
            "mw": self.mw,
            "log_kow": self.log_kow,
            "pka": self.pka,
            "mechanism": self.mechanism,
        }
