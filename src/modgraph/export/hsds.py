"""The ``hsds`` export: the catalogue as Open Referral HSDS 3.0, the exchange format of human- and
social-service directories (``docs/export.md``, section hsds).

The SELECT queries of ``profiles/hsds/`` read the catalogue on the query engine; this module turns
their rows into HSDS objects: one *service* per national module, the two *organizations* that provide
them (one per werksoort), the *taxonomies* (concept schemes) and *taxonomy terms* (functions and
target audiences, with their broader concepts) and the *attributes* that link a service to its terms.

Every ``id`` is a UUID derived from an IRI: ``uuid5(NAMESPACE_URL, IRI)`` (RFC 4122's namespace for
URLs), so anyone can compute it again from the IRI alone and it stays the same on every run. An
attribute has no IRI of its own; it stands for one triple of the catalogue, and its UUID is derived
from that triple written as N-Triples terms: ``"<module IRI> <property IRI> <term IRI>"``.

Two serialisations, both written into a folder ``out`` that is built beside it and renamed into place
when whole:

- ``json``: one file per object type (``services.json``, ``organizations.json``, ``taxonomies.json``,
  ``taxonomy_terms.json``), each one ``Page`` of the HSDS API Reference holding every object, as the
  list endpoints do (HSDS defines no other packaging for many records). Services are dereferenced as
  ``schema/compiled/service.json`` defines them: the organization and the attributes, each with its
  taxonomy term and that term's taxonomy, embedded.
- ``csv``: the Tabular Data Package: the official ``datapackage.json`` unchanged and one CSV file per
  resource it lists, in its field order (header only for the resources the catalogue has no data for).

:func:`check` validates such a folder: JSON with the compiled schemas (JSON Schema Draft 2020-12, the
dialect of HSDS's OpenAPI 3.1 reference, with format checking: ``uuid``, ``uri``, ``email``), CSV with
frictionless against the official ``datapackage.json``.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from modgraph.engines import Engine
from modgraph.errors import InputError
from modgraph.folders import write_folder
from modgraph.export.standards import CheckReport
from modgraph.paths import CatalogueRoot, find_root

PROFILE = "hsds"
FORMATS = ("json", "csv")
STANDARD = "hsds-3.0"                       # folder under standards/
ID_BASE = "https://w3id.org/modgraph/id/"
STATUS = "active"                           # the modules are the documents' current offer
LANGUAGE = "nl"                             # every label and text exported is the documents' Dutch
LINK_TYPES = {                              # catalogue property -> HSDS attribute link_type
    "https://w3id.org/modgraph/def#function": "function",
    "http://purl.org/dc/terms/audience": "eligibility",
}
JSON_FILES = {"service": "services.json", "organization": "organizations.json",
              "taxonomy": "taxonomies.json", "taxonomy_term": "taxonomy_terms.json"}
DATAPACKAGE = "datapackage.json"
# What each JSON file's objects are checked against (relative to standards/hsds-3.0/schema/).
# compiled/service_with_definitions.json is compiled/service.json with its nested objects as
# definitions (the same schema once the references are resolved; 0.1 MB instead of 2.3 MB).
JSON_SCHEMAS = {
    "service": ["compiled/service_with_definitions.json", "compiled/service_list.json"],
    "organization": ["compiled/organization_list.json"],
    "taxonomy": ["taxonomy.json"],
    "taxonomy_term": ["taxonomy_term.json"],
}
PAGE_SCHEMA = "openapi.json"                # its components/schemas/Page
REQUIRED_FORMATS = ("uuid", "uri", "email", "date-time")


def uuid_for(name: str) -> str:
    """The UUID of an IRI (or of a triple written as N-Triples terms): uuid5 in the URL namespace."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def code_of(iri: str) -> str:
    """A readable code for a concept: its IRI after the catalogue's base (``function/amw/begeleiding``)."""
    return iri[len(ID_BASE):] if iri.startswith(ID_BASE) else iri


@dataclass
class Directory:
    """The HSDS objects of the catalogue, flat (as in the tabular form), each list sorted."""

    services: list[dict] = field(default_factory=list)
    organizations: list[dict] = field(default_factory=list)
    taxonomies: list[dict] = field(default_factory=list)
    taxonomy_terms: list[dict] = field(default_factory=list)
    attributes: list[dict] = field(default_factory=list)

    def counts(self) -> str:
        return (f"{len(self.services)} services, {len(self.organizations)} organizations, "
                f"{len(self.taxonomies)} taxonomies, {len(self.taxonomy_terms)} taxonomy terms, "
                f"{len(self.attributes)} attributes")


