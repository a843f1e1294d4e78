"""`modgraph synth`: the synthetic national catalogue of providers' local variants of the modules.

What a variant must keep comes from the documents: it is a copy of a national module, so its
function and page are those of the table of contents ('Functie: intake, indicatie en verwijzing
... Intake ....9', deel 2b), and its evidence quotes the document. What is local (provider,
municipality, waiting time, local partners) is generated, and checked for presence and consistency.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest
from pyshacl import validate as shacl_validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS, XSD

from conftest import REPO, modgraph_command, run_modgraph
from modgraph import synth
from modgraph.api import Catalogue as ApiCatalogue
from modgraph.catalogue import load
from modgraph.errors import InputError
from modgraph.namespaces import BASE, MG_NS
from modgraph.paths import CatalogueRoot

MG = Namespace(MG_NS)
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
ID = Namespace(BASE)


@pytest.fixture(scope="module")
def catalogue():
    """The real catalogue, asserted triples only (what synth reads)."""
    return load(CatalogueRoot(REPO))


@pytest.fixture(scope="module")
def inferred(catalogue) -> Graph:
    """The reasoner's triples for the real catalogue."""
    return synth.inferred_triples(CatalogueRoot(REPO), catalogue.graph)


@pytest.fixture(scope="module")
def two(catalogue, inferred, tmp_path_factory) -> Path:
    """A synth output with 2 providers (one AMW institution, one BMW provider), seed 3, with inferences."""
    out = tmp_path_factory.mktemp("synth") / "two"
    synth.synthesise(catalogue.graph, 2, 3, out, inferred=inferred)
    return out


def read_output(folder: Path, *, inferred: bool = False) -> Graph:
    """The asserted triples of a synth output (and the inferred ones with ``inferred``)."""
    graph = Graph()
    for path in sorted(folder.rglob("*.nt")):
        if inferred or path.parent.name != "inferred":
            graph.parse(path, format="nt")
    return graph


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def variants(graph: Graph) -> list[URIRef]:
    return sorted(v for v in graph.subjects(RDF.type, MG.Module) if "/provider/" in str(v))


# ---------------------------------------------------------------- determinism

def test_the_same_seed_gives_byte_identical_files_and_another_seed_others(catalogue, tmp_path):
    synth.synthesise(catalogue.graph, 4, 11, tmp_path / "a")
    synth.synthesise(catalogue.graph, 4, 11, tmp_path / "b")
    synth.synthesise(catalogue.graph, 4, 12, tmp_path / "c")
    a, b, c = (file_bytes(tmp_path / name) for name in "abc")
    assert a == b
    assert set(a) == set(c)  # the same providers and files ...
    differ = [name for name in a if name.startswith("providers/") and a[name] != c[name]]
    assert differ == [name for name in a if name.startswith("providers/")]  # ... with other contents


