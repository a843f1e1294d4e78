"""The `dcat` export profile: a DCAT-AP 3.0.1 description of the dataset, also meeting DCAT-AP-NL 3.0.

The official shapes are in standards/dcat-ap/ (in the repository, so a clean clone can run this);
expected values come from the ontology's header and the documents, quoted.
"""

from __future__ import annotations

import re
import shutil

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, PROV, RDF, SKOS, XSD

from conftest import REPO, build_profile
from modgraph.engines import open_engine
from modgraph.export import profiles, standards
from modgraph.paths import CatalogueRoot

ID = "https://w3id.org/modgraph/id/"
DATASET = URIRef(ID + "dataset")
DCAT_VERSION = URIRef("http://www.w3.org/ns/dcat#version")  # DCAT 3; rdflib's DCAT namespace lacks it
ONTOLOGY = URIRef("https://w3id.org/modgraph/def")
EU = "http://publications.europa.eu/resource/authority/"
DCATAP = "dcat-ap/dcat-ap-3.0.1/"
DCATAPNL = "dcat-ap/dcat-ap-nl-3.0.0/"
# The formats of `modgraph export --format` (README, issue 17: ttl|nt|jsonld|rdfxml|trig|csv).
FORMATS = {"ttl", "nt", "jsonld", "rdfxml", "trig", "csv"}



@pytest.fixture(scope="module")
def graph(root):
    return build_profile("dcat")


@pytest.fixture(scope="module")
def ontology():
    """The ontology's header as written in ontology/modgraph.ttl."""
    return Graph().parse(REPO / "ontology" / "modgraph.ttl", format="turtle")


def test_no_violation_of_dcat_ap_and_dcat_ap_nl_together(graph, root):
    report = standards.check(graph, root, "dcat")
    assert {f"{DCATAP}shapes.ttl", f"{DCATAP}range.ttl", f"{DCATAP}mdr-vocabularies.shape.ttl",
            f"{DCATAPNL}dcat-ap-nl-SHACL.ttl", f"{DCATAPNL}dcat-ap-nl-SHACL-klassebereik.ttl",
            f"{DCATAPNL}dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl"} <= set(report.shape_files)
    assert report.violations == []


@pytest.mark.parametrize("files", [
    # DCAT-AP 3.0.1 alone: existence and cardinality, ranges, controlled vocabularies.
    [f"{DCATAP}shapes.ttl", f"{DCATAP}range.ttl", f"{DCATAP}mdr-vocabularies.shape.ttl"],
    # The same rules in DCAT-AP's "new design" file.
    [f"{DCATAP}dcat-ap-SHACL.ttl"],
    # DCAT-AP-NL 3.0 alone: its mandatory properties and class ranges.
    [f"{DCATAPNL}dcat-ap-nl-SHACL.ttl", f"{DCATAPNL}dcat-ap-nl-SHACL-klassebereik.ttl",
     f"{DCATAPNL}dcat-ap-nl-SHACL-klassebereik-codelijsten.ttl"],
], ids=["dcat-ap", "dcat-ap-new-design", "dcat-ap-nl"])
def test_no_violation_of_each_standard_on_its_own(graph, root, files):
    report = standards.check(graph, root, "dcat", shapes=standards.shapes_graph(root, files))
    assert report.violations == []


def test_the_check_finds_a_missing_mandatory_property(graph, root):
    """The shapes really are applied: DCAT-AP-NL makes a dataset's publisher and contact point mandatory."""
    broken = Graph()
    broken += graph
    broken.remove((DATASET, DCTERMS.publisher, None))
    broken.remove((DATASET, DCAT.contactPoint, None))
    report = standards.check(broken, root, "dcat")
    assert any("publisher" in line for line in report.violations)
    assert any("contactPoint" in line for line in report.violations)