def _run(engine: Engine, root: CatalogueRoot, name: str, timeout: float | None) -> list[dict]:
    path = root.profiles / PROFILE / f"{name}.rq"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the profile's query: {exc.strerror}", str(path)) from None
    rows = engine.run(text, source=str(path), timeout=timeout)
    if rows.graph is not None or rows.boolean is not None:
        raise InputError("an hsds profile query must be a SELECT query", str(path))
    return [{key: str(value) for key, value in row.items() if value is not None} for row in rows.rows]


def collect(engine: Engine, root: CatalogueRoot, *, timeout: float | None = None) -> Directory:
    """The catalogue's HSDS objects, read with the SELECT queries of ``profiles/hsds/``."""
    directory = Directory()
    provider_of = {}
    for row in _run(engine, root, "organizations", timeout):
        provider_of[row["werksoort"]] = uuid_for(row["organization"])
        directory.organizations.append({
            "id": uuid_for(row["organization"]), "name": row["name"], "alternate_name": row["alternateName"],
            "description": row["description"], "uri": row["organization"]})
    for row in _run(engine, root, "taxonomies", timeout):
        directory.taxonomies.append({"id": uuid_for(row["scheme"]), "name": row["name"],
                                     "description": row["definition"], "uri": row["scheme"]})
    for row in _run(engine, root, "taxonomy-terms", timeout):
        term = {"id": uuid_for(row["term"]), "code": code_of(row["term"]), "name": row["name"],
                "description": row["definition"], "taxonomy": row["scheme"],
                "taxonomy_id": uuid_for(row["scheme"]), "language": LANGUAGE, "term_uri": row["term"]}
        if "parent" in row:
            term["parent_id"] = uuid_for(row["parent"])
        directory.taxonomy_terms.append(term)
    services = {}
    for row in _run(engine, root, "services", timeout):
        if row["werksoort"] not in provider_of:
            raise InputError(f"no organization provides the werksoort of {row['module']}",
                             str(root.profiles / PROFILE / "organizations.rq"))
        service = services.setdefault(row["module"], {
            "id": uuid_for(row["module"]), "organization_id": provider_of[row["werksoort"]],
            "name": row["name"], "description": row["description"], "status": STATUS,
            "eligibility_description": row["eligibility"], "_identifier": row["identifier"]})
        if "alternateName" in row:  # the first in code-point order if a module had several
            service["alternate_name"] = min(row["alternateName"], service.get("alternate_name", row["alternateName"]))
    directory.services = sorted(services.values(), key=lambda s: s["_identifier"])
    for service in directory.services:
        del service["_identifier"]
    for row in _run(engine, root, "attributes", timeout):
        directory.attributes.append({
            "id": uuid_for(f"<{row['module']}> <{row['property']}> <{row['term']}>"),
            "link_id": uuid_for(row["module"]), "link_entity": "service",
            "link_type": LINK_TYPES[row["property"]], "taxonomy_term_id": uuid_for(row["term"])})
    directory.organizations.sort(key=lambda o: o["uri"])
    directory.taxonomies.sort(key=lambda t: t["uri"])
    directory.taxonomy_terms.sort(key=lambda t: t["code"])
    codes = {t["id"]: t["code"] for t in directory.taxonomy_terms}
    directory.attributes.sort(key=lambda a: (a["link_id"], a["link_type"], codes.get(a["taxonomy_term_id"], "")))
    return directory


# ---------------------------------------------------------------- JSON

def page(contents: list[dict]) -> dict:
    """All ``contents`` as the one page of an HSDS API list response (``Page`` of the API Reference)."""
    return {"total_items": len(contents), "total_pages": 1, "page_number": 1, "size": len(contents),
            "first_page": True, "last_page": True, "empty": not contents, "contents": contents}


def json_files(directory: Directory) -> dict[str, bytes]:
    """File name -> bytes of the JSON serialisation (dereferenced objects, one Page per object type)."""
    taxonomies = {t["id"]: t for t in directory.taxonomies}
    terms = {t["id"]: dict(t, taxonomy_detail=taxonomies[t["taxonomy_id"]]) for t in directory.taxonomy_terms}
    organizations = {o["id"]: o for o in directory.organizations}
    services = []
    for service in directory.services:
        attributes = [dict(a, taxonomy_term=terms[a["taxonomy_term_id"]])
                      for a in directory.attributes if a["link_id"] == service["id"]]
        services.append(dict(service, organization=organizations[service["organization_id"]],
                             attributes=attributes))
    objects = {"service": services, "organization": directory.organizations,
               "taxonomy": directory.taxonomies, "taxonomy_term": [terms[t["id"]] for t in directory.taxonomy_terms]}
    return {JSON_FILES[kind]: _json_bytes(page(items)) for kind, items in objects.items()}


