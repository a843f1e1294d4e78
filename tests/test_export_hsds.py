"""The `hsds` export profile: the catalogue as Open Referral HSDS 3.0, as JSON (one Page per object type)
and as the tabular data package; valid against the standard's compiled JSON Schemas (format checking on)
and its datapackage.json (frictionless), the same bytes on every run, UUIDs derived from the IRIs,
written whole or not at all.

Expected values come from the source documents (deel 2b = AMW, deel 2a = BMW); each is quoted."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import uuid

import pytest
from rdflib import RDF, Namespace

from conftest import REPO
from modgraph.engines import open_engine
from modgraph.errors import InputError
from modgraph.export import hsds
from modgraph.inferred import load_for_queries

MG = Namespace("https://w3id.org/modgraph/def#")
ID = "https://w3id.org/modgraph/id/"
JSON_FILES = ["organizations.json", "services.json", "taxonomies.json", "taxonomy_terms.json"]


def module_id(slug: str) -> str:
    """The HSDS id of a module, computed here the way docs/export.md says: uuid5(NAMESPACE_URL, IRI)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{ID}module/{slug}"))



@pytest.fixture(scope="module")
def exported(root, tmp_path_factory) -> dict:
    """Both formats written twice (two engines opened one after the other): (format, run) -> folder."""
    base = tmp_path_factory.mktemp("hsds")
    out = {}
    for run in (1, 2):
        with open_engine(root) as engine:
            for fmt in hsds.FORMATS:
                folder = base / f"{fmt}-{run}"
                written = hsds.write(engine, root, folder, fmt=fmt)
                assert [w.path for w in written] == [folder]
                out[fmt, run] = folder
    return out


def page(folder, name: str) -> list[dict]:
    return json.loads((folder / name).read_text(encoding="utf-8"))["contents"]


def service(exported, slug: str) -> dict:
    [found] = [s for s in page(exported["json", 1], "services.json") if s["id"] == module_id(slug)]
    return found


def terms(item: dict, link_type: str) -> list[str]:
    return sorted(a["taxonomy_term"]["name"] for a in item["attributes"] if a["link_type"] == link_type)


