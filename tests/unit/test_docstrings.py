"""The models' public functions have numpydoc docstrings: every argument described (with its unit in the
text), and what they return."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import re

import pytest
from numpydoc.docscrape import ClassDoc, FunctionDoc
from numpydoc.validate import validate

from needling.evidence import bibliography

#: Model modules held to the full numpydoc form.
MODULES = (
    "needling.models.mechanics.bleeding",
    "needling.models.mechanics.pain",
    "needling.models.mechanics.insertion",
    "needling.models.mechanics.channels",
    "needling.models.transport.closure",
    "needling.models.transport.permeability",
    "needling.models.transport.reduced",
    "needling.models.transport.cell",
    "needling.models.healing.wound",
    "needling.models.healing.injury",
    "needling.models.healing.follicles",
    "needling.cohort.sensitivity",
    "needling.cohort.sensitivity_targets",
    "needling.api",
)


def _public_functions():
    for name in MODULES:
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if not attr.startswith("_") and inspect.isfunction(obj) and obj.__module__ == name:
                yield f"{name}.{attr}", obj


@pytest.mark.parametrize(("name", "fn"), list(_public_functions()), ids=lambda v: v if isinstance(v, str) else "")
def test_numpydoc_sections(name, fn):
    doc = FunctionDoc(fn)
    assert doc["Summary"], f"{name}: no summary line"
    documented: set[str] = set()
    for param in doc["Parameters"]:
        documented.update(p.strip().lstrip("*") for p in param.name.split(","))
    wanted = [p for p in inspect.signature(fn).parameters if p not in {"self", "settings", "kwargs"}]
    missing = [p for p in wanted if p not in documented]
    assert not missing, f"{name}: arguments without a description: {missing}"
    returns = inspect.signature(fn).return_annotation
    if returns not in (None, "None", inspect.Signature.empty):
        assert doc["Returns"], f"{name}: no Returns section"


#: Modules whose public functions, classes and methods pass numpydoc's own validation.
VALIDATED_MODULES = (
    "needling.units",
    "needling.simulation.session",
    "needling.simulation.delivery",
    "needling.simulation.anaesthesia",
    "needling.simulation.validation",
    "needling.api",
    "needling.planner.home_rules",
    "needling.planner.intake",
    "needling.planner.medications",
    "needling.planner.plan",
    "needling.planner.plan_model",
    "needling.planner.protocol_table",
    "needling.planner.rules",
    "needling.planner.vocabulary",
)

#: numpydoc's checks applied to every public function and method (numpydoc.validate's codes):
#: a docstring (GL08) with a one-line summary starting with a capital letter, in the imperative, ending
#: with a period (SS01-SS03, SS05); every argument documented with a type and a description (PR01,
#: PR02, PR04, PR07) ending with a period (PR09); a Returns section with a description when the
#: function returns something (RT01-RT03); section formatting (GL02, GL03, GL06, GL07).
#: Left out: See Also (SA01), Examples (EX01, written where cheap, run by test_doctests.py) and
#: the extended summary (ES01), which a short helper does not need.
FUNCTION_CHECKS = frozenset(
    {"GL02", "GL03", "GL06", "GL07", "GL08", "SS01", "SS02", "SS03", "SS05"}
    | {"PR01", "PR02", "PR04", "PR07", "PR09", "RT01", "RT02", "RT03"}
)
#: Classes: a docstring and its summary. Their fields are listed under Attributes (checked by
#: test_fields_documented); numpydoc would want each dataclass field again as a constructor parameter (PR01).
CLASS_CHECKS = frozenset({"GL02", "GL03", "GL06", "GL07", "GL08", "SS01", "SS02", "SS03"})


#: Packages whose every public module (and the package itself) passes numpydoc's validation too.
VALIDATED_PACKAGES = (
    "needling.anatomy",
    "needling.cohort",
    "needling.compounds",
    "needling.devices",
    "needling.evidence",
    "needling.models",
    "needling.parameters",
    "needling.protocol",
)


#: Subpackages of those not yet held to it (none: add one here only with the reason).
NOT_YET_VALIDATED: tuple[str, ...] = ()


def _validated_modules() -> list[str]:
    names = list(VALIDATED_MODULES)
    for package in VALIDATED_PACKAGES:
        names.append(package)
        path = importlib.import_module(package).__path__
        names += [m.name for m in pkgutil.walk_packages(path, prefix=package + ".") if "._" not in m.name]
    return sorted(n for n in set(names) if not n.startswith(NOT_YET_VALIDATED))


def _public_members():
    for name in _validated_modules():
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or getattr(obj, "__module__", None) != name:
                continue
            if inspect.isfunction(obj):
                yield f"{name}.{attr}", FUNCTION_CHECKS
            elif inspect.isclass(obj):
                yield f"{name}.{attr}", CLASS_CHECKS
                for member, value in vars(obj).items():
                    if member.startswith("_"):
                        continue
                    if inspect.isfunction(value) or isinstance(value, (property, classmethod, staticmethod)):
                        yield f"{name}.{attr}.{member}", FUNCTION_CHECKS


def test_validated_modules_have_public_members():
    assert len(list(_public_members())) >= 10


@pytest.mark.parametrize(("name", "checks"), list(_public_members()), ids=lambda v: v if isinstance(v, str) else "")
def test_numpydoc_validation(name, checks):
    errors = [f"{code} {message}" for code, message in validate(name)["errors"] if code in checks]
    assert not errors, f"{name}: " + "; ".join(errors)


#: Modules whose every public class (result and record types) lists every field, with its unit, under
#: Parameters or Attributes. Every public dataclass and pydantic model of the validated modules is held
#: to the same rule (:func:`_result_types`).
FIELD_MODULES = (
    "needling.cohort.series",
    "needling.cohort.trial",
    "needling.simulation.session",
    "needling.simulation.delivery",
    "needling.simulation.anaesthesia",
    "needling.planner.home_rules",
    "needling.planner.intake",
    "needling.planner.medications",
    "needling.planner.plan_model",
    "needling.planner.rules",
)


def _fields(cls) -> list[str]:
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls)]
    if hasattr(cls, "model_fields"):  # pydantic models
        return list(cls.model_fields)
    return list(cls.__annotations__)


def _documented_names(cls) -> set[str]:
    doc = ClassDoc(cls, config={"show_class_members": False})
    names: set[str] = set()
    for section in ("Parameters", "Attributes"):
        for item in doc[section]:
            names.update(n.strip() for n in item.name.split(","))
    return names


def _is_record(cls) -> bool:
    """A dataclass or a pydantic model: a type whose fields are its public data."""
    return dataclasses.is_dataclass(cls) or hasattr(cls, "model_fields")


def _result_types():
    """Every public class of FIELD_MODULES, and every public dataclass or pydantic model of the validated modules."""
    seen: set[int] = set()
    for name in sorted(set(FIELD_MODULES) | set(_validated_modules())):
        module = importlib.import_module(name)
        for attr, obj in vars(module).items():
            if attr.startswith("_") or not inspect.isclass(obj) or obj.__module__ != name or id(obj) in seen:
                continue
            if name in FIELD_MODULES or _is_record(obj):
                seen.add(id(obj))  # an alias (``CohortRun = ArmOutcomes``) is checked once
                yield f"{name}.{attr}", obj


def test_record_types_found():
    names = [name for name, _cls in _result_types()]
    assert len(names) >= 80, len(names)
    assert "needling.devices.model.Device" in names and "needling.compounds.model.Compound" in names


@pytest.mark.parametrize(("name", "cls"), list(_result_types()), ids=lambda v: v if isinstance(v, str) else "")
def test_fields_documented(name, cls):
    fields = [f for f in _fields(cls) if not f.startswith("_")]  # private fields are not documented
    assert fields or _is_record(cls), f"{name}: no fields found"
    missing = [f for f in fields if f not in _documented_names(cls)]
    assert not missing, f"{name}: fields not under Parameters or Attributes: {missing}"


#: A numeric field's description names its unit or scale: an SI or named unit ("m", "kg/(m2 s)", "1/cm2",
#: "h", "weeks", "%"), a range ("0-1", "0-4"), or a word that says the number has none or whose it is
#: ("dimensionless", "count", "ratio", "the endpoint's unit", "transformed scale").
_UNIT = re.compile(
    r"(?:^|[\s(,;=])(?:[mskgNJWh]|Pa|mm|um|nm|cm|min|days?|weeks?|years?|Hz|mol|g/mol|g/L|mg|ug|\S*/\S+|\S+\d|%"
    r"|\d+-\d+|dimensionless|count|pH|log10|points|draws|grade units|multiplier|factor|fraction|ratio|relative"
    r"|probability|unit|units|``unit``|scale|index)(?=[\s).,;:]|$)",
    re.IGNORECASE,
)
#: Field types that are numbers with a unit (floats and float arrays; not arrays of int, bool or str).
_NUMERIC = re.compile(r"float|ndarray|array")
_NOT_NUMERIC = re.compile(r"of (?:int|bool|str)|list of numpy")


@pytest.mark.parametrize(("name", "cls"), list(_result_types()), ids=lambda v: v if isinstance(v, str) else "")
def test_numeric_fields_name_their_unit(name, cls):
    doc = ClassDoc(cls, config={"show_class_members": False})
    missing = [
        item.name
        for section in ("Parameters", "Attributes")
        for item in doc[section]
        if _NUMERIC.search(item.type) and not _NOT_NUMERIC.search(item.type) and not _UNIT.search(" ".join(item.desc))
    ]
    assert not missing, f"{name}: numeric fields whose description names no unit or scale: {missing}"


def test_unit_rule_rejects_a_bare_description():
    assert _UNIT.search("Depth of the channel, m.") and _UNIT.search("Probability of PIH, 0-1.")
    assert _UNIT.search("Flux per area, kg/(m2 s).") and _UNIT.search("Channels per area, 1/cm2.")
    assert not _UNIT.search("Depth of the channel.") and not _UNIT.search("Mean quantitative score.")


def _references() -> list[tuple[str, str]]:
    """Every ``Key (evidence key)`` named in the References of the validated modules' docstrings."""
    found = []
    for name, _checks in _public_members():
        found += [(name, key) for key in re.findall(r"(\S+) \(evidence key\)", _docstring(name))]
    return found


def _docstring(qualified: str) -> str:
    for split in range(1, qualified.count(".") + 1):
        module_name, *attrs = qualified.rsplit(".", split)
        try:
            obj = importlib.import_module(module_name)
        except ImportError:
            continue
        for attr in attrs:
            obj = inspect.getattr_static(obj, attr)
        obj = obj.fget if isinstance(obj, property) else getattr(obj, "__func__", obj)
        return inspect.getdoc(obj) or ""
    return ""


def test_references_name_bibliography_keys():
    refs = _references()
    assert len(refs) >= 10, refs
    known = bibliography()
    unknown = [f"{name}: {key}" for name, key in refs if key not in known]
    assert not unknown, f"References name evidence keys the bibliography does not hold: {unknown}"