def _json_bytes(value) -> bytes:
    return (json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


# ---------------------------------------------------------------- CSV

def datapackage_path(root: CatalogueRoot) -> Path:
    return root.root / "standards" / STANDARD / DATAPACKAGE


def _read_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"is not JSON: {exc.msg}", f"{path}:{exc.lineno}:{exc.colno}") from None
    except ValueError as exc:  # not UTF-8
        raise InputError(f"is not JSON: {exc}", str(path)) from None


def _csv_file_names(root: CatalogueRoot) -> set[str]:
    """The files of the tabular package: datapackage.json and the CSV file of each resource."""
    return {DATAPACKAGE} | {resource["path"] for resource in _read_json(datapackage_path(root))["resources"]}


def csv_files(directory: Directory, root: CatalogueRoot) -> dict[str, bytes]:
    """File name -> bytes of the Tabular Data Package: the official datapackage.json and every CSV it lists."""
    path = datapackage_path(root)
    try:
        official = path.read_bytes()
    except OSError as exc:
        raise InputError(f"the standard's datapackage.json is missing: {exc.strerror}", str(path)) from None
    rows = {"service": directory.services, "organization": directory.organizations,
            "taxonomy": directory.taxonomies, "taxonomy_term": directory.taxonomy_terms,
            "attribute": directory.attributes}
    files = {DATAPACKAGE: official}
    for resource in json.loads(official)["resources"]:
        names = [f["name"] for f in resource["schema"]["fields"]]
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        for row in rows.get(resource["name"], []):
            writer.writerow([row.get(name, "") for name in names])
        files[resource["path"]] = buffer.getvalue().encode("utf-8")
    return files


# ---------------------------------------------------------------- writing

def write(engine: Engine, root: CatalogueRoot, out: Path, *, fmt: str = "json",
          timeout: float | None = None) -> list:
    """Export the catalogue as HSDS 3.0 into the folder ``out`` (``fmt`` json or csv), whole or not at all.

    ``out`` may be missing, empty, or an earlier HSDS export (only the file names an HSDS export
    writes); it is replaced by a folder built beside it. Anything else is refused. Returns one
    :class:`modgraph.export.core.Written` for the folder.
    """
    from modgraph.export.core import Written  # here: core may import this module

    if fmt not in FORMATS:
        raise InputError(f"the hsds profile is written as {' or '.join(FORMATS)}, not '{fmt}'", "--format")
    out = Path(out)
    directory = collect(engine, root, timeout=timeout)
    files = json_files(directory) if fmt == "json" else csv_files(directory, root)
    write_folder(out, files, "HSDS export", known=set(JSON_FILES.values()) | _csv_file_names(root))
    return [Written(out, f"{directory.counts()}; HSDS 3.0 {fmt.upper()}, {len(files)} files")]


# ---------------------------------------------------------------- checking

def check(path: Path, root: CatalogueRoot | None = None) -> CheckReport:
    """Validate the HSDS export folder ``path`` (JSON or CSV, told apart by its files) against the standard.

    JSON: every object of each file against its compiled schema (:data:`JSON_SCHEMAS`), each file's
    envelope against the API Reference's ``Page``, with format checking; ids unique and every reference
    (organization, taxonomy term, taxonomy) to an object of the export. CSV: the package's data against
    the official ``datapackage.json`` with frictionless (types, required fields, unique and foreign keys),
    and the package's own ``datapackage.json`` the official one.
    """
    root = root or find_root()
    path = Path(path)
    if not path.is_dir():
        raise InputError("no such folder" if not path.exists() else
                         "is not a folder: an HSDS export is a folder of files", str(path))
    schemas = root.root / "standards" / STANDARD / "schema"
    if (path / DATAPACKAGE).is_file():
        return _check_csv(path, root)
    if (path / JSON_FILES["service"]).is_file():
        return _check_json(path, schemas)
    raise InputError(f"is not an HSDS export: neither {DATAPACKAGE} nor {JSON_FILES['service']} in it", str(path))


def _validators(schemas: Path) -> dict:
    """Kind -> Draft 2020-12 validators with format checking, every schema file in one registry."""
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    checker = Draft202012Validator.FORMAT_CHECKER
    missing = [name for name in REQUIRED_FORMATS if name not in checker.checkers]
    if missing:  # jsonschema skips a format it has no checker for: say so instead of passing
        raise InputError(f"format checking for {', '.join(missing)} is not installed: "
                         "pip install 'jsonschema[format-nongpl]'", "--check")
    loaded = {}
    for file in sorted(schemas.glob("*.json")) + sorted((schemas / "compiled").glob("*.json")):
        loaded[file.relative_to(schemas).as_posix()] = _read_json(file)
    if not loaded:
        raise InputError("the standard's schemas are missing", str(schemas))
    registry = Registry().with_resources(
        (name, Resource.from_contents(schema, default_specification=DRAFT202012)) for name, schema in loaded.items())

    def validator(schema: dict):
        return Draft202012Validator(schema, registry=registry, format_checker=checker)

    out = {kind: [(name, validator(loaded[name])) for name in names] for kind, names in JSON_SCHEMAS.items()}
    out["page"] = [(f"{PAGE_SCHEMA}#/components/schemas/Page",
                    validator(loaded[PAGE_SCHEMA]["components"]["schemas"]["Page"]))]
    return out


