"""Screening rules, protocol rules and plan assembly: pure functions, each rule cited."""

from needling.planner.intake import PatientIntake, load_intake
from needling.planner.plan import make_plan, min_interval_weeks, region_limit_mm
from needling.planner.plan_model import Combination, HomeCare, Plan, Reason, Region
from needling.planner.rules import Screening, list_rules, rules_version, screen

RULES_VERSION = rules_version()

__all__ = [
    "RULES_VERSION",
    "Combination",
    "HomeCare",
    "PatientIntake",
    "Plan",
    "Reason",
    "Region",
    "Screening",
    "list_rules",
    "load_intake",
    "make_plan",
    "min_interval_weeks",
    "region_limit_mm",
    "rules_version",
    "screen",
]
