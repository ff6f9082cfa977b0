"""``python -m needling.cohort.bayes.report``: the leave-one-trial-out table of the shipped calibration (Markdown).

The README's table is this output; the documentation renders the same file.
"""

from __future__ import annotations

import json
from importlib import resources

from needling.cohort.bayes.calibrate import markdown_table


def main() -> None:
    """Print the table and its coverage line."""
    doc = json.loads((resources.files("needling.cohort.bayes") / "loto.json").read_text())
    print(markdown_table(doc["rows"]))


if __name__ == "__main__":
    main()
