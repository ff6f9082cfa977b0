"""Virtual populations and in-silico trials, local and distributed."""

from needling.cohort.series import INDICATIONS, SeriesResult, check_indication, run_series

__all__ = ["INDICATIONS", "SeriesResult", "check_indication", "run_series"]
