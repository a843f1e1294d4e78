"""The SHACL shapes against the fixtures in tests/data/.

Each fixture is validated with the real ontology, vocabularies and documents (see conftest). A valid
fixture must conform without any finding of its own. An invalid fixture declares in its first lines
which shapes must fire (``# expect: mgsh:NAME``); each of them must fire, with its own message and
in the fixture's file, and nothing else may fire: each fixture breaks exactly one rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import (
    FIXTURE_DIR,
    INVALID,
    VALID,
    expected_shapes,
    fixture_id,
    messaged_shapes,
    shape_severities,
    short,
)

VALID_FILES = sorted(VALID.glob("*.ttl"))
INVALID_FILES = sorted(INVALID.glob("*.ttl"))
MESSAGED = messaged_shapes()
SEVERITY = shape_severities()


def _new_findings(outcome, baseline):
    """The findings the fixture adds to what the copied vocabularies and documents already give."""
    before = set(baseline.report.findings)
    return [f for f in outcome.report.findings if f not in before]


def _describe(outcome, findings) -> str:
    lines = [f"  {f.severity} {short(outcome.rule_of(f))} on {f.focus} ({f.path}): {f.message}" for f in findings]
    return "\n".join(lines) or "  (none)"


def test_fixture_folders_are_populated():
    assert len(VALID_FILES) >= 1
    assert len(INVALID_FILES) >= len(MESSAGED)


def test_template_root_has_no_violations(fixture_outcomes):
    """The copied ontology, vocabularies and documents conform on their own (the baseline)."""
    baseline = fixture_outcomes[None].result()
    assert baseline.report.violations == [], baseline.rendered


@pytest.mark.parametrize("fixture_file", VALID_FILES, ids=fixture_id)
def test_valid_fixture_conforms(fixture_file: Path, fixture_outcomes):
    outcome = fixture_outcomes[fixture_file].result()
    baseline = fixture_outcomes[None].result()
    assert outcome.report.modules >= 1, "the fixture holds no mg:Module"
    new = _new_findings(outcome, baseline)
    assert outcome.report.conforms and not new, f"{fixture_file.name} should conform:\n{outcome.rendered}"


@pytest.mark.parametrize("fixture_file", INVALID_FILES, ids=fixture_id)
def test_invalid_fixture_fires_exactly_its_shapes(fixture_file: Path, fixture_outcomes):
    expected = expected_shapes(fixture_file)
    assert expected, f"{fixture_file.name} declares no '# expect: mgsh:...' line"
    unknown = [short(e) for e in expected if e not in MESSAGED]
    assert not unknown, f"{fixture_file.name} expects shapes that have no sh:message in shapes.ttl: {unknown}"

    outcome = fixture_outcomes[fixture_file].result()
    baseline = fixture_outcomes[None].result()
    new = _new_findings(outcome, baseline)
    fixture_path = str(FIXTURE_DIR / fixture_file.name)

    for shape in expected:
        fired = [f for f in new if outcome.rule_of(f) == shape]
        assert fired, f"{short(shape)} did not fire for {fixture_file.name}; findings:\n{_describe(outcome, new)}"
        for finding in fired:
            assert finding.severity == SEVERITY[shape], f"{short(shape)} fired as {finding.severity}"
            assert finding.message == MESSAGED[shape], (
                f"{short(shape)} fired with message {finding.message!r}, not the shape's own"
            )
            assert outcome.owner_files.get(finding.owner) == fixture_path, (
                f"{short(shape)} is reported for {finding.owner} in {outcome.owner_files.get(finding.owner)}, "
                f"not in the fixture's file {fixture_path}"
            )

    others = [f for f in new if outcome.rule_of(f) not in expected]
    assert not others, (
        f"{fixture_file.name} should break only {[short(e) for e in expected]}, but also:\n{_describe(outcome, others)}"
        f"\n\nfull report:\n{outcome.rendered}"
    )


def test_every_messaged_shape_has_a_fixture():
    """A new shape with an sh:message needs an invalid fixture named after it (tests/data/invalid/NAME.ttl)."""
    covered = {shape for path in INVALID_FILES for shape in expected_shapes(path)}
    missing_expectation = sorted(short(s) for s in MESSAGED if s not in covered)
    missing_file = sorted(
        short(s) for s in MESSAGED if not (INVALID / f"{short(s).removeprefix('mgsh:')}.ttl").is_file()
    )
    assert not missing_expectation, f"no invalid fixture expects: {missing_expectation}"
    assert not missing_file, f"no invalid fixture is named after: {missing_file}"


@pytest.mark.parametrize("fixture_file", INVALID_FILES, ids=fixture_id)
def test_invalid_fixture_is_named_after_an_expected_shape(fixture_file: Path):
    names = [short(e).removeprefix("mgsh:") for e in expected_shapes(fixture_file)]
    assert fixture_file.stem in names, f"{fixture_file.name} expects {names}"


def test_messaged_shapes_are_found():
    """The shape inventory itself: node shapes, property shapes and SPARQL constraints are all there."""
    names = {short(s) for s in MESSAGED}
    for name in ("mgsh:Module", "mgsh:Module-page", "mgsh:Module-relationHasEvidence", "mgsh:Partner",
                 "mgsh:Concept-definition", "mgsh:Statement-asserted"):
        assert name in names
    assert "mgsh:PartnerOrWerksoort" not in names  # a helper shape without a message of its own
