"""`modgraph report`: the werksoort comparison report (issue 19).

Expected values are read from the source documents, not from the report: AMW = deel 2b
(/work/shared/sources/000_592630499203680d.txt), BMW = deel 2a (003_fa264c4e35d7fac0.txt); the
sentence behind each is quoted. The report is built once for the module (it runs about 15 queries).
"""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from modgraph import queries, report
from modgraph.api import Catalogue

pytest_plugins = ["browser"]

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"


class Page(HTMLParser):
    """The parts of the report the tests read: tables (rows of cell texts), inline SVG, links, notes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: dict[str, list[list[str]]] = {}
        self.svgs: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.sources: list[str] = []
        self.sections: list[str] = []
        self.styles: list[str] = []
        self._table = self._cell = None
        self._svg_depth, self._svg_parts, self._in_style = 0, [], False

    def handle_starttag(self, tag, attrs):
        attrs = [(k, v or "") for k, v in attrs]
        self.attrs += [(tag, k, v) for k, v in attrs]
        a = dict(attrs)
        if tag == "svg" or self._svg_depth:
            self._svg_depth += 1
            rendered = "".join(f' {k}="{_xml(v)}"' for k, v in attrs)
            self._svg_parts.append(f"<{tag}{rendered}>")
            return
        if tag == "table":
            self._table = a.get("data-table", "")
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table is not None:
            self._cell = []
        elif tag == "p" and "data-queries" in a:
            self.sources.append(a["data-queries"])
        elif tag == "section":
            self.sections.append(a.get("id", ""))
        elif tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if self._svg_depth:
            self._svg_parts.append(f"</{tag}>")
            self._svg_depth -= 1
            if not self._svg_depth:
                self.svgs.append("".join(self._svg_parts))
                self._svg_parts = []
            return
        if tag in ("td", "th") and self._cell is not None:
            self.tables[self._table][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._table = None
        elif tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._svg_depth:
            self._svg_parts.append(_xml(data))
        elif self._cell is not None:
            self._cell.append(data)
        if self._in_style:
            self.styles.append(data)


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, Page]:
    out = tmp_path_factory.mktemp("report") / "report"
    cat = Catalogue(ROOT)
    try:
        index = report.write(cat.engine, cat.root, out)
    finally:
        cat.close()
    page = Page()
    page.feed(index.read_text(encoding="utf-8"))
    return index, page


def charts(page: Page) -> dict[str, ET.Element]:
    out = {}
    for text in page.svgs:
        svg = ET.fromstring(text)
        if svg.get("class") == "chart":
            out[svg.get("data-chart")] = svg
    return out


def bars(svg: ET.Element) -> list[dict]:
    return [rect.attrib for rect in svg.iter(f"{SVG}rect") if rect.get("class") == "bar"]


def rows_of(page: Page, name: str) -> list[list[str]]:
    return page.tables[name][1:]  # without the header row


# ----------------------------------------------------------------------------------------- tables


def test_every_section_of_the_issue_is_there(built):
    _, page = built
    assert page.sections == ["functies", "overlap", "intensiteit", "doelgroepen", "partners", "randvoorwaarden",
                             "trajecten"]


def test_functions_side_by_side_with_the_crosswalk(built):
    _, page = built
    rows = {r[0]: r for r in rows_of(page, "werksoort-comparison")}
    # BMW deel 2a: "Functie: bemoeizorg • Verwijzingstraject": a BMW function with one module and no AMW function.
    assert rows["bemoeizorg"][2] == "geen AMW-functie"
    assert "Verwijzingstraject" in rows["bemoeizorg"][3]
    # AMW deel 2b: "Functie: ondersteuning • Stabiliserende begeleiding • Voortraject arbeidstoeleiding".
    ondersteuning = next(r for r in rows.values() if r[2] == "ondersteuning")
    assert "Stabiliserende begeleiding" in ondersteuning[4] and "Voortraject arbeidstoeleiding" in ondersteuning[4]


def test_functions_in_one_werksoort(built):
    _, page = built
    crosswalk = {(r[0], r[1]) for r in rows_of(page, "functions-in-one-werksoort")
                 if r[3] == "geen koppeling in de crosswalk"}
    # BMW: "Functie: bemoeizorg", "Functie: consultatie"; AMW: "Functie: ondersteuning" - none in the other list.
    assert crosswalk == {("BMW", "bemoeizorg"), ("BMW", "consultatie"), ("AMW", "ondersteuning")}


def test_a_known_overlap_pair_with_what_it_shares(built):
    _, page = built
    pairs = {(r[1], r[2]): r for r in rows_of(page, "overlap")}
    # AMW p. 13 'Informatie en advies': "In principe éénmalig op initiatief van de cliënt."; BMW p. 9 'Informatie
    # en advies BMW': "In principe éénmalig op initiatief van de medewerker." - same function, once.
    pair = pairs[("Informatie en advies", "Informatie en advies BMW")]
    assert "frequentie: eenmalig" in pair[5]
    assert "informatie, advies en concrete dienstverlening [skos:exactMatch]" in pair[5]
    assert pair[0] == "1"  # ranked first


def test_modules_without_counterpart(built):
    _, page = built
    alone = {(r[0], r[1]) for r in rows_of(page, "without-counterpart")}
    # BMW 'Functie: consultatie' has only 'Consultatie aan leidinggevenden' and no AMW counterpart function.
    assert ("BMW", "Consultatie aan leidinggevenden") in alone
    # Every module listed here is in no overlap pair shown.
    paired = {r[1] for r in page.tables["overlap"][1:] + page.tables["overlap-rest"][1:]} | {
        r[2] for r in page.tables["overlap"][1:] + page.tables["overlap-rest"][1:]}
    assert not {title for _, title in alone} & paired


def test_intensity_sessions_per_module_in_comparable_units(built):
    _, page = built
    found = charts(page)
    gesprek = {b["data-category"]: b for b in bars(found["intensity-gesprek"])}
    bijeenkomst = {b["data-category"]: b for b in bars(found["intensity-bijeenkomst"])}
    # BMW p. 14 Reïntegratiebegeleiding: "3 tot 8 gesprekken gedurende maximaal enkele maanden."
    assert (gesprek["Reïntegratiebegeleiding"]["data-low"], gesprek["Reïntegratiebegeleiding"]["data-value"]) == ("3", "8")
    # AMW p. 32 Assertiviteitstraining: "10 tot 12 wekelijkse bijeenkomsten van 1,5 tot 2,5 uur per keer".
    assert (bijeenkomst["Assertiviteitstraining"]["data-low"], bijeenkomst["Assertiviteitstraining"]["data-value"]) == ("10", "12")
    # Meetings are not conversations: no module is in two unit charts.
    assert not set(gesprek) & set(bijeenkomst)
    # AMW p. 15 Vraagverheldering: "Maximaal 3 gesprekken." - a maximum only.
    assert (gesprek["Vraagverheldering"]["data-low"], gesprek["Vraagverheldering"]["data-value"]) == ("", "3")


def test_target_groups(built):
    _, page = built
    groups = {r[0].split(":")[0]: r for r in rows_of(page, "amw-target-groups")}
    # AMW p. 4: "Dat geldt met name voor doelgroep 2 en in mindere mate voor doelgroep 1 en 3. Doelgroep 4 komt bij
    # het BMW nauwelijks of niet voor."
    assert [groups[f"Doelgroep {n}"][1] for n in (1, 2, 3, 4)] == ["in mindere mate", "met name", "in mindere mate",
                                                                   "nauwelijks of niet"]
    audiences = {r[0]: r for r in rows_of(page, "target-audiences")}
    # BMW p. 20 Consultatie aan leidinggevenden: "Leidinggevenden die ..." is for leidinggevenden, a BMW audience.
    assert "Consultatie aan leidinggevenden" in audiences["leidinggevenden"][2]
    assert audiences["leidinggevenden"][1].startswith("0")


def test_partners_per_werksoort(built):
    _, page = built
    partners = {(b["data-category"], b["data-series"]) for b in bars(charts(page)["partners"])}
    # BMW p. 9 Informatie en advies BMW: "Afspraken over doorverwijzing binnen de organisatie van de medewerker en
    # de arbodienst."
    assert ("arbodienst", "BMW") in partners
    # AMW p. 13 Informatie en advies: "De cliënt kan zonodig doorverwezen worden naar de sociaal raadslieden, de UWV,
    # de vakbond, het CWI ..."
    assert {("UWV", "AMW"), ("CWI", "AMW"), ("vakbond", "AMW")} <= partners


def test_preconditions_by_kind(built):
    _, page = built
    kinds = {r[0]: r for r in rows_of(page, "preconditions")}
    # AMW p. 8 Aanmelding: "Een actuele sociale kaart en informatie over de bereikbaarheid van andere hulp- en
    # dienstverleners."
    assert "Aanmelding" in kinds["sociale kaart"][1]


def test_cross_werksoort_steps(built):
    _, page = built
    steps = {(r[0], r[2]) for r in rows_of(page, "cross-werksoort-steps")}
    # BMW p. 17 Verwijzingstraject: "Medewerkers die (waarschijnlijk) geïndiceerd zijn voor (gespecialiseerde)
    # hulpverlening, bijvoorbeeld het algemeen maatschappelijk werk of de GGZ ..."
    assert ("BMW Verwijzingstraject", "AMW Algemeen maatschappelijk werk") in steps


# ----------------------------------------------------------------------------------------- charts, sources


def test_every_chart_is_drawn_and_not_empty(built):
    _, page = built
    found = charts(page)
    assert {"intensity-gesprek", "intensity-bijeenkomst", "target-audiences", "partners", "preconditions"} <= set(found)
    for name, svg in found.items():
        assert svg.find(f"{SVG}title").text, name
        assert bars(svg), f"chart {name} has no bars"
        assert all(float(b["width"]) > 0 for b in bars(svg)), name
    diagrams = [ET.fromstring(s) for s in page.svgs if 'class="graph"' in s]
    assert len(diagrams) == 1 and len([g for g in diagrams[0].iter(f"{SVG}g") if g.get("class", "").startswith("edge")]) > 20


def test_every_table_and_chart_names_existing_queries(built):
    index, page = built
    known = set(queries.discover(ROOT / "queries"))
    used = {name for note in page.sources for name in note.split()}
    assert used <= known
    assert {"werksoort-comparison", "functions-in-one-werksoort", "overlap", "intensity", "modules-by-target-group",
            "target-group-modules", "bmw-and-target-groups", "partners-per-werksoort", "modules-by-precondition",
            "sequencing-steps", "module-table"} <= used
    text = index.read_text(encoding="utf-8")
    assert "modgraph query intensity --param unit=session-unit/gesprek --format csv" in text


def test_nothing_is_loaded_from_the_network(built):
    index, page = built
    for tag, attribute, value in page.attrs:
        if attribute in ("src", "href", "xlink:href", "data", "poster", "srcset", "action"):
            assert not value.strip().lower().startswith(("http:", "https:", "//", "ftp:")), (tag, attribute, value)
    style = "".join(page.styles)
    assert "@import" not in style and "url(" not in style
    text = index.read_text(encoding="utf-8")
    assert "<script" not in text and "<link" not in text and "<iframe" not in text
    assert 'href="ontology.html"' in text  # the ontology docs, written into the report's folder
    docs = (index.parent / "ontology.html").read_text(encoding="utf-8")
    assert 'id="Module"' in docs and "<script" not in docs


# ----------------------------------------------------------------------------------------- command


def cli(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "modgraph.cli", *args], capture_output=True, text=True, timeout=300,
                          env=env)


def test_command_writes_the_same_report_every_run_and_replaces_an_earlier_one(tmp_path):
    out = tmp_path / "report"
    texts = []
    for seed in ("1", "2"):  # another hash seed: another order of Python's sets, the same page
        done = cli("report", "--out", str(out), env=dict(os.environ, PYTHONHASHSEED=seed))
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == f"written: {out / 'index.html'}"
        texts.append((out / "index.html").read_bytes())
    assert texts[0] == texts[1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report"]  # no staging folder left


@pytest.mark.parametrize("case", ["parent-missing", "foreign-folder", "a-file"])
def test_bad_out_is_one_line_and_nothing_is_written(tmp_path, case):
    if case == "parent-missing":
        out = tmp_path / "missing" / "report"
    elif case == "foreign-folder":
        out = tmp_path / "mine"
        out.mkdir()
        (out / "thesis.docx").write_text("keep me")
    else:
        out = tmp_path / "file"
        out.write_text("keep me")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    done = cli("report", "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.startswith("modgraph: error: ") and done.stderr.count("\n") == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


# ----------------------------------------------------------------------------------------- in a browser


def test_every_section_renders_in_headless_chromium(built, chromium):
    """Open the report in Debian's chromium (scripts/test installs it) and check each section is drawn."""
    from selenium.webdriver.common.by import By

    driver = chromium
    index, page = built
    driver.get(index.as_uri())
    sections = driver.find_elements(By.CSS_SELECTOR, "section")
    assert [s.get_attribute("id") for s in sections] == page.sections
    for section in sections:
        size = section.size
        assert size["height"] > 200 and size["width"] > 600, section.get_attribute("id")
        assert section.find_element(By.CSS_SELECTOR, "h2").is_displayed()
    for svg in driver.find_elements(By.CSS_SELECTOR, "svg.chart, svg.graph, div.figure svg"):
        box = svg.size
        assert box["height"] > 50 and box["width"] > 200
