"""Nothing in the graph is invented: its Dutch texts occur in the source documents.

Compared without whitespace (so PDF line breaks and split words such as 'relev ante' do not matter)
and without footnote markers. Each item text, quote and section line must be found in the document
of its module's werksoort.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from rdflib import RDF, Literal
from rdflib.namespace import DCTERMS, SKOS

from modgraph.catalogue import load
from modgraph.namespaces import MG
from modgraph.paths import CatalogueRoot

ROOT = Path(__file__).resolve().parents[1]
# The source documents are not part of the repository: $MODGRAPH_SOURCES, or ../shared/sources beside it.
SOURCES = Path(os.environ.get("MODGRAPH_SOURCES", ROOT.parent / "shared" / "sources"))
DOCUMENTS = {"amw": "000_592630499203680d.txt", "bmw": "003_fa264c4e35d7fac0.txt"}
SECTION_PROPERTIES = [MG.targetGroupText, MG.workRelevanceText, MG.durationText, MG.settingText,
                      MG.workingMethodText, MG.additionalInformationText, MG.preconditionsText, MG.contraIndication]


def squash(text: str) -> str:
    """No whitespace, no footnote markers, no bullets, hyphenated line ends joined."""
    text = re.sub(r"-\s*\n\s*", "-", text)
    text = text.replace("•", "").replace("�", "")
    text = re.sub(r"(?<=[A-Za-zë])\*", "", text)            # cliënt*, standaard*
    text = re.sub(r"\b(PTTS|Goossen)\d\b", r"\1", text)      # PTTS3, Goossen1
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module", autouse=True)
def _need_sources():
    if not all((SOURCES / name).is_file() for name in DOCUMENTS.values()):
        pytest.skip(f"source documents not found in {SOURCES} (set MODGRAPH_SOURCES)")


@pytest.fixture(scope="module")
def sources() -> dict[str, str]:
    return {ws: squash((SOURCES / name).read_text(encoding="utf-8")) for ws, name in DOCUMENTS.items()}


@pytest.fixture(scope="module")
def graph():
    return load(CatalogueRoot(ROOT)).graph


def modules(graph):
    for module in sorted(graph.subjects(RDF.type, MG.Module)):
        yield module, str(graph.value(module, MG.werksoort)).rsplit("/", 1)[-1]


def missing(text: str, source: str) -> list[str]:
    """The pieces of ``text`` (lines, list items) that do not occur in ``source``."""
    pieces = []
    for line in str(text).split("\n"):
        line = re.sub(r"^\s*[-•]\s*", "", line).strip()
        if line and squash(line) not in source:
            pieces.append(line)
    return pieces


def test_every_module_has_a_source(graph):
    assert sum(1 for _ in modules(graph)) == 43


def test_item_texts_are_verbatim(graph, sources):
    problems = []
    for module, ws in modules(graph):
        for prop in (MG.hasGoal, MG.hasActivity, MG.hasPrecondition):
            for item in graph.objects(module, prop):
                for text in graph.objects(item, DCTERMS.description):
                    problems += [f"{item}: {p}" for p in missing(text, sources[ws])]
    assert problems == []


def test_section_texts_are_verbatim(graph, sources):
    problems = []
    for module, ws in modules(graph):
        for prop in SECTION_PROPERTIES:
            for text in graph.objects(module, prop):
                problems += [f"{module} {prop}: {p}" for p in missing(text, sources[ws])]
    assert problems == []


def test_quotes_are_verbatim(graph, sources):
    problems = []
    for statement in graph.subjects(RDF.type, RDF.Statement):
        module = graph.value(statement, RDF.subject)
        ws = str(graph.value(module, MG.werksoort)).rsplit("/", 1)[-1]
        for quote in graph.objects(statement, MG.quote):
            problems += [f"{statement}: {p}" for p in missing(quote, sources[ws])]
    assert problems == []


def test_dutch_titles_are_printed_headings(graph, sources):
    problems = []
    for module, ws in modules(graph):
        for label in graph.objects(module, SKOS.prefLabel):
            if isinstance(label, Literal) and label.language == "nl" and squash(label) not in sources[ws]:
                problems.append(f"{module}: {label}")
    assert problems == []


def toc_pages(text: str) -> dict[str, int]:
    """Title -> page from a table of contents line such as '• Intake .......... 9'."""
    pages = {}
    for match in re.finditer(r"•\s*(.+?)\s*\.{5,}\s*(\d+)", text):
        pages[re.sub(r"\s+", "", match.group(1))] = int(match.group(2))
    return pages


def test_pages_come_from_the_table_of_contents(graph):
    problems = []
    for ws, name in DOCUMENTS.items():
        pages = toc_pages((SOURCES / name).read_text(encoding="utf-8"))
        assert len(pages) == (22 if ws == "amw" else 21)
        by_label = {}
        for module, module_ws in modules(graph):
            if module_ws != ws:
                continue
            labels = [l for l in graph.objects(module, SKOS.prefLabel) if l.language == "nl"]
            labels += [l for l in graph.objects(module, SKOS.altLabel) if l.language == "nl"]
            for label in labels:
                by_label[re.sub(r"\s+", "", str(label))] = (module, graph.value(module, MG.page).toPython())
        for title, page in pages.items():
            if title not in by_label:
                problems.append(f"{ws}: no module titled '{title}' (table of contents)")
            elif by_label[title][1] != page:
                problems.append(f"{ws}: {title}: page {by_label[title][1]}, table of contents says {page}")
    assert problems == []
