"""Property tests: any valid document that passes the rules builds a sound .docx.

`make test` runs a bounded number of examples; `make fuzz` sets
HYPOTHESIS_PROFILE=deep for many more.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx as python_docx
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perfdoc.build import render
from perfdoc.check import CheckOptions, check_document
from perfdoc.document import load_document
from perfdoc.outputs import OutputSet
from perfdoc.plan import Job
from perfdoc.problems import Level
from perfdoc.render import default_template_bytes
from perfdoc.workspace import Workspace
from tests.docxtext import paragraph_texts

settings.register_profile("default", max_examples=12, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

# Any printable text XML allows, except what YAML or docxtpl give a meaning to
# (line and paragraph separators, which YAML folds, and docxtpl's "{_{"
# escape) and the invisible format characters perfdoc refuses in names (Cf:
# bidi controls, zero-width characters).
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Cf", "Zl", "Zp"),
                           blacklist_characters="\ufeff"),
    min_size=1, max_size=30,
).filter(lambda s: s.strip() and not any(t in s for t in ("{_", "_}", "%_", "_%")))
_cjk = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
               min_size=2, max_size=12)


class _Dumper(yaml.SafeDumper):
    """Write Decimal money as a plain YAML number, as a person would type it."""


_Dumper.add_representer(
    Decimal, lambda d, v: d.represent_scalar("tag:yaml.org,2002:float", f"{v:.2f}"))

REQUIRED = [
    ("产出指标", "数量指标", ">15 次"),
    ("产出指标", "质量指标", "100%"),
    ("产出指标", "时效指标", "≤7 工作日"),
    ("产出指标", "成本指标", "≤1 万元"),
    ("效益指标", "社会效益指标", "≥5%"),
    ("满意度指标", "服务对象满意度指标", "≥95%"),
]
EXTRA_KINDS = [("产出指标", "数量指标"), ("产出指标", "质量指标"), ("效益指标", "经济效益指标"),
               ("效益指标", "可持续影响指标")]


@st.composite
def projects(draw: st.DrawFn) -> dict[str, Any]:
    total = draw(st.decimals(min_value=1, max_value=100000, places=2))
    rows = [dict(level1=a, level2=b, value=v) for a, b, v in REQUIRED]
    extra = draw(st.lists(st.tuples(st.sampled_from(EXTRA_KINDS), _cjk), max_size=6))
    rows += [dict(level1=a, level2=b, value=v) for (a, b), v in extra]
    names = draw(st.lists(_text, min_size=len(rows), max_size=len(rows), unique=True))
    # A 三级指标 name must be unique in a project; the text rule compares stripped.
    if len({n.strip() for n in names}) != len(names):
        names = [f"{n}{i}" for i, n in enumerate(names)]
    indicators = [
        {**row, "name": name, "description": draw(_text), "basis": draw(_text)}
        for row, name in zip(rows, names, strict=True)
    ]
    project: dict[str, Any] = {
        "unit_code": "912001",
        "unit_name": draw(_text),
        "money_unit": "万元",
        # duplicate-project: each project its own code (an error otherwise).
        "code": f"13082124P{draw(st.integers(0, 10**8)):011d}J",
        "name": draw(_text),
        "budget": {"total": total, "fiscal": total},
        "funding_plan": {"mar": 25, "jun": 50, "oct": 75, "dec": 100},
        "goals": draw(st.lists(_text, min_size=1, max_size=3)),
        "indicators": indicators,
    }
    if draw(st.booleans()):
        project["use_of_funds"] = draw(_text)
    return project


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "document.yaml": {
            "unit": draw(_text), "year": 2024,
            "cover": {"title": draw(_text), "compiled_by": draw(_text),
                      "reviewed_by": draw(_text)},
            "overall_goal": draw(_text),
        },
        "goals.yaml": {
            "itemized_goals": draw(st.lists(st.fixed_dictionaries(
                {"title": _text, "goal": _text, "indicators": _text}), min_size=1, max_size=3)),
            "measures": draw(st.lists(st.fixed_dictionaries({"lead": _text, "body": _text}),
                                      min_size=1, max_size=3)),
        },
        "projects": draw(st.lists(projects(), min_size=1, max_size=3,
                                  unique_by=lambda p: p["code"])),
    }


def _texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [t for v in node.values() for t in _texts(v)]
    if isinstance(node, list):
        return [t for v in node for t in _texts(v)]
    return [node] if isinstance(node, str) else []


@given(documents())
def test_valid_documents_always_build_a_sound_docx(data: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "projects").mkdir()
        files = {"document.yaml": data["document.yaml"], "goals.yaml": data["goals.yaml"]}
        files |= {f"projects/{i:02d}-p.yaml": p for i, p in enumerate(data["projects"], start=1)}
        for name, content in files.items():
            (folder / name).write_text(yaml.dump(content, Dumper=_Dumper, allow_unicode=True),
                                       encoding="utf-8")
        doc, problems = load_document(folder)
        assert doc is not None, problems
        found = check_document(doc, Workspace(None), CheckOptions())
        assert not [p for p in found if p.level is Level.ERROR], found

        job = Job(doc, Workspace(None), default_template_bytes(), "<default>",
                  OutputSet(folder / "build", "x"), "", [])
        built = render(job)
        out = folder / "x.docx"
        out.write_bytes(built)
        python_docx.Document(str(out))  # opens again
        with zipfile.ZipFile(out) as zf:
            from lxml import etree

            body = etree.fromstring(zf.read("word/document.xml"))
        text = "\n".join(paragraph_texts(body))
        for value in _texts(files):
            assert value in text, value
