"""The web layer's shape: roles as an enum stored as before, dependencies as Annotated aliases, settings."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

import needling.clinic
from needling.clinic.accounts import create_user
from needling.clinic.models import User
from needling.clinic.roles import Role
from needling.clinic.settings import Settings
from needling.errors import InputError
from tests.clinic.conftest import make_app
from tests.clinic.test_clinic_api import INTAKE

CLINIC = Path(needling.clinic.__file__).parent
ROUTE_MODULES = sorted(p for p in CLINIC.glob("*.py") if "router = APIRouter" in p.read_text(encoding="utf-8"))


def test_roles_are_an_enum_stored_as_the_same_text(tmp_path):
    app = make_app(tmp_path)
    with app.state.Session() as db:
        user = create_user(db, "nurse@example.org", "Nina Nurse", "clinician", "a long enough passphrase 7")
        db.commit()
        stored = db.execute(text("SELECT role FROM users WHERE id = :id"), {"id": user.id}).scalar_one()
        db.expunge_all()
        loaded = db.get(User, user.id)
    assert stored == "clinician"  # the column keeps the values it always held: no data migration
    assert loaded is not None and loaded.role is Role.CLINICIAN
    assert [r.value for r in Role] == ["admin", "clinician", "patient"]
    with app.state.Session() as db, pytest.raises(InputError, match="unknown role 'nurse'; valid: admin, clinician"):
        create_user(db, "n2@example.org", "N", "nurse", "a long enough passphrase 7")
    app.state.engine.dispose()


def test_routes_take_their_dependencies_through_the_annotated_aliases():
    assert len(ROUTE_MODULES) >= 8
    spelled_out = []
    for path in ROUTE_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Depends":
                spelled_out.append(f"{path.name}:{node.lineno}")
    assert spelled_out == [], f"routes calling Depends(...) instead of deps.DbSession, CurrentUser, ...: {spelled_out}"


#: The prologue pages used to write by hand; the deps aliases (PageUser, PageStaff, PageAdmin, FormUser,
#: FormStaff, FormAdmin) say the same once, in the route's signature.
HAND_WRITTEN_PROLOGUE = re.compile(
    r"need_login\(|^    check_form_csrf\(request, csrf_token\)|^    S\.require_role\(user, ", re.MULTILINE
)


def _route_bodies(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
            isinstance(d, ast.Call) and getattr(d.func, "attr", "") in {"get", "post", "put", "patch", "delete"}
            for d in node.decorator_list
        ):
            yield node.name, "".join(lines[node.body[0].lineno - 1 : node.end_lineno])


#: Routes that check by hand on purpose, with why.
CHECKS_BY_HAND = {
    # JSON for the intake form's script: a visitor gets 401 as JSON, not the log-in page's redirect
    "intake_pages.py:medication_search",
}


def test_page_routes_state_log_in_csrf_and_role_in_their_signature():
    checked, by_hand = 0, []
    for path in ROUTE_MODULES:
        for name, body in _route_bodies(path):
            checked += 1
            if f"{path.name}:{name}" not in CHECKS_BY_HAND and HAND_WRITTEN_PROLOGUE.search(body):
                by_hand.append(f"{path.name}:{name}")
    assert checked >= 50
    assert by_hand == [], f"routes writing the log-in, CSRF or role check by hand instead of deps' aliases: {by_hand}"


def test_settings_read_every_needling_variable_and_explicit_values_win(monkeypatch, tmp_path):
    monkeypatch.setenv("NEEDLING_SECURE_COOKIES", "1")
    monkeypatch.setenv("NEEDLING_SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("NEEDLING_SESSION_MAX_HOURS", "")  # empty counts as not set: the default
    monkeypatch.setenv("NEEDLING_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    s = Settings(data_dir=tmp_path, secret_key="k", session_idle_s=42)
    assert s.secure_cookies and s.session_idle_s == 42 and s.session_max_age_s == 8 * 3600
    assert s.database_url.endswith("env.db")
    assert Settings(data_dir=tmp_path, database_url="", secret_key="k").database_url.endswith("env.db")
    monkeypatch.setenv("NEEDLING_SECURE_COOKIES", "0")
    assert not Settings(data_dir=tmp_path, secret_key="k").secure_cookies


@pytest.mark.parametrize(
    ("name", "value", "line"),
    [
        ("NEEDLING_LOGIN_ATTEMPTS", "many", "NEEDLING_LOGIN_ATTEMPTS='many' is not a number"),
        (
            "NEEDLING_SESSION_IDLE_MINUTES",
            "2000",
            "NEEDLING_SESSION_IDLE_MINUTES=2000 is out of range; valid: 1 to 1440",
        ),
        ("NEEDLING_DATABASE_URL", "mysql://db/x", "database URL 'mysql://db/x' is not supported"),
    ],
)
def test_a_bad_setting_is_one_line_naming_the_variable(monkeypatch, tmp_path, name, value, line):
    monkeypatch.setenv(name, value)
    with pytest.raises(InputError) as caught:
        Settings(data_dir=tmp_path, secret_key="k")
    assert str(caught.value).startswith(line) and "\n" not in str(caught.value)


WRITES = {"commit", "add", "add_all", "delete", "merge", "flush"}


def test_no_route_module_writes_or_commits():
    """Every write is a service operation that commits itself (clinic/transactions.py); routes only call them."""
    found = []
    for path in ROUTE_MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
                receiver = node.func.value
                name = receiver.attr if isinstance(receiver, ast.Attribute) else getattr(receiver, "id", "")
                if name in ("db", "session"):
                    found.append(f"{path.name}:{node.lineno} {name}.{node.func.attr}()")
    assert found == [], f"route modules writing to the database themselves: {found}"


def test_pages_and_api_log_in_and_out_through_the_same_functions():
    callers: dict[str, set[str]] = {"open_session": set(), "log_out": set(), "log_in": set()}
    for path in CLINIC.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") in callers:
                callers[node.func.id].add(path.name)
    assert callers["open_session"] == {"api.py", "pages.py"}
    assert callers["log_out"] == {"api.py", "pages.py"}
    assert callers["log_in"] == {"login.py"}  # only open_session checks credentials


def test_an_operation_commits_once_and_nothing_when_it_fails(tmp_path):
    from needling.clinic import services as S
    from needling.clinic.models import Patient
    from needling.clinic.transactions import one_transaction

    app = make_app(tmp_path)
    intake = INTAKE
    with app.state.Session() as db:
        admin = db.scalars(select(User).where(User.role == Role.ADMIN)).one()
        before = db.scalar(select(func.count()).select_from(Patient))
        with pytest.raises(RuntimeError), one_transaction(db):
            S.create_patient(db, admin, "Kept Nowhere", intake)  # inside: does not commit on its own
            raise RuntimeError("a later step fails")
        db.rollback()
        assert db.scalar(select(func.count()).select_from(Patient)) == before
        S.create_patient(db, admin, "Stored Once", intake)  # alone: commits when it returns
    with app.state.Session() as other:
        assert other.scalar(select(func.count()).select_from(Patient).where(Patient.name == "Stored Once")) == 1
    app.state.engine.dispose()
