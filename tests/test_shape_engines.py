"""The shapes are standard SHACL: pyshacl, pyrudof and Jena SHACL agree on them (issue 14, section 4).

Each engine validates exactly what `modgraph validate` validates (the graphs of
:func:`modgraph.validate.shape_runs`, ill-typed values left out as `validate.run` does): the real
catalogue as asserted, and asserted + inferred with
the asserted-only rules deactivated; and every fixture of tests/data/ (each on the copied ontology,
vocabularies and documents, as tests/test_shapes.py builds it). The engines, see tests/shape_engines.py:

- pyshacl on the graphs as loaded from Turtle (modgraph's own run; catalogue only, since
  tests/test_shapes.py runs it on every fixture) and on data and shapes read from N-Triples into
  graphs without any prefix binding: a SPARQL constraint that leans on the data's prefixes
  instead of its ``sh:prefixes`` fails there ("Unknown namespace prefix");
- pyrudof (native engine), on the same N-Triples files;
- Jena SHACL 4.5 (Debian ``libapache-jena-java``, ``scripts/jena-shacl``), on the same files.

All of them must give the same top-level results: the same number, and per result the same focus
node, source shape, severity, constraint component, result path and value (a blank node counts as
``_:``). On the catalogue that means no violation and the same warnings; on an invalid fixture,
results from exactly the shapes its ``# expect:`` lines name; on a valid fixture, none.

What is not compared, and why:
- sh:sourceConstraint: Jena and pyrudof do not report it. A SPARQL-based rule is therefore a named
  node shape (see ontology/shapes.ttl), so the source shape names the rule in every engine.
- Messages of pyrudof: pyshacl and Jena put a shape's sh:message values (nl and en) into each
  result, and this is checked; pyrudof 0.3.35 puts only a constraint's own sh:message into a
  result and leaves the shape's out.

pyrudof 0.3.35 runs SPARQL-based constraints (``sh:sparql`` with ``sh:select`` and
``sh:prefixes``) as well as every core constraint the shapes use, so no rule is left out for it.

A tool that is not installed skips these tests with the reason, except under CI=true, where
scripts/test has installed them and a missing tool is a failure. Jena starts one JVM per graph
(its command line validates one data file; about 1 s CPU with the class archive scripts/jena-shacl
keeps): up to two JVMs run while the Python engines work through the fixtures one by one. The
tests are marked ``slow`` and run in CI like every other test.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, Literal, URIRef

import shape_engines as engines
from conftest import INVALID, REPO, SH, VALID, expand, expected_shapes, fixture_id, short
from modgraph import catalogue as catalogue_mod
from modgraph import validate
from modgraph.namespaces import PREFIXES
from modgraph.paths import CatalogueRoot

pytestmark = pytest.mark.slow

FIXTURES = sorted(INVALID.glob("*.ttl")) + sorted(VALID.glob("*.ttl"))
NTRIPLES_ENGINES = ("pyshacl-ntriples", "pyrudof", "jena")
MESSAGE_ENGINES = ("pyshacl-ntriples", "jena")  # pyrudof leaves a shape's sh:message out (see above)


def _require_engines() -> None:
    reasons = [r for r in (engines.pyrudof_missing(), engines.jena_missing()) if r]
    if not reasons:
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run every SHACL engine: " + "; ".join(reasons))
    pytest.skip("; ".join(reasons))


def _python_engines(data_nt: Path, shapes_nt: Path, shapes: Graph | None = None) -> dict[str, engines.Outcome]:
    """pyshacl and pyrudof on one N-Triples data file, one after the other.

    Never in two threads at once: rdflib's SPARQL parser (pyparsing) is not thread-safe, and
    pyshacl failed with random parse errors when two validations ran in parallel threads.
    """
    return {
        "pyshacl-ntriples": engines.pyshacl_ntriples(data_nt, shapes if shapes is not None else shapes_nt),
        "pyrudof": engines.pyrudof_ntriples(data_nt, shapes_nt),
    }


def _run_ntriples_engines(data_nt: Path, shapes_nt: Path) -> dict[str, engines.Outcome]:
    """pyshacl, pyrudof and Jena on one data file; the JVM runs while the Python engines work."""
    jena = engines.start_jena(data_nt, shapes_nt)
    try:
        outcomes = _python_engines(data_nt, shapes_nt)
    finally:
        outcomes_jena = engines.finish_jena(jena)
    return {**outcomes, "jena": outcomes_jena}


def _describe(outcomes: dict[str, engines.Outcome]) -> str:
    lines = []
    for name, outcome in outcomes.items():
        lines.append(f"  {name}: {len(outcome.results)} result(s)")
        lines += [f"    {r.severity} {short(r.shape)} ({r.component}) on {r.focus} path={r.path or '-'} value={r.value or '-'}"
                  for r in outcome.results]
    return "\n".join(lines)


def _assert_same_results(outcomes: dict[str, engines.Outcome], what: str) -> None:
    first_name, first = next(iter(outcomes.items()))
    for name, outcome in outcomes.items():
        assert outcome.results == first.results, (
            f"{what}: {name} and {first_name} disagree\n{_describe(outcomes)}"
        )


def _shape_messages(shapes: Graph) -> dict[str, frozenset[tuple[str, str]]]:
    return {
        str(s): frozenset((m.language or "", str(m)) for m in shapes.objects(s, SH.message) if isinstance(m, Literal))
        for s in set(shapes.subjects(SH.message)) if isinstance(s, URIRef)
    }


# ---------------------------------------------------------------- the real catalogue

RUN_NAMES = ("asserted", "asserted+inferred")


@pytest.fixture(scope="module")
def catalogue_inputs(tmp_path_factory):
    """Per run of `modgraph validate`: its data and shapes graphs, and both as N-Triples files."""
    _require_engines()
    root = CatalogueRoot(REPO)
    catalogue = catalogue_mod.load(root, alignments=False)  # what `modgraph validate` loads
    shapes = catalogue_mod.parse_turtle(root.shapes)
    assert root.inferred.is_file(), f"{root.inferred} is missing: run `modgraph reason`"
    inferred = catalogue_mod.parse_turtle(root.inferred)
    runs = validate.shape_runs(validate.well_typed(catalogue.graph), shapes, inferred)
    assert len(runs) == len(RUN_NAMES)
    folder = tmp_path_factory.mktemp("catalogue-engines")
    inputs = {}
    for name, (data, run_shapes) in zip(RUN_NAMES, runs):
        slug = name.replace("+", "-")
        inputs[name] = (data, run_shapes, engines.to_ntriples(data, folder / f"{slug}.nt"),
                        engines.to_ntriples(run_shapes, folder / f"{slug}-shapes.nt"))
    return inputs


@pytest.mark.parametrize("run", RUN_NAMES)
def test_catalogue_engines_agree(run, catalogue_inputs):
    data, shapes, data_nt, shapes_nt = catalogue_inputs[run]
    outcomes = {"pyshacl-turtle": engines.pyshacl_graphs(data, shapes), **_run_ntriples_engines(data_nt, shapes_nt)}
    for name, outcome in outcomes.items():
        assert not outcome.violations, f"{run}: {name} finds violations in the catalogue\n{_describe(outcomes)}"
    _assert_same_results(outcomes, f"catalogue ({run})")


def test_asserted_only_rules_are_off_in_the_inferred_run(catalogue_inputs):
    """sh:deactivated on a node shape is the standard switch every engine honours (not on a SPARQL constraint)."""
    _, shapes, _, _ = catalogue_inputs["asserted+inferred"]
    for rule in validate.ASSERTED_ONLY:
        assert (rule, SH.deactivated, Literal(True)) in shapes
        assert (rule, SH.sparql, None) in shapes, f"{short(str(rule))} is not a node shape with sh:sparql"


# ---------------------------------------------------------------- the fixtures

JVMS_AT_ONCE = 2


@pytest.fixture(scope="module")
def engine_outcomes(request, template_root, tmp_path_factory) -> dict[Path, dict[str, engines.Outcome]]:
    """Per fixture file the selected tests use: each engine's outcome.

    The Python engines run in this thread, fixture after fixture; meanwhile Jena's JVMs run as
    separate processes, at most JVMS_AT_ONCE at a time (a JVM start costs more than pyshacl).
    """
    _require_engines()
    wanted = sorted({
        item.callspec.params["engine_fixture"] for item in request.session.items
        if getattr(item, "callspec", None) is not None and "engine_fixture" in item.callspec.params
    })
    template = catalogue_mod.load(CatalogueRoot(template_root), alignments=False).graph
    folder = tmp_path_factory.mktemp("fixture-engines")
    shapes_nt = engines.to_ntriples(catalogue_mod.parse_turtle(REPO / "ontology" / "shapes.ttl"), folder / "shapes.nt")
    shapes = engines.read_ntriples(shapes_nt)
    outcomes: dict[Path, dict[str, engines.Outcome]] = {}
    running = []
    try:
        for path in wanted:
            data_nt = engines.to_ntriples(validate.well_typed(template + catalogue_mod.parse_turtle(path)),
                                          folder / f"{fixture_id(path).replace('/', '-')}.nt")
            running.append((path, engines.start_jena(data_nt, shapes_nt)))
            outcomes[path] = _python_engines(data_nt, shapes_nt, shapes)
            while len(running) >= JVMS_AT_ONCE:
                done, jena = running.pop(0)
                outcomes[done]["jena"] = engines.finish_jena(jena)
        for done, jena in running:
            outcomes[done]["jena"] = engines.finish_jena(jena)
    finally:
        for _, jena in running:
            if jena.poll() is None:
                jena.kill()
                jena.communicate()
    return outcomes


@pytest.mark.parametrize("engine_fixture", FIXTURES, ids=fixture_id)
def test_engines_agree_on_fixture(engine_fixture: Path, engine_outcomes):
    outcomes = engine_outcomes[engine_fixture]
    name = engine_fixture.name
    _assert_same_results(outcomes, name)
    if engine_fixture.parent == VALID:
        for engine, outcome in outcomes.items():
            assert not outcome.results, f"{name} is valid, but {engine} reports:\n{_describe(outcomes)}"
        return
    expected = set(expected_shapes(engine_fixture))
    for engine, outcome in outcomes.items():
        assert outcome.results, f"{name}: {engine} says it conforms"
        assert outcome.shapes == expected, (
            f"{name}: {engine} fires {sorted(map(short, outcome.shapes))}, not {sorted(map(short, expected))}"
            f"\n{_describe(outcomes)}"
        )


def _printed(finding: validate.Finding) -> tuple:
    """A finding as `modgraph validate` prints it: a blank node is "[]" whatever its id in a report."""
    def name(term):
        return "[]" if isinstance(term, BNode) else str(term)
    return (finding.severity, name(finding.owner), name(finding.focus), finding.path, finding.message, finding.value,
            finding.shape)


@pytest.mark.parametrize("engine_fixture", FIXTURES, ids=fixture_id)
def test_modgraph_prints_the_same_findings_whatever_the_engine(engine_fixture: Path, engine_outcomes):
    """`modgraph validate --shacl-engine pyshacl|rudof|jena` reads each engine's report into the same findings.

    :func:`modgraph.validate.report_findings` on each engine's report of the fixture: the same
    severity, module, focus node, field (a path as the shape declares it), message in nl and en
    (from the shapes graph: pyrudof leaves the shape's message out), value and rule.
    """
    outcomes = engine_outcomes[engine_fixture]
    shapes = catalogue_mod.parse_turtle(REPO / "ontology" / "shapes.ttl")
    prefixes = Graph()
    for prefix, namespace in PREFIXES.items():
        prefixes.bind(prefix, namespace, override=True)
    modules = set(catalogue_mod.parse_turtle(engine_fixture).subjects(RDF.type, validate.MODULE))
    for lang in ("nl", "en"):
        printed = {name: sorted(_printed(f) for f in validate.report_findings(outcome.report, shapes, prefixes, modules, lang))
                   for name, outcome in outcomes.items()}
        for name, findings in printed.items():
            assert findings == printed["pyshacl-ntriples"], f"{engine_fixture.name} ({lang}): {name} differs"
        if engine_fixture.parent == INVALID:
            assert printed["jena"] and all(message != "(no message)" for _, _, _, _, message, _, _ in printed["jena"])


@pytest.mark.parametrize("engine_fixture", sorted(INVALID.glob("*.ttl")), ids=fixture_id)
def test_results_carry_the_rules_messages(engine_fixture: Path, engine_outcomes):
    """The nl and en message of the rule that fired are both in pyshacl's and Jena's results.

    Texts are compared without their language tags: pyshacl drops the tag of a SPARQL-based
    result's message (Jena keeps it; modgraph reads the tagged messages from the shapes graph).
    """
    outcomes = engine_outcomes[engine_fixture]
    messages = _shape_messages(catalogue_mod.parse_turtle(REPO / "ontology" / "shapes.ttl"))
    checked = 0
    for engine in MESSAGE_ENGINES:
        for shape in outcomes[engine].shapes & set(messages):
            assert {lang for lang, _ in messages[shape]} == {"nl", "en"}, f"{short(shape)} lacks an nl or en message"
            reported = {text for _, text in outcomes[engine].messages[shape]}
            assert reported == {text for _, text in messages[shape]}, f"{engine} reports {short(shape)} with {sorted(reported)}"
            checked += 1
    assert checked, f"no result of {engine_fixture.name} comes from a shape with messages"


def test_every_sparql_constraint_declares_its_prefixes():
    """SHACL requires sh:prefixes for prefixed names in a SPARQL constraint; Jena wants at most one message on it."""
    shapes = catalogue_mod.parse_turtle(REPO / "ontology" / "shapes.ttl")
    constraints = set(shapes.objects(None, SH.sparql))
    assert constraints, "no SPARQL-based constraint found"
    for constraint in constraints:
        assert shapes.value(constraint, SH.prefixes) is not None, f"a SPARQL constraint without sh:prefixes: {constraint}"
        assert len(list(shapes.objects(constraint, SH.message))) <= 1, f"two sh:message on {constraint}"


def test_without_sh_prefixes_every_engine_refuses_the_shapes(template_root, tmp_path):
    """The N-Triples runs are a real check: no engine falls back on prefixes the files do not declare.

    With sh:prefixes removed from the SPARQL constraints, pyshacl ("Unknown namespace prefix"),
    pyrudof ("Prefix not found") and Jena all fail on prefix-less data and shapes; and Jena also
    refuses a SPARQL constraint with an nl and an en sh:message, the form the shapes used before.
    """
    _require_engines()
    data = catalogue_mod.load(CatalogueRoot(template_root), alignments=False).graph
    data += catalogue_mod.parse_turtle(VALID / "amw-test-module.ttl")
    data_nt = engines.to_ntriples(data, tmp_path / "data.nt")
    shapes = catalogue_mod.parse_turtle(REPO / "ontology" / "shapes.ttl")
    constraints = set(shapes.objects(None, SH.sparql))
    without_prefixes = Graph() + shapes
    for constraint in constraints:
        without_prefixes.remove((constraint, SH.prefixes, None))
    shapes_nt = engines.to_ntriples(without_prefixes, tmp_path / "no-prefixes.nt")
    with pytest.raises(Exception, match="Unknown namespace prefix"):
        engines.pyshacl_ntriples(data_nt, shapes_nt)
    with pytest.raises(Exception, match="Prefix not found"):
        engines.pyrudof_ntriples(data_nt, shapes_nt)
    with pytest.raises(RuntimeError, match="Jena SHACL failed"):
        engines.jena_ntriples(data_nt, shapes_nt)

    two_messages = Graph() + shapes
    for constraint in constraints:
        two_messages.add((constraint, SH.message, Literal("Regel overtreden.", lang="nl")))
        two_messages.add((constraint, SH.message, Literal("Rule broken.", lang="en")))
    with pytest.raises(RuntimeError, match="More than one match"):
        engines.jena_ntriples(data_nt, engines.to_ntriples(two_messages, tmp_path / "two-messages.nt"))


def test_modgraph_reports_a_sparql_rule_in_the_chosen_language(root_factory):
    """`modgraph validate --lang nl|en` reads the rule's message from its shape."""
    fixture = INVALID / "Module-notItself.ttl"
    root = root_factory({"data/modules/test/Module-notItself.ttl": fixture})
    shapes = catalogue_mod.parse_turtle(REPO / "ontology" / "shapes.ttl")
    rule = URIRef(expected_shapes(fixture)[0])
    cat = catalogue_mod.load(CatalogueRoot(root), alignments=False)
    for lang in ("nl", "en"):
        wanted = [str(m) for m in shapes.objects(rule, SH.message) if m.language == lang]
        report = validate.run(cat, CatalogueRoot(root).shapes, lang=lang)
        fired = [f for f in report.findings if expand(f.shape) == str(rule)]
        assert fired, f"{short(str(rule))} did not fire"
        assert [f.message for f in fired] == wanted
