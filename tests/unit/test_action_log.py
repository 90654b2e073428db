"""The action log reader: good CSV and YAML, and one clear error per bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from smp_analysis.errors import InputError
from smp_analysis.present.blocks import paragraph_html
from smp_analysis.sources.actions import (
    ACTION_COLUMNS,
    ACTION_STATUSES,
    empty_action_log,
    read_action_log,
)

from ..helpers import REPO_ROOT

HEADER = "priority,action,lead,status,update,public\n"
KNOWN = ["SV", "DA", "TC", "CYP", "VUL"]


def test_csv_is_read_with_vocabulary_and_default_public(tmp_path: Path) -> None:
    p = tmp_path / "actions.csv"
    p.write_text(
        HEADER + "DA,Train GPs,DA subgroup,in progress,Half done,\n"
        "VUL,Tasking meeting,Vulnerability group,COMPLETE,,no\n",
        encoding="utf-8",
    )
    df = read_action_log(p, known=KNOWN)
    assert df.columns.tolist() == list(ACTION_COLUMNS)
    assert df["status"].tolist() == ["In progress", "Complete"]
    assert df["public"].tolist() == [True, False]
    assert df["update"].tolist() == ["Half done", ""]


def test_yaml_gives_the_same_frame_as_csv(tmp_path: Path) -> None:
    c = tmp_path / "a.csv"
    c.write_text(HEADER + "SV,Knife arches,SV subgroup,On hold,Paused,false\n", encoding="utf-8")
    y = tmp_path / "a.yml"
    y.write_text(
        "- priority: SV\n  action: Knife arches\n  lead: SV subgroup\n  status: On hold\n"
        "  update: Paused\n  public: false\n",
        encoding="utf-8",
    )
    pd.testing.assert_frame_equal(read_action_log(c), read_action_log(y))


def test_header_only_is_an_empty_log_with_the_columns(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_text(HEADER, encoding="utf-8")
    df = read_action_log(p)
    assert df.empty and df.columns.tolist() == list(ACTION_COLUMNS)
    assert empty_action_log().columns.tolist() == list(ACTION_COLUMNS)


def test_the_committed_sample_log_reads_against_the_sample_config() -> None:
    from smp_analysis.config import load_config

    cfg = load_config(REPO_ROOT / "data" / "config" / "sample.yml")
    known = [p.id for p in cfg.priorities] + [t.id for t in cfg.themes]
    df = read_action_log(cfg.data.action_log, known=known)
    assert set(df["priority"]) == set(known)  # every priority and theme has work
    assert set(df["status"]) == set(ACTION_STATUSES)
    assert df["update"].str.contains("synthetic example").all()


# (file name, content, line, column, problem, fix)
BAD = [
    ("missing.csv", "priority,action,status\nDA,x,Complete\n", 1, "lead",
     "header lacks column 'lead'", "needs"),
    ("extra.csv", "priority,action,lead,status,owner\nDA,x,y,Complete,z\n", 1, "owner",
     "unknown column 'owner'", "use only"),
    ("blank_action.csv", HEADER + "DA,x,y,Complete,,\nDA, ,y,Complete,,\n", 3, "action",
     "action is blank", "give the action"),
    ("status.csv", HEADER + "DA,x,y,Done,,\n", 2, "status",
     "'Done' is not an action status", "Complete, In progress, Not started, On hold"),
    ("unknown_code.csv", HEADER + "DA,x,y,Complete,,\nXX,z,y,Complete,,\n", 3, "priority",
     "unknown priority or theme 'XX'; the config has CYP, DA, SV, TC, VUL", "priority id"),
    ("lower_code.csv", HEADER + "da,x,y,Complete,,\n", 2, "priority",
     "unknown priority or theme 'da'", "2-4 capitals"),
    ("public.csv", HEADER + "DA,x,y,Complete,,maybe\n", 2, "public",
     "'maybe' is not true or false", "leave it blank"),
    ("twice.csv", HEADER + "DA,Train GPs,y,Complete,,\nSV,Train GPs,y,Complete,,\n"
     "DA,train gps,z,On hold,,\n", 4, "action",
     "the action 'train gps' of DA is also on line 2", "once per priority"),
    ("control.csv", HEADER + "DA,x,y,Complete,hid\x1bden,\n", 2, "update",
     "control character U+001B", "retype"),
    ("long.csv", HEADER + "DA," + "a" * 301 + ",y,Complete,,\n", 2, "action",
     "action is 301 characters long (at most 300)", "shorten"),
    ("row_width.csv", HEADER + "DA,x,y\n", 2, "status",
     "row has 3 field(s) but the header has 6", "complete the row"),
    ("not_list.yml", "priority: DA\n", 1, None,
     "must be a list of actions", "one '- priority: DA' entry"),
    ("yaml_key.yml", "- {priority: DA, action: x, lead: y, status: Complete}\n"
     "- {priority: DA, action: z, lead: y, status: Complete, owner: q}\n", 2, "owner",
     "unknown key 'owner'", "use only"),
    ("yaml_missing.yml", "- {priority: DA, action: x, status: Complete}\n", 1, "lead",
     "action lacks 'lead'", "give every action"),
    ("yaml_nested.yml", "- {priority: DA, action: [a, b], lead: y, status: Complete}\n", 1,
     "action", "'action' must be text, not a list or mapping", "one line"),
    ("yaml_status.yml", "- {priority: DA, action: x, lead: y, status: Complete}\n"
     "- priority: DA\n  action: z\n  lead: y\n  status: Finished\n", 2, "status",
     "'Finished' is not an action status", "use one of"),
    ("log.txt", "priority,action\n", None, "data.action_log",
     "cannot tell the format", ".csv or .yml"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "line", "column", "problem", "fix"), BAD)
def test_bad_action_log_is_one_line_naming_file_line_column_fix(
    tmp_path: Path, name, content, line, column, problem, fix
) -> None:
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_action_log(p, known=KNOWN)
    err = info.value
    text = str(err)
    assert err.exit_code == 2 and "\n" not in text
    assert err.path is not None and name in err.path
    assert (err.line, err.column) == (line, column), (err.line, err.column, text)
    assert problem in text and "Fix: " in text and fix in text, text


def test_not_utf8_and_empty_files(tmp_path: Path) -> None:
    p = tmp_path / "a.csv"
    p.write_bytes(HEADER.encode() + b"DA,caf\xe9,y,Complete,,\n")
    with pytest.raises(InputError, match=r"a.csv:2: column 'action': byte 0xe9 is not UTF-8"):
        read_action_log(p)
    p.write_bytes(b"")
    with pytest.raises(InputError, match="action log is empty"):
        read_action_log(p)
    y = tmp_path / "a.yml"
    y.write_text("# nothing yet\n", encoding="utf-8")
    with pytest.raises(InputError, match="the action log is empty"):
        read_action_log(y)


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    p = tmp_path / "bomb.yml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="aliases expand"):
        read_action_log(p)


def test_hostile_text_stays_text_in_the_work_table(tmp_path: Path) -> None:
    """Markup in an action is escaped in the rendered table, never live."""
    from smp_analysis.assessment.sections.work import work_summary, work_table
    from smp_analysis.present.blocks import Paragraph

    p = tmp_path / "a.csv"
    p.write_text(
        HEADER + 'DA,"<img src=x onerror=alert(1)>",<script>x</script>,Complete,'
        '"![t](http://evil.example/x.png) =HYPERLINK(""http://e"")",\n',
        encoding="utf-8",
    )
    log = read_action_log(p)
    w = work_summary(log, "DA", configured=True)
    html = paragraph_html(Paragraph("DA.20", "Work undertaken", ("x",), (work_table(w, "T"),)))
    assert "<img" not in html and "<script>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;script&gt;x&lt;/script&gt;" in html