def test_one_distribution_per_export_format(graph, ontology):
    version = str(ontology.value(ONTOLOGY, OWL.versionInfo))
    distributions = set(graph.objects(DATASET, DCAT.distribution))
    assert len(distributions) == len(FORMATS) == 6
    formats = set()
    for distribution in distributions:
        assert (distribution, RDF.type, DCAT.Distribution) in graph
        formats.add(str(distribution).rsplit("/", 1)[1])
        (download,) = graph.objects(distribution, DCAT.downloadURL)
        # The release folder dist/VERSION/, published at https://w3id.org/modgraph/dist/VERSION/.
        assert re.fullmatch(rf"https://w3id\.org/modgraph/dist/{re.escape(version)}/modgraph\.\w+", str(download))
        assert (distribution, DCAT.accessURL, download) in graph
        (media_type,) = graph.objects(distribution, DCAT.mediaType)
        assert str(media_type).startswith("https://www.iana.org/assignments/media-types/")
        (file_type,) = graph.objects(distribution, DCTERMS.format)
        assert (file_type, SKOS.inScheme, URIRef(EU + "file-type")) in graph
        assert (distribution, DCTERMS.license, ontology.value(ONTOLOGY, DCTERMS.license)) in graph
    assert formats == FORMATS
    turtle = URIRef(f"{ID}dataset/{version}/distribution/ttl")
    assert (turtle, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/text/turtle")) in graph
    assert (turtle, DCAT.downloadURL, URIRef(f"https://w3id.org/modgraph/dist/{version}/modgraph.ttl")) in graph
    csv = URIRef(f"{ID}dataset/{version}/distribution/csv")
    assert (csv, DCTERMS.format, URIRef(EU + "file-type/CSV")) in graph


def test_release_facts_come_from_the_ontology(graph, ontology):
    # ontology/modgraph.ttl: owl:versionInfo "0.1.0"; dcterms:created and dcterms:modified "2026-11-23";
    # dcterms:license CC BY 4.0; dcterms:creator "modgraph developers" (read here, not copied).
    assert (DATASET, DCAT_VERSION, ontology.value(ONTOLOGY, OWL.versionInfo)) in graph
    issued = ontology.value(ONTOLOGY, DCTERMS.issued) or ontology.value(ONTOLOGY, DCTERMS.created)
    assert set(graph.objects(DATASET, DCTERMS.issued)) == {issued}
    assert set(graph.objects(DATASET, DCTERMS.modified)) == {ontology.value(ONTOLOGY, DCTERMS.modified)}
    (publisher,) = graph.objects(DATASET, DCTERMS.publisher)
    assert set(graph.objects(publisher, FOAF.name)) == {ontology.value(ONTOLOGY, DCTERMS.creator)}
    assert ontology.value(ONTOLOGY, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")


def test_a_release_changes_version_and_dates_in_the_graph_not_in_the_queries(tmp_path):
    for folder in ("ontology", "data", "queries", "inferred", "profiles", "standards"):
        shutil.copytree(REPO / folder, tmp_path / folder)
    path = tmp_path / "ontology" / "modgraph.ttl"
    text = path.read_text(encoding="utf-8")
    assert text.count('owl:versionInfo "0.1.0"') == 1 and text.count('dcterms:modified "2026-11-23"') == 1
    text = text.replace('owl:versionInfo "0.1.0"', 'owl:versionInfo "9.9.9"')
    text = text.replace('dcterms:modified "2026-11-23"', 'dcterms:modified "2027-01-31"')
    path.write_text(text, encoding="utf-8")
    root = CatalogueRoot(tmp_path)
    with open_engine(root, asserted_only=True) as engine:  # the profile needs no inferences
        graph = profiles.build(engine, root, "dcat")
    assert (DATASET, DCAT_VERSION, Literal("9.9.9")) in graph
    assert set(graph.objects(DATASET, DCTERMS.modified)) == {Literal("2027-01-31", datatype=XSD.date)}
    downloads = {str(d) for dist in graph.objects(DATASET, DCAT.distribution) for d in graph.objects(dist, DCAT.downloadURL)}
    assert len(downloads) == 6 and all(d.startswith("https://w3id.org/modgraph/dist/9.9.9/") for d in downloads)
    assert not standards.check(graph, root, "dcat").violations


def test_the_dataset_is_derived_from_the_documents_by_nizw_for_the_nvmw(graph):
    # Deel 2a, Inleiding: "De NVMW heeft NIZW Sociaal Beleid gevraagd om middels modularisering het aanbod
    # van BMW en maatschappelijk-werkinstellingen voor mensen met arbeidsrelevante problematiek te verhelderen."
    sources = set(graph.objects(DATASET, PROV.wasDerivedFrom))
    assert sources == {URIRef(ID + "document/deel-2a"), URIRef(ID + "document/deel-2b")}
    nizw = URIRef(ID + "organisation/nizw-sociaal-beleid")
    for document in sources:
        assert (document, DCTERMS.creator, nizw) in graph
    assert Literal("NIZW Sociaal Beleid", lang="nl") in set(graph.objects(nizw, FOAF.name))
    report = URIRef(ID + "document/eindnotitie")
    assert (URIRef(ID + "document/deel-2a"), DCTERMS.isPartOf, report) in graph
    assert (report, PROV.wasAttributedTo, URIRef(ID + "organisation/nvmw")) in graph
    # The source documents are not the publisher: modgraph publishes the catalogue.
    assert (DATASET, DCTERMS.publisher, nizw) not in graph


def test_theme_language_and_standards(graph):
    assert set(graph.objects(DATASET, DCAT.theme)) == {URIRef(EU + "data-theme/SOCI")}
    assert (URIRef(EU + "data-theme/SOCI"), SKOS.inScheme, URIRef(EU + "data-theme")) in graph
    assert set(graph.objects(DATASET, DCTERMS.language)) == {URIRef(EU + "language/NLD"), URIRef(EU + "language/ENG")}
    # The standards the catalogue and its export profiles meet (standards/*/SOURCE.md: CPSV-AP 3.2.0,
    # NL-SBB, schema.org), besides the catalogue's own ontology.
    standards_met = set(graph.objects(DATASET, DCTERMS.conformsTo))
    assert standards_met == {ONTOLOGY, URIRef("https://semiceu.github.io/CPSV-AP/releases/3.2.0/"),
                             URIRef("https://docs.geostandaarden.nl/nl-sbb/nl-sbb/"), URIRef("https://schema.org/")}
    for standard in standards_met:
        assert (standard, RDF.type, DCTERMS.Standard) in graph


def test_the_description_counts_the_modules_of_the_catalogue(graph, root):
    # README: deel 2a holds "the 21 modules of company social work", deel 2b "the 22 modules of general
    # social work"; the dataset's description says the same, so it must match the catalogue.
    (description,) = [d for d in graph.objects(DATASET, DCTERMS.description) if d.language == "en"]
    query = ("PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX mg: <https://w3id.org/modgraph/def#> "
             "SELECT ?document (COUNT(?module) AS ?n) WHERE { ?module a mg:Module ; dcterms:source ?document } "
             "GROUP BY ?document")
    with open_engine(root) as engine:
        counts = {str(row["document"]).removeprefix(ID): int(row["n"]) for row in engine.run(query).rows}
    assert counts == {"document/deel-2a": 21, "document/deel-2b": 22}
    assert "part 2a (the BMW offer in modules, 21 modules)" in description
    assert "part 2b (the work-related AMW offer in modules, 22 modules)" in description

