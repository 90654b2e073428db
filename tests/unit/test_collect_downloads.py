"""The build writes downloads only under the report's data folders, from names it checks:
a paragraph payload naming another path (hostile or corrupted notebook output) stops the
build with one line instead of writing outside the output folder."""

from __future__ import annotations

import nbformat
import pandas as pd
import pytest

from smp_analysis.errors import BuildError
from smp_analysis.pipeline import collect_downloads
from smp_analysis.present.blocks import DATA_MIME
from smp_analysis.results.payload import to_payload
from smp_analysis.results.result import Result, ResultTable


def _nb(payloads: list[dict]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("section.show('X.1')")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": "<p>x</p>", DATA_MIME: p})
        for p in payloads
    ]
    nb.cells.append(cell)
    return nb


def _payload(label: str = "DA.4") -> dict:
    t = ResultTable("Table", pd.DataFrame({"count": [1.0]}))
    return to_payload(Result(label, "Title", (t,)))


def test_good_names_are_collected_and_removed_from_the_page() -> None:
    nb = _nb([_payload("DA.4"), _payload("SV.2")])
    got = collect_downloads(nb)
    assert [name for name, _ in got] == ["data/DA.4-1.csv", "data/SV.2-1.csv"]
    assert all(DATA_MIME not in o["data"] for o in nb.cells[0].outputs)


@pytest.mark.parametrize(
    "name",
    ["../escape.csv", "/tmp/x.csv", "data/../../x.csv", "data/DA.4-1.csv/..", "data\\DA.4-1.csv",
     "data/DA.4-1.CSV", "data/da.4-1.csv", "public-data/PS.2-1.csv.sh"],
)  # fmt: skip
def test_a_bad_or_repeated_name_stops_the_build(name: str) -> None:
    p = _payload()
    p["tables"][0]["name"] = name
    with pytest.raises(BuildError, match="bad or repeated name") as err:
        collect_downloads(_nb([p]))
    assert "\n" not in str(err.value)
    with pytest.raises(BuildError, match="repeated"):
        collect_downloads(_nb([_payload(), _payload()]))
