"""What a scenario is given: the commands, the settings, and inputs made once per run.

The inputs are made on first use, so a scenario that needs no synthetic
workspaces (``--only single``) does not pay for them.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import synth
from harness import EXAMPLE, WORK, fresh, measure, soffice_env


@dataclass(frozen=True)
class Batch:
    """One workspace measured by the batch scenarios: the example, or N synthetic documents."""

    label: str  # "example", "N=10", …
    n: int  # documents
    projects: int  # project tables, all documents together
    indicators: int
    ws: Path  # what ``perfdoc build`` is given
    md: Path  # the same content as markdown, one file per document, for pandoc
    synthetic: bool


@dataclass
class Context:
    """Executables, settings, and the inputs the scenarios share."""

    perfdoc: tuple[str, ...]  # the perfdoc command measured
    perfdoc_python: str  # the interpreter perfdoc is installed in (for the trace)
    soffice: str
    pandoc: str
    jobs: int  # --jobs of the batch PDF builds
    timeout: float
    started: float  # time.monotonic() at the start of the run, for --budget-min
    sizes: Sequence[int]
    repeats: int
    floor_runs: int
    pairs: int
    pdf_max_n: int
    budget_min: float
    seed: int
    #: label -> folder of the .docx files (a) built in this run; (c) converts them.
    docx_outputs: dict[str, Path] = field(default_factory=dict)
    _batches: list[Batch] | None = None
    _profile: Path | None = None
    _recorded: Path | None = None

    def batches(self) -> list[Batch]:
        """The example, then one synthetic workspace per size (written on first call)."""
        if self._batches is None:
            self._batches = [_example_batch(), *generate(self.sizes, self.seed)]
        return self._batches

    def sized(self) -> dict[int, Batch]:
        """The synthetic batches by N."""
        return {b.n: b for b in self.batches() if b.synthetic}

    def soffice_profile(self) -> Path:
        """The shared soffice profile, created by one untimed conversion of the example."""
        if self._profile is None:
            out = fresh(WORK / "out" / "example-warmup")
            measure([*self.perfdoc, "build", str(EXAMPLE), "--format", "docx", "--force",
                     "-o", str(out)], timeout=self.timeout)
            profile = fresh(WORK / "soffice-profile")
            measure([self.soffice, "--headless", f"-env:UserInstallation={profile.as_uri()}",
                     "--convert-to", "pdf", "--outdir", str(fresh(WORK / "out" / "warmup")),
                     str(next(out.glob("*.docx")))], env=soffice_env(), timeout=self.timeout)
            self._profile = profile
        return self._profile

    def soffice_profile_recorded(self) -> Path:
        """A copy of the shared profile that records its LibreOffice version, as perfdoc's does.

        A profile only a headless soffice has used never records the version,
        so LibreOffice runs its graphics self-test (over a second here) at
        every start; a profile a desktop user has opened LibreOffice with
        records it and skips the test.  soffice on this copy is the engine
        alone, with no start-up work perfdoc's converters skip.
        """
        from perfdoc.loprofile import record_version

        if self._recorded is None:
            target = WORK / "soffice-profile-recorded"
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(self.soffice_profile(), target, symlinks=True)
            if not record_version(target / "user" / "registrymodifications.xcu"):
                raise RuntimeError("cannot record the LibreOffice version in the soffice profile")
            self._recorded = target
        return self._recorded


def generate(sizes: Sequence[int], seed: int) -> list[Batch]:
    """Write one workspace (and its markdown twins) per size under bench/work/."""
    batches: list[Batch] = []
    if not sizes:
        return batches
    docs = [synth.make_document(i, seed=seed, example=EXAMPLE) for i in range(max(sizes))]
    for n in sizes:
        ws, md = fresh(WORK / "ws" / f"n{n}"), fresh(WORK / "md" / f"n{n}")
        for doc in docs[:n]:
            folder = synth.write_document(doc, ws)
            (md / f"{doc.folder_name}.md").write_text(synth.markdown_for(folder),
                                                     encoding="utf-8")
        batches.append(Batch(f"N={n}", n, sum(len(d.projects) for d in docs[:n]),
                             sum(d.indicator_count for d in docs[:n]), ws, md, True))
    print(f"generated {', '.join(str(n) for n in sizes)} document workspaces under "
          f"{WORK.relative_to(WORK.parent.parent)}", flush=True)
    return batches


def _example_batch() -> Batch:
    md = fresh(WORK / "md" / "example")
    (md / "sanjia_2024.md").write_text(synth.markdown_for(EXAMPLE), encoding="utf-8")
    projects = sorted((EXAMPLE / "projects").glob("*.yaml"))
    indicators = sum(len(re.findall(r"^\s*- level1:", p.read_text(encoding="utf-8"), re.M))
                     for p in projects)
    return Batch("example", 1, len(projects), indicators, EXAMPLE, md, False)