def read_csv(folder, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8"), newline="")))


# ---------------------------------------------------------------- the standard's own checks

def test_the_json_validates_against_the_compiled_schemas(exported, root):
    report = hsds.check(exported["json", 1], root)
    assert "hsds-3.0/schema/compiled/service_with_definitions.json" in report.shape_files
    assert "hsds-3.0/schema/taxonomy_term.json" in report.shape_files
    assert report.violations == [] and report.conforms
    assert sorted(p.name for p in exported["json", 1].iterdir()) == JSON_FILES


def test_the_json_check_finds_what_the_schemas_forbid(exported, root, tmp_path):
    # Format checking is on: an id that is not a UUID and a term_uri that is not a URI are violations.
    bad = tmp_path / "bad"
    shutil.copytree(exported["json", 1], bad)
    data = json.loads((bad / "services.json").read_text(encoding="utf-8"))
    data["contents"][0]["id"] = "amw/intake"
    data["contents"][1]["attributes"][0]["taxonomy_term"]["term_uri"] = "not a uri"
    data["contents"][2]["status"] = "open"
    data["contents"][3]["organization_id"] = str(uuid.uuid4())
    (bad / "services.json").write_text(json.dumps(data), encoding="utf-8")
    violations = hsds.check(bad, root).violations
    assert any("/contents/0/id: 'amw/intake' is not a 'uuid'" in v for v in violations)
    assert any("term_uri: 'not a uri' is not a 'uri'" in v for v in violations)
    assert any("/contents/2/status: 'open' is not one of" in v for v in violations)
    assert any("/contents/3/organization_id: no such organization" in v for v in violations)


def test_the_csv_package_validates_against_the_official_datapackage(exported, root):
    folder = exported["csv", 1]
    report = hsds.check(folder, root)
    assert report.shape_files == ["hsds-3.0/datapackage.json"]
    assert report.violations == [] and report.conforms
    official = json.loads((REPO / "standards" / "hsds-3.0" / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in folder.iterdir()) == sorted(["datapackage.json"] +
                                                              [r["path"] for r in official["resources"]])
    # The official descriptor, unchanged (HSDS: publishers should use it rather than develop their own).
    assert (folder / "datapackage.json").read_bytes() == (REPO / "standards/hsds-3.0/datapackage.json").read_bytes()


def test_the_csv_check_finds_what_the_datapackage_forbids(exported, root, tmp_path):
    bad = tmp_path / "bad"
    shutil.copytree(exported["csv", 1], bad)
    text = (bad / "attributes.csv").read_text(encoding="utf-8")
    first_term = read_csv(bad, "attributes.csv")[0]["taxonomy_term_id"]
    (bad / "attributes.csv").write_text(text.replace(first_term, str(uuid.uuid4()), 1), encoding="utf-8")
    text = (bad / "services.csv").read_text(encoding="utf-8")
    (bad / "services.csv").write_text(text.replace(",active,", ",open,", 1), encoding="utf-8")
    violations = hsds.check(bad, root).violations
    assert any(v.startswith("attributes.csv") and "foreign-key" in v for v in violations), violations
    assert any(v.startswith("services.csv") and "constraint-error" in v for v in violations), violations


# ---------------------------------------------------------------- every module, stable and deterministic

def test_every_module_of_the_catalogue_is_a_service(exported, root):
    # The documents' tables of contents list 22 AMW modules (deel 2b, 'Aanmelding' to 'Uitkomen met
    # inkomen') and 21 BMW modules (deel 2a, 'Aanmelding BMW' to 'Teambegeleiding: Opvang en begeleiding
    # na traumatische ervaringen'). The modules are read from the catalogue's files, not the export.
    graph = load_for_queries(root).graph
    modules = {str(m) for m in graph.subjects(RDF.type, MG.Module)}
    assert len(modules) == 43
    services = page(exported["json", 1], "services.json")
    assert sorted(s["id"] for s in services) == sorted(str(uuid.uuid5(uuid.NAMESPACE_URL, m)) for m in modules)
    organizations = {o["alternate_name"]: o["id"] for o in page(exported["json", 1], "organizations.json")}
    assert sum(s["organization_id"] == organizations["AMW-instelling"] for s in services) == 22
    assert sum(s["organization_id"] == organizations["BMW"] for s in services) == 21
    assert all(s["status"] == "active" for s in services)
    assert len(read_csv(exported["csv", 1], "services.csv")) == 43


def test_two_runs_give_the_same_bytes(exported):
    for fmt in hsds.FORMATS:
        first, second = exported[fmt, 1], exported[fmt, 2]
        names = sorted(p.name for p in first.iterdir())
        assert names == sorted(p.name for p in second.iterdir())
        for name in names:
            assert (first / name).read_bytes() == (second / name).read_bytes(), (fmt, name)


def test_the_same_bytes_on_the_rdflib_engine(exported, root, tmp_path):
    with open_engine(root, engine="rdflib") as engine:
        hsds.write(engine, root, tmp_path / "json", fmt="json")
    for name in JSON_FILES:
        assert (tmp_path / "json" / name).read_bytes() == (exported["json", 1] / name).read_bytes(), name


def test_uuids_are_derived_from_the_iris(exported):
    intake = service(exported, "amw/intake")   # found by the id computed from its IRI
    assert intake["name"] == "Intake"
    assert uuid.UUID(intake["id"]).version == 5
    organization = intake["organization"]
    assert organization["uri"] == f"{ID}provider/maatschappelijk-werkinstellingen"
    assert organization["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, organization["uri"]))
    for attribute in intake["attributes"]:
        term = attribute["taxonomy_term"]
        assert term["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, term["term_uri"]))
        assert term["taxonomy_detail"]["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, term["taxonomy_detail"]["uri"]))
        # An attribute stands for one triple of the catalogue: its id is derived from that triple.
        prop = {"function": str(MG.function),
                "eligibility": "http://purl.org/dc/terms/audience"}[attribute["link_type"]]
        triple = f"<{ID}module/amw/intake> <{prop}> <{term['term_uri']}>"
        assert attribute["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, triple))
        assert attribute["link_id"] == intake["id"] and attribute["link_entity"] == "service"


# ---------------------------------------------------------------- fields, from the documents

def test_amw_intake(exported):
    intake = service(exported, "amw/intake")
    # deel 2b, Intake, Doelgroep: "Cliënten/cliëntsystemen met psychosociale klachten of problemen.
    # Personen kunnen zich zelf aanmelden of aangemeld worden door derden."
    assert intake["eligibility_description"] == ("Cliënten/cliëntsystemen met psychosociale klachten of problemen. "
                                                 "Personen kunnen zich zelf aanmelden of aangemeld worden door derden.")
    assert terms(intake, "eligibility") == ["cliënten", "cliëntsystemen"]
    # Table of contents of deel 2b: "Toegangsfuncties / Functie: intake, indicatie en verwijzing / • Intake"
    assert terms(intake, "function") == ["intake, indicatie en verwijzing"]
    [function] = [a["taxonomy_term"] for a in intake["attributes"] if a["link_type"] == "function"]
    parents = {t["id"]: t for t in page(exported["json", 1], "taxonomy_terms.json")}
    assert parents[function["parent_id"]]["name"] == "Toegangsfuncties"
    assert function["taxonomy_detail"]["name"] == "Functies AMW"
    # Werkwijze/activiteiten: "• Samen met de cliënt een analyse/taxatie maken van de gepresenteerde
    # problematiek en deze omzetten in een werkbare hulpvraag."
    assert intake["description"].startswith("• Samen met de cliënt een analyse/taxatie maken van de gepresenteerde "
                                            "problematiek en deze omzetten in een werkbare hulpvraag.\n")
    assert intake["organization"]["alternate_name"] == "AMW-instelling"


def test_bmw_verwijzingstraject_and_coachen(exported):
    referral = service(exported, "bmw/verwijzingstraject")
    # deel 2a, table of contents: "Functie: bemoeizorg / • Verwijzingstraject"
    assert terms(referral, "function") == ["bemoeizorg"]
    # Doelgroep: "Medewerkers die (waarschijnlijk) geïndiceerd zijn voor (gespecialiseerde) hulpverlening, ..."
    assert referral["eligibility_description"].startswith(
        "Medewerkers die (waarschijnlijk) geïndiceerd zijn voor (gespecialiseerde) hulpverlening")
    assert terms(referral, "eligibility") == ["medewerkers"]
    assert referral["organization"]["alternate_name"] == "BMW"
    coach = service(exported, "bmw/coachen-van-leidinggevenden")
    # The heading prints "Coachen van leidinggevenden", the table of contents "• Coaching van leidinggevenden".
    assert (coach["name"], coach["alternate_name"]) == ("Coachen van leidinggevenden", "Coaching van leidinggevenden")
    # Doelgroep: "Leidinggevenden die hun competenties wat betreft het begeleiden van medewerkers willen vergroten."
    assert terms(coach, "eligibility") == ["leidinggevenden"]
    assert terms(coach, "function") == ["begeleiding"]   # "Functie: begeleiding"


def test_the_tabular_form_holds_the_same_links(exported):
    folder = exported["csv", 1]
    [intake] = [row for row in read_csv(folder, "services.csv") if row["id"] == module_id("amw/intake")]
    assert intake["eligibility_description"].startswith("Cliënten/cliëntsystemen met psychosociale klachten")
    assert intake["status"] == "active" and intake["program_id"] == ""
    names = {row["id"]: row["name"] for row in read_csv(folder, "taxonomy_terms.csv")}
    linked = sorted((row["link_type"], names[row["taxonomy_term_id"]]) for row in read_csv(folder, "attributes.csv")
                    if row["link_id"] == intake["id"])
    assert linked == [("eligibility", "cliënten"), ("eligibility", "cliëntsystemen"),
                      ("function", "intake, indicatie en verwijzing")]
    assert [row["name"] for row in read_csv(folder, "taxonomies.csv")] == ["Functies AMW", "Functies BMW",
                                                                         "Voor wie een module is (doelpubliek)"]


# ---------------------------------------------------------------- whole or not at all

def test_an_unwritable_path_fails_clearly_and_leaves_nothing(root, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    out = blocker / "hsds"
    with open_engine(root) as engine, pytest.raises(InputError) as error:
        hsds.write(engine, root, out, fmt="json")
    assert error.value.location == str(out) and "cannot write" in error.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_a_folder_that_is_not_an_export_is_not_replaced(root, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me\n", encoding="utf-8")
    with open_engine(root) as engine, pytest.raises(InputError) as error:
        hsds.write(engine, root, out, fmt="csv")
    assert "notes.txt" in error.value.message and error.value.location == str(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "keep me\n"


def test_a_failed_write_keeps_the_earlier_export(exported, root, tmp_path, monkeypatch):
    out = tmp_path / "hsds"
    shutil.copytree(exported["json", 1], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with open_engine(root) as engine, pytest.raises(InputError) as error:
        hsds.write(engine, root, out, fmt="csv")
    assert "No space left on device" in error.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hsds"]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_export_replaces_an_earlier_one_whole(exported, root, tmp_path):
    out = tmp_path / "hsds"
    shutil.copytree(exported["json", 1], out)
    with open_engine(root) as engine:
        hsds.write(engine, root, out, fmt="csv")
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in exported["csv", 1].iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hsds"]


def test_check_refuses_what_is_not_an_export(root, tmp_path):
    with pytest.raises(InputError) as error:
        hsds.check(tmp_path / "missing", root)
    assert error.value.location == str(tmp_path / "missing")
    with pytest.raises(InputError) as error:
        hsds.check(tmp_path, root)
    assert "not an HSDS export" in error.value.message
