"""Named SPARQL queries: discover the ``.rq`` files, read their grlc headers, bind parameters.

A query file opens with a grlc header (``#+ summary:``, ``#+ description:``, ``#+ tags:``,
``#+ defaults:``, ``#+ enumerate:``: YAML after ``#+``) and a ``# Example:`` line. Parameters follow
the BASIL convention that grlc uses: ``?_name`` is required, ``?__name`` optional; a suffix gives the
type: ``_iri``, ``_integer`` (any XSD type name), ``_en``/``_nl`` (a language), none for a literal.
Values are bound as RDF terms (rdflib's ``initBindings``, pyoxigraph's ``substitutions``), never
pasted into the query text.
"""

from __future__ import annotations

import difflib
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from modgraph.errors import InputError
from modgraph.limits import MAX_PARAMETER_LENGTH, shown
from modgraph.namespaces import BASE

PARAMETER = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z0-9]+(?:_[A-Za-z0-9]+)?))?\b")
LANGUAGE = re.compile(r"^[a-z]{2}$")
# Characters an IRI may not contain (RFC 3987; SPARQL's IRIREF excludes them too).
IRI_FORBIDDEN = re.compile(r'[\s<>"{}|^`\\]')


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query."""

    name: str
    variable: str
    required: bool
    kind: str  # "iri", "literal", "lang:xx" or an XSD datatype local name ("integer", "string", ...)

    @property
    def expects(self) -> str:
        if self.kind == "iri":
            return "an IRI, a slug such as amw/intake, or an exact title"
        if self.kind == "literal":
            return "a text"
        if self.kind.startswith("lang:"):
            return f"a text in language '{self.kind[5:]}'"
        return f"a value of type xsd:{self.kind}"


@dataclass
class NamedQuery:
    """A query file with its header and parameters."""

    name: str
    path: Path
    text: str
    header: dict
    example: str
    parameters: list[Parameter] = field(default_factory=list)

    @property
    def summary(self) -> str:
        return str(self.header.get("summary", ""))

    @property
    def description(self) -> str:
        return str(self.header.get("description", ""))

    @property
    def tags(self) -> list[str]:
        return [str(t) for t in self.header.get("tags", []) or []]

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)

    @property
    def example_params(self) -> dict[str, str]:
        """The ``--param k=v`` (or ``-p k=v``) values of the header's ``# Example:`` command."""
        words = shlex.split(self.example)
        return dict(value.split("=", 1) for flag, value in zip(words, words[1:])
                    if flag in ("--param", "-p") and "=" in value)


def parse_header(text: str, path: Path) -> tuple[dict, str]:
    """The grlc YAML header (``#+`` lines) and the ``# Example:`` line of a query file."""
    yaml_lines, example = [], ""
    for line in text.splitlines():
        if line.startswith("#+"):
            yaml_lines.append(line[2:].removeprefix(" "))
        elif line.startswith("# Example:"):
            example = line[len("# Example:"):].strip()
        elif line.strip() and not line.startswith("#"):
            break
    try:
        header = yaml.safe_load("\n".join(yaml_lines)) or {}
    except yaml.YAMLError as exc:
        raise InputError(f"the #+ header is not valid YAML: {exc}", str(path)) from None
    if not isinstance(header, dict):
        raise InputError("the #+ header must be a YAML mapping (summary:, description: ...)", str(path))
    return header, example


def _body(text: str) -> str:
    """The query without comment lines (parameter names in comments do not count)."""
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def find_parameters(text: str) -> list[Parameter]:
    """The BASIL parameters a query uses, in order of first use."""
    found: dict[str, Parameter] = {}
    for match in PARAMETER.finditer(_body(text)):
        underscores, name, suffix = match.groups()
        variable = match.group(0)[1:]
        if name in found:
            continue
        if suffix is None:
            kind = "literal"
        elif suffix == "iri":
            kind = "iri"
        elif LANGUAGE.match(suffix):
            kind = f"lang:{suffix}"
        else:
            kind = suffix.split("_")[-1]
        found[name] = Parameter(name=name, variable=variable, required=underscores == "_", kind=kind)
    return list(found.values())


