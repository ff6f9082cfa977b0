"""The planner's intake checks, refused on the Swedish web intake: one plain Swedish sentence per refusal kind.

The intake form is posted as a browser posts it with Swedish as the reader's language; each refused field must
carry exactly the sentence below, the banner the same sentence, and neither the planner's English line (pydantic's
"Input should be", an intake path such as ``procedures.0``, a "valid:" list) nor an English word. The command line
and the API keep the English line (checked at the end).
"""

from __future__ import annotations

import re

import pytest

from needling.errors import InputError
from needling.i18n import reason
from needling.planner.intake import load_intake
from tests.clinic.conftest import login, make_app
from tests.clinic.test_intake_pages import FULL
from tests.clinic.test_swedish_pages import english_in

SV = {"accept-language": "sv-SE,sv;q=0.9"}
TWO_GOALS = "Området kind har två mål. Ange ett mål per område, det viktigaste. Ett område behandlas bara en gång per "
TWO_GOALS += "behandling."
CASES = [
    ({"age": "130"}, "age", "Skriv åldern i hela år, från 0 till 120."),
    ({"sex": "x"}, "sex", "Välj patientens kön."),
    ({"fitzpatrick": "7"}, "fitzpatrick", "Välj en hudtyp från 1 till 6 (Fitzpatrick)."),
    ({"proc-1-needle_length_mm": "3.5"}, "proc-1-needle_length_mm", "Skriv en nållängd över 0 mm och högst 3 mm."),
    ({"proc-0-kind": "tatoo"}, "proc-0-kind", "Välj ett ingrepp i listan."),
    ({"proc-0-region": "elbow"}, "proc-0-region", "Välj ett område i listan."),
    ({"goal-0-grade": "7"}, "goal-0-grade", "Välj en ärrgrad från 0 till 4."),
    ({"goal-0-grade": ""}, "goal-0-grade", "Akneärr behöver en ärrgrad. Välj en grad från 0 till 4 (Goodman & Baron)."),
    ({"goal-1-indication": "freckles"}, "goal-1-indication", "Välj i listan vad som ska behandlas."),
    ({"goal-1-striae_type": "blue"}, "goal-1-striae_type", "Välj typ av bristningar i listan."),
    (
        {"med-1-atc": "XYZ"},
        "med-1-atc",
        "XYZ är ingen ATC-kod. Skriv en kod som B01AF02 eller L04, eller lämna koden tom och skriv namnet.",
    ),
    ({"med-1-route": "anal"}, "med-1-route", "Välj i listan hur läkemedlet tas."),
    ({"setting": "moon"}, "setting", "Välj var behandlingen ges: på kliniken eller hemma."),
    ({"conditions": ["freckles"]}, "conditions", "Välj sjukdomar och tillstånd i listan."),
    ({"devices": ["no-such-pen"]}, "devices", "Välj ett instrument i listan."),
    ({"goal-1-region": "cheek", "goal-1-indication": "wrinkles", "goal-1-striae_type": ""}, "goals", TWO_GOALS),
    (
        {f"goal-{i}-{n}": "" for i in (0, 1) for n in ("region", "indication", "grade", "striae_type")},
        "goals",
        "Lägg till minst ett mål: ett område och vad som ska behandlas.",
    ),
]


@pytest.fixture
def app(tmp_path):
    application = make_app(tmp_path)
    yield application
    application.state.engine.dispose()


@pytest.mark.parametrize(("change", "field", "swedish"), CASES, ids=[c[1] + "-" + str(i) for i, c in enumerate(CASES)])
def test_each_intake_check_reads_as_one_swedish_sentence(app, change, field, swedish):
    c = login(app, "clinician")
    r = c.http.post("/patients/new", data={"csrf_token": c.csrf, **FULL, **change}, headers=SV)
    assert r.status_code == 422, r.text[:300]
    marked = re.search(rf'<span class="field-error" id="err-{field}" role="alert">(.*?)</span>', r.text, re.S)
    assert marked, re.findall(r'id="err-[^"]+"', r.text)
    text = marked.group(1).replace("&amp;", "&")
    assert text == swedish
    banner = re.search(r'<div class="flash error" role="status">(.*?)</div>', r.text, re.S)
    assert banner and banner.group(1).replace("&amp;", "&") == f"Inte sparat: {swedish}"
    for leak in ("Input should", "valid:", "procedures.", "goals.", "medications.", "patient.", "unknown "):
        assert leak not in r.text, leak
    assert english_in(text) == [] and not re.search(r"\d{4}-\d{2}-\d{2}", text)


def test_the_command_line_and_the_api_keep_the_english_line():
    intake = {
        "patient": {"age": 34, "sex": "female", "fitzpatrick": 2},
        "procedures": [{"kind": "microneedling", "date": "2025-09-01", "needle_length_mm": 3.5}],
        "goals": [{"region": "cheek", "indication": "wrinkles"}],
    }
    with pytest.raises(InputError) as caught:
        load_intake(intake)
    assert str(caught.value) == "patient data: procedures.0.needle_length_mm: Input should be less than or equal to 3"
    assert reason(caught.value, "sv") == "Skriv en nållängd över 0 mm och högst 3 mm."
    with pytest.raises(InputError) as caught:
        load_intake({**intake, "procedures": [], "medications": [{"name": "Waran", "atc": "B1"}]})
    assert "atc 'B1' is not an ATC code; valid: e.g. B01AF02" in str(caught.value)
    assert reason(caught.value, "sv").startswith("B1 är ingen ATC-kod.")