def _check_json(path: Path, schemas: Path) -> CheckReport:
    validators = _validators(schemas)
    report = CheckReport(PROFILE, sorted({f"{STANDARD}/schema/{n}" for names in JSON_SCHEMAS.values() for n in names}
                                         | {f"{STANDARD}/schema/{PAGE_SCHEMA}"}))
    ids: dict[str, set[str]] = {}
    read: dict[str, list] = {}  # kind -> the file's contents, for the reference check
    for kind, name in JSON_FILES.items():
        file = path / name
        if not file.is_file():
            report.violations.append(f"{name}: missing")
            continue
        data = _read_json(file)
        for schema_name, validator in validators["page"]:
            report.violations += [f"{name}: {_where(e) or '/'}: {e.message} ({schema_name})"
                                  for e in validator.iter_errors(data)]
        contents = data.get("contents") if isinstance(data, dict) else None
        if not isinstance(contents, list):
            report.violations.append(f"{name}: no list 'contents'")
            continue
        if data.get("total_items") != len(contents):
            report.violations.append(f"{name}: total_items is {data.get('total_items')}, "
                                     f"contents holds {len(contents)}")
        for schema_name, validator in validators[kind]:
            for index, item in enumerate(contents):
                report.violations += [f"{name}: /contents/{index}{_where(e)}: {e.message} ({schema_name})"
                                      for e in validator.iter_errors(item)]
        read[kind] = contents
        seen = [item["id"] for item in contents if isinstance(item, dict) and isinstance(item.get("id"), str)]
        ids[kind] = set(seen)
        report.violations += [f"{name}: id {i} occurs {seen.count(i)} times"
                              for i in sorted(ids[kind]) if seen.count(i) > 1]
    report.violations += _dangling(read, ids)
    report.violations.sort()
    return report


def _where(error) -> str:
    return "".join(f"/{part}" for part in error.absolute_path)


def _dangling(read: dict[str, list], ids: dict[str, set[str]]) -> list[str]:
    """References from one object to another that the export does not hold (``read``: kind -> contents)."""
    if len(ids) < len(JSON_FILES):
        return []
    problems = []
    services = read["service"]
    for index, service in enumerate(services):
        if not isinstance(service, dict):
            continue  # the schemas have said so
        if service.get("organization_id") not in ids["organization"]:
            problems.append(f"{JSON_FILES['service']}: /contents/{index}/organization_id: no such organization")
        attributes = service.get("attributes")
        for number, attribute in enumerate(attributes if isinstance(attributes, list) else []):
            if isinstance(attribute, dict) and attribute.get("taxonomy_term_id") not in ids["taxonomy_term"]:
                problems.append(f"{JSON_FILES['service']}: /contents/{index}/attributes/{number}/taxonomy_term_id: "
                                "no such taxonomy term")
    terms = read["taxonomy_term"]
    for index, term in enumerate(terms):
        if not isinstance(term, dict):
            continue
        if term.get("taxonomy_id") not in ids["taxonomy"]:
            problems.append(f"{JSON_FILES['taxonomy_term']}: /contents/{index}/taxonomy_id: no such taxonomy")
        if "parent_id" in term and term["parent_id"] not in ids["taxonomy_term"]:
            problems.append(f"{JSON_FILES['taxonomy_term']}: /contents/{index}/parent_id: no such taxonomy term")
    return problems


def _check_csv(path: Path, root: CatalogueRoot) -> CheckReport:
    from frictionless import Package

    official_path = datapackage_path(root)
    report = CheckReport(PROFILE, [f"{STANDARD}/{DATAPACKAGE}"])
    try:
        if (path / DATAPACKAGE).read_bytes() != official_path.read_bytes():
            report.violations.append(f"{DATAPACKAGE}: differs from the official HSDS 3.0 {DATAPACKAGE}")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(exc.filename)) from None
    descriptor = _read_json(official_path)
    for resource in descriptor["resources"]:
        if not (path / resource["path"]).is_file():
            report.violations.append(f"{resource['path']}: missing")
    if report.violations:
        return report
    result = Package(descriptor, basepath=str(path)).validate()
    for task in result.tasks:
        for error in task.errors:
            where = f"row {error.row_number}" if getattr(error, "row_number", None) else "-"
            report.violations.append(f"{Path(task.place).name}: {where}: {error.type}: {error.message}")
    report.violations += [f"{DATAPACKAGE}: {error.type}: {error.message}" for error in result.errors]
    report.violations.sort()
    return report