def test_the_files_do_not_depend_on_the_process(tmp_path):
    """Two processes with different hash seeds (set and dict order) write the same bytes."""
    for name, hash_seed in (("x", "1"), ("y", "2")):
        env = {k: v for k, v in os.environ.items() if k != "MODGRAPH_ROOT"} | {"PYTHONHASHSEED": hash_seed}
        done = subprocess.run([*modgraph_command(), "--root", str(REPO), "synth", "--providers", "3", "--seed", "5",
                               "--out", str(tmp_path / name)], env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert file_bytes(tmp_path / "x") == file_bytes(tmp_path / "y")


# ---------------------------------------------------------------- valid under the shapes, same ontology

def test_catalogue_and_two_providers_conform_to_the_shapes(catalogue, two):
    graph = Graph() + catalogue.graph + read_output(two)
    shapes = Graph().parse(REPO / "ontology" / "shapes.ttl", format="turtle")
    conforms, _, text = shacl_validate(graph, shacl_graph=shapes, inference="none", advanced=True,
                                       allow_warnings=True)
    assert conforms, text[:3000]
    werksoorten = {graph.value(v, MG.werksoort) for v in variants(graph)}
    assert werksoorten == {ID["werksoort/amw"], ID["werksoort/bmw"]}


def test_every_mg_term_of_the_output_is_declared_in_the_ontology(catalogue, two):
    output = read_output(two, inferred=True)
    used = {t for triple in output for t in triple if isinstance(t, URIRef) and str(t).startswith(MG_NS)}
    declared = {s for s in catalogue.graph.subjects(RDF.type, None) if str(s).startswith(MG_NS)}
    assert used - declared == set()
    assert MG.waitingDays in used


def test_the_files_are_n_triples_and_the_count_is_the_manifests(two):
    manifest = json.loads((two / "manifest.json").read_text(encoding="utf-8"))
    store = pyoxigraph.Store()
    for entry in manifest["files"]:
        path = two / entry["path"]
        lines = path.read_bytes().count(b"\n")
        assert lines == entry["triples"]
        store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(store) == manifest["triples"]  # no triple written twice
    assert manifest["providers"] == 2 and manifest["seed"] == 3 and manifest["generator"] == "modgraph synth"
    assert manifest["asserted_triples"] + manifest["inferred_triples"] == manifest["triples"]
    assert sorted(p.name for p in (two / "inferred").iterdir()) == ["amw-0001.nt", "bmw-0001.nt"]


# ---------------------------------------------------------------- variants of the real modules

def test_every_variant_derives_from_a_national_module_of_its_werksoort(catalogue, two):
    national = catalogue.graph
    output = read_output(two)
    found = variants(output)
    assert len(found) >= 10
    for variant in found:
        origins = list(output.objects(variant, PROV.wasDerivedFrom))
        assert len(origins) == 1, variant
        origin = origins[0]
        assert (origin, RDF.type, MG.Module) in national
        provider = output.value(variant, SCHEMA.provider)
        assert str(variant) == f"{provider}/module/{str(origin)[len(BASE + 'module/'):]}"
        for predicate in (MG.werksoort, MG.function, MG.page, DCTERMS.source, MG.moduleType):
            assert set(output.objects(variant, predicate)) == set(national.objects(origin, predicate)), (variant, predicate)
        assert output.value(provider, DCTERMS.type) == national.value(origin, MG.werksoort)
        assert output.value(variant, DCTERMS.identifier) == Literal(str(variant)[len(BASE):])
        # the same number of goals, activities, preconditions and pieces of evidence as the original
        for predicate in (MG.hasGoal, MG.hasActivity, MG.hasPrecondition):
            assert len(set(output.objects(variant, predicate))) == len(set(national.objects(origin, predicate)))
        assert (len(set(output.subjects(RDF.subject, variant)))
                == len(set(national.subjects(RDF.subject, origin))))


def test_every_variant_has_provider_location_waiting_time_and_release(two):
    output = read_output(two)
    for variant in variants(output):
        provider = output.value(variant, SCHEMA.provider)
        assert (provider, RDF.type, SCHEMA.Organization) in output
        assert output.value(provider, SKOS.prefLabel).language == "nl"
        place = output.value(provider, SCHEMA.location)
        assert re.fullmatch(r"GM\d{4}", str(output.value(place, DCTERMS.identifier)))
        assert output.value(place, SKOS.prefLabel)
        assert place in set(output.objects(variant, SCHEMA.areaServed))
        waiting = output.value(variant, MG.waitingDays)
        assert waiting.datatype == XSD.integer and 0 <= waiting.toPython() <= 365
        issued = output.value(variant, DCTERMS.issued)
        releases = set(output.subjects(DCTERMS.publisher, provider))
        assert issued in {output.value(r, DCTERMS.issued) for r in releases}
        first = min(releases, key=lambda r: output.value(r, DCTERMS.issued).toPython())
        latest = max(releases, key=lambda r: output.value(r, DCTERMS.issued).toPython())
        assert (latest, DCTERMS.hasPart, variant) in output
        assert output.value(first, DCTERMS.issued).toPython() >= datetime.date(2021, 1, 1)
        titles = {t.language: str(t) for t in output.objects(variant, SKOS.prefLabel)}
        assert set(titles) == {"nl", "en"} and titles["nl"].endswith(f"({output.value(provider, SKOS.prefLabel)})")


def test_a_local_partner_replaces_the_kind_of_organisation_the_module_names(catalogue):
    """Deel 2a, Verwijzingstraject (p. 17): 'Medewerkers die (waarschijnlijk) geïndiceerd zijn voor
    (gespecialiseerde) hulpverlening, bijvoorbeeld het algemeen maatschappelijk werk of de GGZ, maar de
    stap daar naar toe niet zelfstandig zetten.' A provider's variant refers to the GGZ-instelling of
    its own municipality, with the same evidence; the werksoort AMW stays the national resource."""
    module = next(m for m in synth.national_modules(catalogue.graph) if m.slug == "bmw/verwijzingstraject")
    amsterdam = next(m for m in synth.MUNICIPALITIES if m[0] == "GM0363")
    provider = synth.Provider(ident="bmw-0001", werksoort="bmw", name="Test BMW", municipality=amsterdam,
                              area=[amsterdam], releases=[datetime.date(2022, 1, 1)],
                              variants=[synth.Variant(module=module, release=1, waiting_days=10)])
    text, count = synth.provider_text(provider)
    graph = Graph().parse(data=text, format="nt")
    assert len(graph) == count
    variant = ID["provider/bmw-0001/module/bmw/verwijzingstraject"]
    local_ggz = ID["organisation/ggz-instelling/gm0363"]
    assert (variant, MG.refersTo, local_ggz) in graph
    assert (variant, MG.refersTo, ID["organisation/ggz-instelling"]) not in graph
    assert (variant, MG.refersTo, ID["werksoort/amw"]) in graph
    quote = ("Medewerkers die (waarschijnlijk) geïndiceerd zijn voor (gespecialiseerde) hulpverlening, bijvoorbeeld "
             "het algemeen maatschappelijk werk of de GGZ, maar de stap daar naar toe niet zelfstandig zetten.")
    statements = {s for s in graph.subjects(RDF.object, local_ggz)
                  if graph.value(s, RDF.subject) == variant and graph.value(s, RDF.predicate) == MG.refersTo}
    assert [str(graph.value(s, MG.quote)) for s in statements] == [quote]
    assert (ID["provider/bmw-0001"], ORG.linkedTo, local_ggz) in graph
    places, _ = synth.municipalities_text(["GM0363"])
    where = Graph().parse(data=places, format="nt")
    assert where.value(local_ggz, DCTERMS.type) == ID["organisation/ggz-instelling"]
    assert (local_ggz, RDF.type, MG.Organisation) in where
    assert where.value(local_ggz, SCHEMA.location) == ID["municipality/gm0363"]
    assert {l.language for l in where.objects(local_ggz, SKOS.prefLabel)} == {"nl", "en"}


def test_every_local_partner_kind_is_a_partner_of_the_catalogue(catalogue):
    for kind in synth.LOCAL_PARTNER_KINDS:
        assert (ID[f"organisation/{kind}"], RDF.type, MG.Organisation) in catalogue.graph, kind


def test_modules_per_function_sees_the_variants(two):
    """Deel 2b, table of contents: 'Functie: intake, indicatie en verwijzing' ... 'Intake ....9'. Every
    AMW institution offers the access modules, so its Intake is listed under that function, page 9."""
    api = ApiCatalogue(REPO, include=[two])
    rows = api.query("modules-per-function", werksoort="amw")
    intakes = [r for r in rows if r["module"].startswith(BASE + "provider/amw-") and r["module"].endswith("/module/amw/intake")]
    assert len(intakes) == 1
    assert intakes[0]["function"] == BASE + "function/amw/intake-indicatie-en-verwijzing"
    assert intakes[0]["page"] == 9
    output = read_output(two)
    amw_variants = {str(v) for v in variants(output) if "/provider/amw-" in str(v)}
    assert amw_variants <= {r["module"] for r in rows}


def test_a_variant_inherits_what_is_inferred_about_its_national_module(catalogue, inferred):
    """Deel 2b lists 'Assertiviteitstraining (groepswerk)' and its Doelgroep says 'Aan deze module gaat
    een intake vooraf.': the variant is a group module and a module with a prior intake, like the
    national one; its inferred involvement of the GGZ (with which the module is delivered) is the
    local GGZ-instelling."""
    module = next(m for m in synth.national_modules(catalogue.graph, inferred) if m.slug == "amw/assertiviteitstraining")
    assen = next(m for m in synth.MUNICIPALITIES if m[0] == "GM0106")
    provider = synth.Provider(ident="amw-0001", werksoort="amw", name="Test AMW", municipality=assen, area=[assen],
                              releases=[datetime.date(2022, 1, 1)],
                              variants=[synth.Variant(module=module, release=1, waiting_days=30)])
    text, count = synth.provider_inferred_text(provider)
    graph = Graph().parse(data=text, format="nt")
    assert len(graph) == count > 0
    variant = ID["provider/amw-0001/module/amw/assertiviteitstraining"]
    assert {MG.GroupModule, MG.ModuleWithPriorIntake, MG.AMWModule} <= set(graph.objects(variant, RDF.type))
    assert (variant, MG.involves, ID["organisation/ggz-instelling/gm0106"]) in graph
    assert (variant, MG.involves, ID["organisation/ggz-instelling"]) not in graph
    assert set(graph.subjects()) == {variant}  # nothing is added to the national modules


def test_follow_ups_of_a_variant_are_those_of_its_national_module(two):
    """The same pathways from a provider's Intake as from the national Intake (deel 2b, p. 9), with the
    provider's local partners where the module names a kind of organisation."""
    api = ApiCatalogue(REPO, include=[two])
    variant = BASE + "provider/amw-0001/module/amw/intake"
    kind = {str(o): str(api.graph.value(URIRef(o), DCTERMS.type)) for o in api.graph.subjects(DCTERMS.type, None)}
    national = {(r["followUp"], r.get("relation"), r.get("direct")) for r in api.query("follow-ups", module="amw/intake")}
    local = {(kind.get(r["followUp"], r["followUp"]), r.get("relation"), r.get("direct"))
             for r in api.query("follow-ups", module=variant)}
    assert national and local == national


def test_the_quality_checks_find_nothing_in_the_variants(two):
    """A provider's variants are as clean as the documents' data: every qc query gives no rows. (A
    variant repeats its national module's sequencing relations, e.g. the Intake's follow-ups of deel 2b
    p. 9, which rest on the national module's statements.)"""
    api = ApiCatalogue(REPO, include=[two])
    found = {name: len(api.rows(name).rows) for name in api.names() if name.startswith("qc/")}
    assert len(found) >= 9 and not any(found.values()), found


def test_a_variant_relation_its_national_module_lacks_is_reported(two, tmp_path):
    """Deel 2b's Intake (p. 9) requires no BMW module before it; a variant that says it requires
    'Coachen van leidinggevenden' without a statement is a row of the sequencing check."""
    variant = ID["provider/amw-0001/module/amw/intake"]
    extra = tmp_path / "defect"
    extra.mkdir()
    (extra / "defect.nt").write_text(
        f"<{variant}> <{MG.requiresPriorModule}> <{ID['module/bmw/coachen-van-leidinggevenden']}> .\n",
        encoding="utf-8")
    api = ApiCatalogue(REPO, include=[two, extra])
    rows = api.query("qc/sequencing-without-evidence-violation")
    assert [(r["module"], r["relation"], r["target"]) for r in rows] == [
        (str(variant), str(MG.requiresPriorModule), str(ID["module/bmw/coachen-van-leidinggevenden"]))]


# ---------------------------------------------------------------- the command

def test_the_command_writes_the_folder_and_reports_the_count(tmp_path):
    done = run_modgraph("--root", str(REPO), "synth", "--providers", "2", "--seed", "3", "--out", str(tmp_path / "o"))
    assert done.returncode == 0, done.stderr
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    assert f"{manifest['triples']:,} triples" in done.stdout
    assert done.stderr == ""  # no progress bar when stderr is not a terminal
    assert sorted(p.name for p in (tmp_path / "o" / "providers").iterdir()) == ["amw-0001.nt", "bmw-0001.nt"]
    assert f"of which {manifest['inferred_triples']:,} inferred" in done.stdout
    done = run_modgraph("--root", str(REPO), "--asserted-only", "synth", "--providers", "2", "--seed", "3",
                        "--out", str(tmp_path / "a"))
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["manifest.json", "municipalities.nt", "providers"]
    assert file_bytes(tmp_path / "a" / "providers") == file_bytes(tmp_path / "o" / "providers")


def test_the_progress_bar_shows_providers_and_triples():
    import io

    stream = io.StringIO()
    bar = synth.Progress(4, enabled=True, stream=stream)
    bar.update(4, 1234, final=True)
    assert "4/4 providers" in stream.getvalue() and "1,234 triples" in stream.getvalue()
    quiet = io.StringIO()
    synth.Progress(4, enabled=False, stream=quiet).update(4, 1234, final=True)
    assert quiet.getvalue() == ""


@pytest.mark.parametrize("args, message", [
    (["--providers", "0"], "--providers: 0 providers"),
    (["--providers", "-3"], "--providers: -3 providers"),
    (["--providers", "many"], "--providers: 'many' is not a whole number"),
    (["--providers", "2", "--seed", "1.5"], "--seed: '1.5' is not a whole number"),
])
def test_bad_arguments_give_one_line_and_exit_2(tmp_path, args, message):
    out = tmp_path / "o"
    done = run_modgraph("--root", str(REPO), "synth", *args, "--out", str(out))
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_unusable_out_folder_gives_one_line_and_exit_2(tmp_path):
    (tmp_path / "file").write_text("x")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    cases = [
        ([str(tmp_path / "file" / "sub")], "is not a folder"),
        ([str(tmp_path / "file")], "exists and is not a folder"),
        ([str(tmp_path / "full")], "not empty: pass --force"),
        ([str(tmp_path / "full"), "--force"], "refusing to replace it, even with --force"),
    ]
    for out, message in cases:
        done = run_modgraph("--root", str(REPO), "synth", "--providers", "1", "--out", *out)
        assert done.returncode == 2, out
        assert done.stderr.count("\n") == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "file").read_text() == "x" and (tmp_path / "full" / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file", "full"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_parent_gives_one_line_and_exit_2(tmp_path):
    parent = tmp_path / "ro"
    parent.mkdir(mode=0o555)
    done = run_modgraph("--root", str(REPO), "synth", "--providers", "1", "--out", str(parent / "o"))
    assert done.returncode == 2 and "no permission" in done.stderr and "Traceback" not in done.stderr


def test_force_replaces_an_earlier_output(catalogue, tmp_path):
    out = tmp_path / "o"
    synth.synthesise(catalogue.graph, 3, 1, out)
    synth.synthesise(catalogue.graph, 1, 2, out, force=True)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["providers"] == 1 and sorted(p.name for p in (out / "providers").iterdir()) == ["amw-0001.nt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), KeyboardInterrupt()])
def test_nothing_is_half_written_when_writing_fails(catalogue, tmp_path, monkeypatch, failure):
    out = tmp_path / "o"
    synth.synthesise(catalogue.graph, 2, 1, out)
    before = file_bytes(out)
    real = synth.provider_text
    calls = []

    def failing(provider):
        calls.append(provider.ident)
        if len(calls) == 3:
            raise failure
        return real(provider)

    monkeypatch.setattr(synth, "provider_text", failing)
    with pytest.raises(InputError if isinstance(failure, OSError) else KeyboardInterrupt):
        synth.synthesise(catalogue.graph, 5, 1, out, force=True)
    assert file_bytes(out) == before  # the earlier output is untouched
    with pytest.raises(InputError if isinstance(failure, OSError) else KeyboardInterrupt):
        calls.clear()
        synth.synthesise(catalogue.graph, 5, 1, tmp_path / "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]  # no new folder, no temporary folder left


def test_a_killed_runs_temporary_folder_is_removed_by_the_next_run(catalogue, tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / f".o.synth-{dead.stdout.strip()}.tmp"
    (stale / "providers").mkdir(parents=True)
    synth.synthesise(catalogue.graph, 1, 1, tmp_path / "o")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o"]