def load_query(path: Path) -> NamedQuery:
    """Read one ``.rq`` file."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", str(path)) from None
    header, example = parse_header(text, path)
    name = path.relative_to(path.parents[1]).with_suffix("").as_posix() if path.parent.name == "qc" else path.stem
    return NamedQuery(name=name, path=path, text=text, header=header, example=example,
                      parameters=find_parameters(text))


def discover(folder: Path) -> dict[str, NamedQuery]:
    """All named queries under ``folder`` (``qc/NAME`` for data-quality checks), by name."""
    from modgraph.paths import list_files  # never skips an unreadable folder or a dangling link silently

    queries = {}
    for path in list_files(folder, ".rq") if folder.exists() or folder.is_symlink() else []:
        query = load_query(path)
        queries[query.name] = query
    return queries


def find(folder: Path, name: str) -> NamedQuery:
    """The named query ``name`` under ``folder``: its file read directly when the name is a plain
    file name (a command needs one query, not all), else as :func:`lookup` finds it in all of them."""
    if re.fullmatch(r"(?:qc/)?[A-Za-z0-9][A-Za-z0-9_-]{0,200}", name or ""):
        path = folder / f"{name}.rq"
        if path.is_file():
            return load_query(path)
    return lookup(discover(folder), name)


def lookup(queries: dict[str, NamedQuery], name: str) -> NamedQuery:
    """The query called ``name``; an unknown name is an InputError listing the close names."""
    if not isinstance(name, str):
        raise InputError(f"the query name must be a text, not {type(name).__name__}", "query")
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, list(queries), n=5, cutoff=0.4) if len(name) < 200 else []
    hint = f"; did you mean: {', '.join(close)}?" if close else "; `modgraph query --list` shows them all"
    raise InputError(f"no query named '{shown(name)}'{hint}", "query")


def resolve_resource(graph, value: str, parameter: str) -> URIRef:
    """Turn an IRI, a slug (``amw/intake``, ``module/amw/intake``, ``uwv``) or an exact title into an IRI.

    ``graph`` is an rdflib Graph or a :class:`modgraph.engines.Engine` (then looked up with SPARQL).
    """
    if not isinstance(graph, Graph):
        return _resolve_with_engine(graph, value.strip(), parameter)
    value = value.strip()
    iri = _written_iri(value, parameter)
    if iri is not None:
        if (iri, None, None) in graph or (None, None, iri) in graph:
            return iri
        raise InputError(f"no resource <{shown(value)}> in the catalogue", f"parameter {parameter}")
    subjects = {s for s in graph.subjects() if isinstance(s, URIRef)}
    tail = []
    if re.fullmatch(r"[A-Za-z0-9_\-./]+", value):
        for candidate in _slug_candidates(value):
            if URIRef(candidate) in subjects:
                return URIRef(candidate)
        concepts = [URIRef(c) for c in _concept_candidates(value) if URIRef(c) in subjects]
        if len(concepts) == 1:
            return concepts[0]
        tail = [s for s in subjects if str(s).startswith(BASE) and str(s).endswith("/" + value)]
    if len(tail) == 1:
        return tail[0]
    labelled = sorted({s for p in (SKOS.prefLabel, SKOS.altLabel) for s, o in graph.subject_objects(p)
                       if isinstance(s, URIRef) and str(o) == value})
    if not labelled:
        labelled = sorted({s for p in (SKOS.prefLabel, SKOS.altLabel) for s, o in graph.subject_objects(p)
                           if isinstance(s, URIRef) and str(o).casefold() == value.casefold()})
    return _one_of(labelled, tail, value, parameter)


def _one_of(labelled: list, tail: list, value: str, parameter: str) -> URIRef:
    """The one resource a title (else a slug's tail) names; none or several is an error saying which."""
    if len(labelled) == 1:
        return labelled[0]
    candidates = labelled or tail
    if candidates:
        names = ", ".join(str(c)[len(BASE):] if str(c).startswith(BASE) else str(c) for c in candidates[:6])
        raise InputError(f"'{shown(value)}' is ambiguous: {names}", f"parameter {parameter}")
    raise InputError(f"no resource matches '{shown(value)}' (give an IRI, a slug such as amw/intake, or an exact title)",
                     f"parameter {parameter}")


def _written_iri(value: str, parameter: str) -> URIRef | None:
    """``value`` as an IRI when it is written as one (http, https, urn); a bad character is an error."""
    if not (re.match(r"^[a-z][a-z0-9+.-]*:", value) and value.startswith(("http://", "https://", "urn:"))):
        return None
    bad = IRI_FORBIDDEN.search(value)
    if bad:
        raise InputError(f"not an IRI: it contains {bad.group(0)!r} (white space and <>\"{{}}|^`\\ are not "
                         "allowed in an IRI)", f"parameter {parameter}")
    return URIRef(value)


def _slug_candidates(value: str) -> tuple[str, ...]:
    """The IRIs a slug may stand for: ``BASE + slug``, a module, a werksoort."""
    return (BASE + value, BASE + "module/" + value, BASE + "werksoort/" + value.lower())


# The IRI folders of the concept schemes (data/vocab) and the documents. A slug such as `bijeenkomst`
# or `bmw/begeleiding` names the one concept of that name in them before the catalogue is searched for
# IRIs that end in it: that search reads every subject, seconds in a store of millions of triples.
# tests/test_text_parameters.py checks the list against the data.
CONCEPT_FOLDERS = ("document", "follow-up", "frequency", "function", "function-group", "goal-theme", "group-type",
                   "legal-framework", "method", "module-type", "organisation", "overlap-degree", "place",
                   "precondition-kind", "role", "scheme", "session-unit", "setting", "target-audience",
                   "target-group", "werksoort")


def _concept_candidates(value: str) -> list[str]:
    """The IRIs of a concept called ``value`` in each concept folder."""
    return [f"{BASE}{folder}/{value}" for folder in CONCEPT_FOLDERS]


def _resolve_with_engine(engine, value: str, parameter: str) -> URIRef:
    """:func:`resolve_resource` through SPARQL: the same rules, for any engine (values bound as terms)."""
    def select(text: str, **bindings) -> list[URIRef]:
        rows = engine.run(text, bindings, source=f"parameter {parameter}", timeout=None)
        return sorted({row["s"] for row in rows.rows if isinstance(row.get("s"), URIRef)})

    iri = _written_iri(value, parameter)
    if iri is not None:
        if select("SELECT ?s WHERE { { ?s ?p ?o } UNION { ?x ?p ?s } } LIMIT 1", s=iri):
            return iri
        raise InputError(f"no resource <{shown(value)}> in the catalogue", f"parameter {parameter}")
    tail: list[URIRef] = []
    if re.fullmatch(r"[A-Za-z0-9_\-./]+", value):
        for candidate in _slug_candidates(value):
            if select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", s=URIRef(candidate)):
                return URIRef(candidate)
        # the value matched the slug pattern above, so each candidate is a plain IRI
        listed = " ".join(f"<{c}>" for c in _concept_candidates(value))
        concepts = select(f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {listed} }} ?s ?p ?o }}")
        if len(concepts) == 1:
            return concepts[0]
        tail = select("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER (isIRI(?s) && STRSTARTS(STR(?s), ?base) "
                      "&& STRENDS(STR(?s), ?tail)) }", base=Literal(BASE), tail=Literal("/" + value))
    if len(tail) == 1:
        return tail[0]
    labels = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "  # declared: a remote endpoint knows no prefixes
              "SELECT DISTINCT ?s WHERE { ?s skos:prefLabel|skos:altLabel ?label FILTER (isIRI(?s) && {}) }")
    labelled = select(labels.replace("{}", "STR(?label) = ?value"), value=Literal(value))
    if not labelled:
        labelled = select(labels.replace("{}", "LCASE(STR(?label)) = LCASE(?value)"), value=Literal(value))
    return _one_of(labelled, tail, value, parameter)


def bind(query: NamedQuery, values: dict[str, str], graph) -> dict[str, object]:
    """Check the given values against the query's parameters and turn them into RDF terms."""
    unknown = sorted(set(values) - {p.name for p in query.parameters})
    if unknown:
        known = ", ".join(p.name for p in query.parameters) or "none"
        raise InputError(f"query '{query.name}' has no parameter '{shown(unknown[0])}' (its parameters: {known})",
                         f"parameter {shown(unknown[0])}")
    bindings: dict[str, object] = {}
    for parameter in query.parameters:
        raw = values.get(parameter.name)
        if raw is None:
            if parameter.required:
                raise InputError(f"query '{query.name}' needs it: {parameter.expects}", f"parameter {parameter.name}")
            continue
        if len(str(raw)) > MAX_PARAMETER_LENGTH:
            raise InputError(f"the value is {len(str(raw))} characters long; the limit is {MAX_PARAMETER_LENGTH} "
                             f"('{shown(str(raw))}')", f"parameter {parameter.name}")
        bindings[parameter.variable] = to_term(parameter, str(raw), graph)
    return bindings


def defaults(query: NamedQuery) -> dict[str, str]:
    """The ``#+ defaults:`` of a query: example values (grlc shows them in its UI), never applied silently."""
    out = {}
    for item in query.header.get("defaults", []) or []:
        if isinstance(item, dict):
            out.update({str(k): str(v) for k, v in item.items()})
    return out


def to_term(parameter: Parameter, raw: str, graph):
    """One parameter value as an RDF term of the parameter's type; an empty value is an error, not 'any'."""
    if not raw.strip():
        raise InputError(f"the value is empty: give {parameter.expects}", f"parameter {parameter.name}")
    if parameter.kind == "iri":
        return resolve_resource(graph, raw, parameter.name)
    if parameter.kind == "literal":
        return Literal(raw)
    if parameter.kind.startswith("lang:"):
        return Literal(raw, lang=parameter.kind[5:])
    datatype = XSD[parameter.kind]
    if parameter.kind in ("integer", "int", "nonNegativeInteger", "positiveInteger"):
        if not re.fullmatch(r"[+-]?\d+", raw.strip()):
            raise InputError(f"'{shown(raw)}' is not {parameter.expects}", f"parameter {parameter.name}")
        return Literal(int(raw), datatype=datatype)
    if parameter.kind in ("decimal", "double", "float"):
        try:
            float(raw)
        except ValueError:
            raise InputError(f"'{shown(raw)}' is not {parameter.expects}", f"parameter {parameter.name}") from None
    if parameter.kind == "boolean" and raw not in ("true", "false"):
        raise InputError(f"'{shown(raw)}' is not {parameter.expects} (true or false)", f"parameter {parameter.name}")
    return Literal(raw, datatype=datatype)
