"""`modgraph synth`: a synthetic national catalogue of local variants of the real modules.

The two documents describe each module once, nationally. A national registry would hold what every
AMW institution and BMW provider actually offers: its local variant of a module, with provider,
location, waiting time and local partners, published over several releases. This module generates
such a registry for benchmarks, deterministically from a seed.

What is generated (IRIs below ``https://w3id.org/modgraph/id/``):

- ``provider/amw-0001`` (or ``bmw-0001``): a fictional ``schema:Organization`` with a generated
  Dutch-looking name (``skos:prefLabel``), its werksoort (``dcterms:type``), its municipality
  (``schema:location``) and the local partners its variants name (``org:linkedTo``);
- ``provider/amw-0001/release/K``: the releases it published (``dcat:Dataset`` with
  ``dcterms:issued``, ``dcat:version``, ``dcat:previousVersion``, ``dcterms:hasPart`` its variants);
- ``provider/amw-0001/module/amw/intake``: a local variant, a full copy of the national module
  ``module/amw/intake`` read from the loaded catalogue (texts, numbers, concepts, goals, activities,
  preconditions, evidence, negative statements) that is an ``mg:Module`` of its own, with
  ``prov:wasDerivedFrom`` the national module, ``schema:provider``, ``schema:areaServed``,
  ``mg:waitingDays`` (whole days) and ``dcterms:issued`` (its first release). Where the
  national module names a kind of organisation that exists locally (a GGZ-instelling, the UWV, the
  sociale dienst, the kredietbank ...), the variant names the local one instead; every other
  object (concepts, roles, other modules) is the national resource, so a variant's sequencing
  points at the national modules, as the documents state it;
- ``municipality/gm0363``: the municipalities used (``schema:AdministrativeArea``, CBS code as
  ``dcterms:identifier``, ``rdfs:seeAlso`` the TOOI identifier), and
  ``organisation/uwv/gm0363``: the local partner organisations there (``mg:Organisation``,
  ``dcterms:type`` the national partner they are an instance of).

Output: one N-Triples file per provider (``providers/ID.nt``), its inferred triples
(``inferred/ID.nt``: what the reasoner concludes about each national module, carried over to the
variant, so queries that rely on inferences see the variants as they see the national modules),
``municipalities.nt`` and ``manifest.json`` (seed, providers, files with triple counts and
SHA-256, modgraph version).
N-Triples because it is written line by line without holding a graph (10^7 triples never sit
in memory) and is the fastest format to load (no prefixes or state; pyoxigraph can parse it in
parallel). The folder is written as a whole: into a temporary sibling folder that is renamed
into place at the end, so a failure or an interrupt leaves the previous state.

Deterministic: the same catalogue, provider count and seed give byte-identical files. All
randomness comes from ``random.Random`` seeded per provider with ``"SEED:PROVIDER-ID"``; nothing
depends on set or dict order, hash seeds or the clock.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import SKOS, XSD

from modgraph import __version__
from modgraph.errors import InputError
from modgraph.limits import shown
from modgraph.namespaces import BASE, MG_NS, PREFIXES

GENERATOR = "modgraph synth"
MANIFEST = "manifest.json"
PROVIDERS_DIR = "providers"
INFERRED_DIR = "inferred"
MUNICIPALITIES_FILE = "municipalities.nt"

AMW_SHARE = 0.65  # of the providers: AMW institutions are the larger group, BMW providers the rest
MAX_PROVIDERS = 1_000_000

_DCTERMS = PREFIXES["dcterms"]
_SCHEMA = PREFIXES["schema"]
_PROV = PREFIXES["prov"]
_DCAT = PREFIXES["dcat"]
_ORG = PREFIXES["org"]
_RDF_TYPE = str(RDF.type)
_SKOS_PREFLABEL = str(SKOS.prefLabel)
_XSD_DATE = str(XSD.date)
_XSD_INTEGER = str(XSD.integer)

# Municipalities (CBS gemeentecode, name, province, weight): the 32 municipalities with 100,000
# inhabitants or more and some smaller ones in every province. The weight makes a larger city
# the seat of more providers. Codes are lower-cased in IRIs (as TOOI does).
MUNICIPALITIES: tuple[tuple[str, str, str, int], ...] = (
    ("GM0363", "Amsterdam", "NH", 5), ("GM0599", "Rotterdam", "ZH", 5), ("GM0518", "'s-Gravenhage", "ZH", 5),
    ("GM0344", "Utrecht", "UT", 5), ("GM0772", "Eindhoven", "NB", 3), ("GM0014", "Groningen", "GR", 3),
    ("GM0855", "Tilburg", "NB", 3), ("GM0034", "Almere", "FL", 3), ("GM0268", "Nijmegen", "GE", 3),
    ("GM0758", "Breda", "NB", 3), ("GM0202", "Arnhem", "GE", 3), ("GM0392", "Haarlem", "NH", 3),
    ("GM0200", "Apeldoorn", "GE", 3), ("GM0394", "Haarlemmermeer", "NH", 3), ("GM0307", "Amersfoort", "UT", 3),
    ("GM0479", "Zaanstad", "NH", 3), ("GM0153", "Enschede", "OV", 3), ("GM0796", "'s-Hertogenbosch", "NB", 3),
    ("GM0193", "Zwolle", "OV", 3), ("GM0546", "Leiden", "ZH", 3), ("GM0080", "Leeuwarden", "FR", 3),
    ("GM0637", "Zoetermeer", "ZH", 3), ("GM0935", "Maastricht", "LI", 3), ("GM0228", "Ede", "GE", 3),
    ("GM0505", "Dordrecht", "ZH", 3), ("GM1783", "Westland", "ZH", 3), ("GM0484", "Alphen aan den Rijn", "ZH", 3),
    ("GM0361", "Alkmaar", "NH", 3), ("GM0503", "Delft", "ZH", 3), ("GM0114", "Emmen", "DR", 3),
    ("GM0150", "Deventer", "OV", 3), ("GM0983", "Venlo", "LI", 3), ("GM0362", "Amstelveen", "NH", 2),
    ("GM0384", "Diemen", "NH", 1), ("GM0437", "Ouder-Amstel", "NH", 1), ("GM0794", "Helmond", "NB", 2),
    ("GM0513", "Gouda", "ZH", 2), ("GM0439", "Purmerend", "NH", 2), ("GM0606", "Schiedam", "ZH", 2),
    ("GM0405", "Hoorn", "NH", 2), ("GM0687", "Middelburg", "ZE", 1), ("GM0718", "Vlissingen", "ZE", 1),
    ("GM0957", "Roermond", "LI", 1), ("GM0995", "Lelystad", "FL", 2), ("GM0917", "Heerlen", "LI", 2),
    ("GM1883", "Sittard-Geleen", "LI", 2), ("GM0356", "Nieuwegein", "UT", 2), ("GM0355", "Zeist", "UT", 1),
    ("GM0345", "Veenendaal", "UT", 1), ("GM0622", "Vlaardingen", "ZH", 2), ("GM0502", "Capelle aan den IJssel", "ZH", 2),
    ("GM0828", "Oss", "NB", 2), ("GM0402", "Hilversum", "NH", 2), ("GM0400", "Den Helder", "NH", 1),
    ("GM0106", "Assen", "DR", 2), ("GM0119", "Meppel", "DR", 1), ("GM0118", "Hoogeveen", "DR", 1),
    ("GM0141", "Almelo", "OV", 2), ("GM0164", "Hengelo", "OV", 2), ("GM0166", "Kampen", "OV", 1),
    ("GM0047", "Veendam", "GR", 1), ("GM0037", "Stadskanaal", "GR", 1), ("GM1900", "Súdwest-Fryslân", "FR", 1),
)
TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/"

# The kinds of organisation in data/vocab/partners.ttl that have a local office or institution:
# a variant names the one in its provider's municipality. The employer, its departments and
# fund, national bodies (Belastingdienst, LISV, NVVK), the trade union and the collective
# 'netwerk- en ketenpartners' stay the national resource. Names: (nl, en) with {city}.
LOCAL_PARTNER_KINDS: dict[str, tuple[str, str]] = {
    "arbeidstoeleidende-instantie": ("Werkbedrijf {city}", "job placement agency in {city}"),
    "arbodienst": ("Arbodienst {city}", "occupational health service in {city}"),
    "collega-instelling": ("Welzijnsinstelling {city}", "peer institution in {city}"),
    "cwi": ("CWI {city}", "CWI (Centre for Work and Income) in {city}"),
    "dwi": ("DWI {city}", "DWI (Department of Work and Income) in {city}"),
    "gemeentelijke-kredietbank": ("Gemeentelijke Kredietbank {city}", "municipal credit bank of {city}"),
    "ggz-instelling": ("GGZ {city}", "mental health care institution in {city}"),
    "hulpverleningsinstelling": ("Centrum voor Hulpverlening {city}", "care provider in {city}"),
    "reintegratiebureau": ("Reïntegratiebureau {city}", "reintegration agency in {city}"),
    "schuldhulpverlenende-organisatie": ("Schuldhulpverlening {city}", "debt counselling organisation in {city}"),
    "sociale-dienst": ("Sociale Dienst {city}", "municipal social services of {city}"),
    "uitkerende-instantie": ("Uitkeringsinstantie {city}", "benefits agency in {city}"),
    "uwv": ("UWV {city}", "UWV (Employee Insurance Agency) office in {city}"),
}

# Parts of the generated provider names.
_AMW_FORMS = ("Stichting Maatschappelijk Werk {place}", "Algemeen Maatschappelijk Werk {place}", "Welzijn {place}",
              "Sociaal Werk {place}", "{word} Welzijn", "Stichting {word}", "{word} Maatschappelijke Dienstverlening")
_BMW_FORMS = ("{word} Bedrijfsmaatschappelijk Werk", "Bedrijfsmaatschappelijk Werk {place}", "BMW {place}",
              "{word} Werk & Welzijn", "{word} Arbo & Zorg")
_WORD_HEADS = ("Kompas", "Anker", "Baken", "Horizon", "Spoor", "Stroom", "Kern", "Bron", "Vizier", "Wissel",
               "Steun", "Koers", "Balans", "Brug", "Haven", "Vonk", "Sleutel", "Ruimte")
_WORD_TAILS = ("punt", "kracht", "wijs", "lijn", "veld", "plein", "huis", "poort", "kring", "stap", "wacht", "zicht")
_DISTRICTS = ("Noord", "Oost", "Zuid", "West", "Centrum", "e.o.")

MARK_VARIANT = "\x00V\x00"   # in a template: the variant's IRI (the national module's, replaced)
MARK_PLACE = "\x00G\x00"     # in a template: the provider's municipality code (gm0363)


@dataclass(frozen=True)
class NationalModule:
    """One module of the documents, as the template every variant of it is written from."""

    iri: str
    slug: str                 # amw/intake
    werksoort: str            # amw
    title_nl: str
    title_en: str
    access: bool              # its function is an access function (toegangsfuncties): every provider offers it
    group: bool               # group work: its waiting time is until the next group starts
    template: str             # N-Triples lines with MARK_VARIANT / MARK_PLACE
    triples: int              # lines in the template
    local_kinds: tuple[str, ...]  # the LOCAL_PARTNER_KINDS it names
    inferred_template: str = ""   # the reasoner's triples about the module, as a template
    inferred_triples: int = 0


@dataclass
class Variant:
    """One provider's local variant of a national module."""

    module: NationalModule
    release: int              # the release it first appeared in
    waiting_days: int


@dataclass
class Provider:
    """One fictional AMW institution or BMW provider and what it publishes."""

    ident: str                # amw-0001
    werksoort: str
    name: str
    municipality: tuple[str, str, str, int]
    area: list[tuple[str, str, str, int]]   # the municipalities it serves (its own first)
    releases: list[datetime.date]
    variants: list[Variant] = field(default_factory=list)

    @property
    def iri(self) -> str:
        """``https://w3id.org/modgraph/id/provider/amw-0001``."""
        return f"{BASE}provider/{self.ident}"


@dataclass
class Summary:
    """What `synth` wrote."""

    out: Path
    providers: int
    triples: int
    files: int
    variants: int
    inferred: int | None = None   # of the triples, how many are inferred (None: none written)


# ---------------------------------------------------------------- N-Triples terms

def _iri(value: str) -> str:
    return f"<{value}>"


def _string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def _literal(value: str, *, lang: str | None = None, datatype: str | None = None) -> str:
    if lang:
        return f"{_string(value)}@{lang}"
    if datatype and datatype != str(XSD.string):
        return f"{_string(value)}^^<{datatype}>"
    return _string(value)


def _term(node) -> str:
    if isinstance(node, URIRef):
        return _iri(str(node))
    if isinstance(node, Literal):
        return _literal(str(node), lang=node.language, datatype=str(node.datatype) if node.datatype else None)
    raise TypeError(node)


def _line(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


# ---------------------------------------------------------------- the national modules

def national_modules(graph: Graph, inferred: Graph | None = None) -> list[NationalModule]:
    """The documents' modules in ``graph`` as templates, sorted by IRI (``module/WERKSOORT/SLUG``).

    A module's template holds every triple whose subject is the module or an IRI below it (goals,
    activities, preconditions, evidence, negative statements), except its titles and identifier,
    which every variant gets its own of. ``inferred`` (the reasoner's triples) gives the module's
    inferred template: what a variant inherits from the reasoning about its national module.
    """
    prefix = BASE + "module/"
    modules = sorted(str(m) for m in graph.subjects(RDF.type, URIRef(MG_NS + "Module"))
                     if isinstance(m, URIRef) and re.fullmatch(re.escape(prefix) + r"[a-z]+/[a-z0-9-]+", str(m)))
    if not modules:
        raise InputError("the catalogue has no modules to derive variants from", "--root")
    asserted = _by_module(graph, modules)
    entailed = _by_module(inferred, modules) if inferred is not None else {m: [] for m in modules}
    access_groups = {str(g) for g in graph.subjects(RDF.type, URIRef(MG_NS + "FunctionGroup"))
                     if str(g).endswith("/toegangsfuncties")}
    group_functions = {BASE + "function/amw/groepswerk-en-training", BASE + "function/bmw/teambegeleiding-en-trainingen"}
    result = []
    for module in modules:
        node = URIRef(module)
        lines, kinds = _template(module, asserted[module], skip_own={str(SKOS.prefLabel), str(SKOS.altLabel),
                                                                      _DCTERMS + "identifier"})
        inferred_lines, _ = _template(module, entailed[module], local_kinds=kinds)
        titles = {lit.language: str(lit) for lit in graph.objects(node, SKOS.prefLabel) if isinstance(lit, Literal)}
        functions = {str(f) for f in graph.objects(node, URIRef(MG_NS + "function"))}
        groups = {str(g) for f in functions for g in graph.objects(URIRef(f), SKOS.broader)}
        slug = module[len(prefix):]
        result.append(NationalModule(
            iri=module, slug=slug, werksoort=slug.split("/", 1)[0],
            title_nl=titles.get("nl", slug), title_en=titles.get("en", titles.get("nl", slug)),
            access=bool(groups & access_groups), group=bool(functions & group_functions),
            template="".join(lines), triples=len(lines), local_kinds=tuple(sorted(kinds)),
            inferred_template="".join(inferred_lines), inferred_triples=len(inferred_lines),
        ))
    return result


def _by_module(graph: Graph, modules: list[str]) -> dict[str, list[tuple]]:
    """The triples of ``graph`` whose subject is one of ``modules`` or an IRI below it, per module."""
    prefix = BASE + "module/"
    known = set(modules)
    triples: dict[str, list[tuple]] = {m: [] for m in modules}
    for s, p, o in graph:
        if not isinstance(s, URIRef) or not str(s).startswith(prefix):
            continue
        owner = prefix + "/".join(str(s)[len(prefix):].split("/")[:2])
        if owner in known:
            triples[owner].append((s, p, o))
    return triples


def _template(module: str, triples: list[tuple], *, skip_own: set[str] = frozenset(),
              local_kinds: set[str] | None = None) -> tuple[list[str], set[str]]:
    """N-Triples lines for ``triples`` of ``module`` with the variant's IRI and place left open.

    The module's IRI and those below it become the variant's (as subjects and as objects: a pathway
    that leads back to the module leads back to the variant). An organisation of a kind in
    LOCAL_PARTNER_KINDS becomes the local one (for inferred triples only the kinds the module itself
    names, ``local_kinds``: one reached through another module stays national). Every other IRI
    stays national: concepts, roles, werksoorten and the other modules.
    """
    lines, kinds = [], set()
    for s, p, o in triples:
        if str(s) == module and str(p) in skip_own:
            continue
        if isinstance(o, BNode) or isinstance(s, BNode):
            raise InputError("a blank node in a module's triples: variants copy only IRIs and literals",
                             f"<{shown(module)}>")
        subject = _iri(MARK_VARIANT + str(s)[len(module):])
        text = str(o)
        kind = text[len(BASE + "organisation/"):] if text.startswith(BASE + "organisation/") else None
        if isinstance(o, URIRef) and (text == module or text.startswith(module + "/")):
            obj = _iri(MARK_VARIANT + text[len(module):])
        elif isinstance(o, URIRef) and kind in LOCAL_PARTNER_KINDS and (local_kinds is None or kind in local_kinds):
            kinds.add(kind)
            obj = _iri(f"{o}/{MARK_PLACE}")
        else:
            obj = _term(o)
        lines.append(_line(subject, _iri(str(p)), obj))
    lines.sort()
    return lines, kinds


# ---------------------------------------------------------------- planning (all randomness is here)

def plan_providers(modules: list[NationalModule], count: int, seed: int) -> list[Provider]:
    """``count`` providers: AMW institutions (about 65 %) and BMW providers, each with its variants.

    Each provider draws from its own ``random.Random(f"{seed}:{ident}")``; only the names, which
    must be unique, depend on the providers before it.
    """
    by_werksoort: dict[str, list[NationalModule]] = {}
    for module in modules:
        by_werksoort.setdefault(module.werksoort, []).append(module)
    werksoorten = [w for w in ("amw", "bmw") if w in by_werksoort] or sorted(by_werksoort)
    quotas = _quotas(count, werksoorten)
    providers: list[Provider] = []
    names: set[str] = set()
    for werksoort in werksoorten:
        width = max(4, len(str(quotas[werksoort])))
        for number in range(1, quotas[werksoort] + 1):
            ident = f"{werksoort}-{number:0{width}d}"
            rng = random.Random(f"{seed}:{ident}")
            providers.append(_provider(rng, ident, werksoort, by_werksoort[werksoort], names))
    return providers


def _quotas(count: int, werksoorten: list[str]) -> dict[str, int]:
    if werksoorten == ["amw", "bmw"]:
        bmw = min(count - 1, max(1, round(count * (1 - AMW_SHARE)))) if count > 1 else 0
        return {"amw": count - bmw, "bmw": bmw}
    share, rest = divmod(count, len(werksoorten))
    return {w: share + (1 if i < rest else 0) for i, w in enumerate(werksoorten)}


def _provider(rng: random.Random, ident: str, werksoort: str, modules: list[NationalModule],
              names: set[str]) -> Provider:
    municipality = rng.choices(MUNICIPALITIES, weights=[m[3] for m in MUNICIPALITIES])[0]
    same_province = [m for m in MUNICIPALITIES if m[2] == municipality[2] and m != municipality]
    extra = rng.sample(same_province, k=min(len(same_province), rng.choice((0, 0, 1, 1, 2))))
    area = [municipality] + sorted(extra)
    name = _name(rng, werksoort, municipality[1], names)
    first = datetime.date(2021, 1, 1) + datetime.timedelta(days=rng.randrange(3 * 365))
    releases = [first]
    for _ in range(rng.choices((0, 1, 2), weights=(3, 4, 3))[0]):
        releases.append(releases[-1] + datetime.timedelta(days=rng.randrange(120, 400)))
    provider = Provider(ident=ident, werksoort=werksoort, name=name, municipality=municipality, area=area,
                        releases=releases)
    offered = rng.uniform(0.45, 0.95)       # how broad this provider's offer is
    base_wait = rng.triangular(0, 56, 14)   # its usual waiting time in days
    for module in modules:
        if not module.access and rng.random() >= offered:
            continue
        release = 1 if len(releases) == 1 or rng.random() < 0.75 else rng.randint(2, len(releases))
        if module.access:
            wait = rng.randint(0, 7)
        elif module.group:
            wait = round(base_wait * rng.uniform(0.5, 1.0)) + rng.randint(0, 42)  # until the next group starts
        else:
            wait = round(base_wait * rng.uniform(0.6, 1.4))
        provider.variants.append(Variant(module=module, release=release, waiting_days=wait))
    return provider


def _name(rng: random.Random, werksoort: str, city: str, taken: set[str]) -> str:
    form = rng.choice(_AMW_FORMS if werksoort == "amw" else _BMW_FORMS)
    word = rng.choice(_WORD_HEADS) + rng.choice(_WORD_TAILS)
    candidates = [form.format(place=city, word=word),
                  form.format(place=f"{city} {rng.choice(_DISTRICTS)}", word=f"{word} {city}")]
    for candidate in candidates:
        if candidate not in taken:
            taken.add(candidate)
            return candidate
    number = 2
    while f"{candidates[-1]} {number}" in taken:
        number += 1
    taken.add(f"{candidates[-1]} {number}")
    return f"{candidates[-1]} {number}"


# ---------------------------------------------------------------- the triples

def provider_text(provider: Provider) -> tuple[str, int]:
    """The N-Triples of one provider (itself, its releases, its variants) and their number."""
    out: list[str] = []
    count = 0
    p = _iri(provider.iri)
    place = provider.municipality[0].lower()
    add = out.append
    add(_line(p, _iri(_RDF_TYPE), _iri(_SCHEMA + "Organization")))
    add(_line(p, _iri(_SKOS_PREFLABEL), _literal(provider.name, lang="nl")))
    add(_line(p, _iri(_DCTERMS + "identifier"), _literal(provider.ident)))
    add(_line(p, _iri(_DCTERMS + "type"), _iri(f"{BASE}werksoort/{provider.werksoort}")))
    add(_line(p, _iri(_SCHEMA + "location"), _iri(municipality_iri(provider.municipality[0]))))
    kinds = sorted({kind for v in provider.variants for kind in v.module.local_kinds})
    for kind in kinds:
        add(_line(p, _iri(_ORG + "linkedTo"), _iri(local_partner_iri(kind, provider.municipality[0]))))
    for number, issued in enumerate(provider.releases, start=1):
        release = _iri(f"{provider.iri}/release/{number}")
        add(_line(release, _iri(_RDF_TYPE), _iri(_DCAT + "Dataset")))
        add(_line(release, _iri(_DCTERMS + "title"),
                  _literal(f"Modulen van {provider.name}, release {number}", lang="nl")))
        add(_line(release, _iri(_DCTERMS + "publisher"), p))
        add(_line(release, _iri(_DCTERMS + "issued"), _literal(issued.isoformat(), datatype=_XSD_DATE)))
        add(_line(release, _iri(_DCAT + "version"), _literal(str(number))))
        if number > 1:
            add(_line(release, _iri(_DCAT + "previousVersion"), _iri(f"{provider.iri}/release/{number - 1}")))
        for variant in provider.variants:
            if variant.release <= number:
                add(_line(release, _iri(_DCTERMS + "hasPart"), _iri(variant_iri(provider, variant.module))))
    count += len(out)
    area = [_iri(municipality_iri(m[0])) for m in provider.area]
    for variant in provider.variants:
        module = variant.module
        iri = variant_iri(provider, module)
        v = _iri(iri)
        own = [
            _line(v, _iri(_SKOS_PREFLABEL), _literal(f"{module.title_nl} ({provider.name})", lang="nl")),
            _line(v, _iri(_SKOS_PREFLABEL), _literal(f"{module.title_en} ({provider.name})", lang="en")),
            _line(v, _iri(_DCTERMS + "identifier"), _literal(iri[len(BASE):])),
            _line(v, _iri(_PROV + "wasDerivedFrom"), _iri(module.iri)),
            _line(v, _iri(_SCHEMA + "provider"), p),
            _line(v, _iri(MG_NS + "waitingDays"), _literal(str(variant.waiting_days), datatype=_XSD_INTEGER)),
            _line(v, _iri(_DCTERMS + "issued"),
                  _literal(provider.releases[variant.release - 1].isoformat(), datatype=_XSD_DATE)),
        ]
        own.extend(_line(v, _iri(_SCHEMA + "areaServed"), a) for a in area)
        out.extend(own)
        out.append(module.template.replace(MARK_VARIANT, iri).replace(MARK_PLACE, place))
        count += len(own) + module.triples
    return "".join(out), count


def provider_inferred_text(provider: Provider) -> tuple[str, int]:
    """The inferred triples of one provider's variants: what the reasoner concludes about each national
    module, carried over to the variant (its defined classes, super-properties, the pathways its
    relations open), with the local partners it names. Not added: the triples full OWL reasoning would
    also put on the national modules through inverse relations (the national Intake 'can be followed
    by' every provider's variant), which chain every provider's variants to each other."""
    place = provider.municipality[0].lower()
    parts = [v.module.inferred_template.replace(MARK_VARIANT, variant_iri(provider, v.module)).replace(MARK_PLACE, place)
             for v in provider.variants]
    return "".join(parts), sum(v.module.inferred_triples for v in provider.variants)


def municipalities_text(codes: Iterable[str]) -> tuple[str, int]:
    """The N-Triples of the municipalities ``codes`` and of the local partner organisations there."""
    by_code = {m[0]: m for m in MUNICIPALITIES}
    out: list[str] = []
    for code in sorted(set(codes)):
        _, city, _, _ = by_code[code]
        m = _iri(municipality_iri(code))
        out.append(_line(m, _iri(_RDF_TYPE), _iri(_SCHEMA + "AdministrativeArea")))
        out.append(_line(m, _iri(_SKOS_PREFLABEL), _literal(city, lang="nl")))
        out.append(_line(m, _iri(_DCTERMS + "identifier"), _literal(code)))
        out.append(_line(m, _iri(PREFIXES["rdfs"] + "seeAlso"), _iri(TOOI_GEMEENTE + code.lower())))
        for kind, (nl, en) in LOCAL_PARTNER_KINDS.items():
            o = _iri(local_partner_iri(kind, code))
            out.append(_line(o, _iri(_RDF_TYPE), _iri(MG_NS + "Organisation")))
            out.append(_line(o, _iri(_SKOS_PREFLABEL), _literal(nl.format(city=city), lang="nl")))
            out.append(_line(o, _iri(_SKOS_PREFLABEL), _literal(en.format(city=city), lang="en")))
            out.append(_line(o, _iri(_DCTERMS + "type"), _iri(f"{BASE}organisation/{kind}")))
            out.append(_line(o, _iri(_SCHEMA + "location"), m))
    return "".join(out), len(out)


def variant_iri(provider: Provider, module: NationalModule) -> str:
    """``.../provider/amw-0001/module/amw/intake``."""
    return f"{provider.iri}/module/{module.slug}"


def municipality_iri(code: str) -> str:
    """``.../municipality/gm0363`` for CBS code GM0363."""
    return f"{BASE}municipality/{code.lower()}"


def local_partner_iri(kind: str, code: str) -> str:
    """``.../organisation/uwv/gm0363``: the local instance of the national partner ``organisation/uwv``."""
    return f"{BASE}organisation/{kind}/{code.lower()}"


def inferred_triples(root, asserted: Graph) -> Graph:
    """The reasoner's triples for the catalogue at ``root``, whose asserted triples are ``asserted``.

    From the inferred file when it is current, else reasoned in memory (as for queries).
    """
    from modgraph.inferred import load_for_queries

    return load_for_queries(root).graph - asserted


# ---------------------------------------------------------------- arguments

def parse_count(value: str) -> int:
    """The ``--providers`` value as a whole number from 1 to MAX_PROVIDERS; else an InputError."""
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InputError(f"'{shown(str(value))}' is not a whole number of providers", "--providers") from None
    if not 1 <= number <= MAX_PROVIDERS:
        raise InputError(f"{number} providers: give a number from 1 to {MAX_PROVIDERS:,}", "--providers")
    return number


def parse_seed(value: str) -> int:
    """The ``--seed`` value as a whole number; else an InputError."""
    try:
        return int(str(value).strip())
    except ValueError:
        raise InputError(f"'{shown(str(value))}' is not a whole number", "--seed") from None


# ---------------------------------------------------------------- writing

class Progress:
    """A one-line progress bar on stderr; silent when ``enabled`` is false."""

    def __init__(self, total: int, enabled: bool, stream=None) -> None:
        self.total, self.enabled = total, enabled
        self.stream = stream or sys.stderr
        self.start = self.last = time.monotonic()

    def update(self, done: int, triples: int, *, final: bool = False) -> None:
        """Show ``done`` of the providers and ``triples`` so far (at most five times a second; always when ``final``)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if not final and now - self.last < 0.2:
            return
        self.last = now
        width = 30
        filled = width * done // max(self.total, 1)
        elapsed = now - self.start
        eta = elapsed / done * (self.total - done) if done else 0.0
        self.stream.write(f"\rsynth [{'#' * filled}{'.' * (width - filled)}] {done}/{self.total} providers, "
                          f"{triples:,} triples, {elapsed:.0f} s" + (f", {eta:.0f} s left " if not final else "   "))
        if final:
            self.stream.write("\n")
        self.stream.flush()


def check_out(out: Path, force: bool) -> None:
    """Refuse an ``--out`` that is a file, or a folder with content (unless ``force`` and it is a synth output)."""
    if not os.path.lexists(out):
        ancestor = out.absolute().parent
        while not os.path.lexists(ancestor):
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise InputError(f"cannot create it: {ancestor} is not a folder", f"--out {out}")
        if not os.access(ancestor, os.W_OK | os.X_OK):
            raise InputError(f"cannot create it: no permission to write in {ancestor}", f"--out {out}")
        return
    if not out.is_dir():
        raise InputError("exists and is not a folder", f"--out {out}")
    try:
        entries = os.listdir(out)
    except OSError as exc:
        raise InputError(f"cannot read this folder: {exc.strerror}", f"--out {out}") from None
    if not entries:
        return
    if not force:
        raise InputError("the folder is not empty: pass --force to replace an earlier synth output", f"--out {out}")
    if not _is_synth_output(out):
        raise InputError(f"the folder is not empty and holds no {MANIFEST} written by `{GENERATOR}`: "
                         "refusing to replace it, even with --force", f"--out {out}")


def _is_synth_output(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("generator") == GENERATOR


_TEMP = re.compile(r"^\.(?P<name>.+)\.synth-(?P<pid>\d+)\.(?:tmp|old)$")


def _remove_stale(parent: Path, name: str) -> None:
    """Remove ``.NAME.synth-PID.tmp`` folders left by a synth process that was killed."""
    try:
        entries = os.listdir(parent)
    except OSError:
        return
    for entry in entries:
        match = _TEMP.match(entry)
        if not match or match.group("name") != name or int(match.group("pid")) == os.getpid():
            continue
        try:
            os.kill(int(match.group("pid")), 0)
        except ProcessLookupError:
            shutil.rmtree(parent / entry, ignore_errors=True)
        except OSError:
            pass


def _write_file(path: Path, text: str) -> str:
    """Write ``text`` to the new file ``path``, flushed to disk; return its SHA-256."""
    data = text.encode("utf-8")
    with open(path, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    return hashlib.sha256(data).hexdigest()


def synthesise(graph: Graph, count: int, seed: int, out: Path, *, inferred: Graph | None = None,
               force: bool = False, progress: Callable[[int, int], None] | None = None, source: str = "") -> Summary:
    """Generate ``count`` providers' variants of the modules in ``graph`` into the folder ``out``.

    With ``inferred`` (the reasoner's triples for ``graph``), each provider also gets
    ``inferred/ID.nt`` (see :func:`provider_inferred_text`). ``out`` must not exist, or be empty, or
    (with ``force``) hold an earlier synth output, which is replaced. ``progress(done, triples)`` is
    called after each provider. Nothing is left half written: the files go to a temporary sibling
    folder that replaces ``out`` only when complete.
    """
    out = Path(out)
    check_out(out, force)
    modules = national_modules(graph, inferred)
    providers = plan_providers(modules, count, seed)
    parent = out.parent if str(out.parent) else Path(".")
    temp = parent / f".{out.name}.synth-{os.getpid()}.tmp"
    old = parent / f".{out.name}.synth-{os.getpid()}.old"
    try:
        parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(parent, out.name)
        shutil.rmtree(temp, ignore_errors=True)
        (temp / PROVIDERS_DIR).mkdir(parents=True)
        if inferred is not None:
            (temp / INFERRED_DIR).mkdir()
        files, total, variants, entailed = [], 0, 0, 0
        for done, provider in enumerate(providers, start=1):
            text, triples = provider_text(provider)
            relative = f"{PROVIDERS_DIR}/{provider.ident}.nt"
            digest = _write_file(temp / relative, text)
            files.append({"path": relative, "provider": provider.iri, "name": provider.name,
                          "werksoort": provider.werksoort, "municipality": provider.municipality[0],
                          "variants": len(provider.variants), "triples": triples, "sha256": digest})
            total += triples
            variants += len(provider.variants)
            if inferred is not None:
                text, triples = provider_inferred_text(provider)
                relative = f"{INFERRED_DIR}/{provider.ident}.nt"
                files.append({"path": relative, "provider": provider.iri, "inferred": True, "triples": triples,
                              "sha256": _write_file(temp / relative, text)})
                entailed += triples
            if progress:
                progress(done, total + entailed)
        text, triples = municipalities_text(m[0] for p in providers for m in p.area)
        digest = _write_file(temp / MUNICIPALITIES_FILE, text)
        files.append({"path": MUNICIPALITIES_FILE, "triples": triples, "sha256": digest})
        total += triples
        manifest = {
            "generator": GENERATOR, "modgraph_version": __version__, "seed": seed, "providers": count,
            "providers_per_werksoort": {w: sum(1 for p in providers if p.werksoort == w)
                                        for w in sorted({p.werksoort for p in providers})},
            "variants": variants, "triples": total + entailed, "asserted_triples": total,
            "inferred_triples": entailed if inferred is not None else None, "format": "application/n-triples",
            "catalogue": {"source": source, "modules": len(modules),
                          "sha256": hashlib.sha256("".join(m.template + m.inferred_template for m in modules)
                                                    .encode("utf-8")).hexdigest()},
            "files": files,
        }
        _write_file(temp / MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
        if os.path.lexists(out):
            check_out(out, force)  # still refusable: it may have changed while we wrote
            os.rename(out, old)
        os.rename(temp, out)
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}; nothing was written", f"--out {out}") from None
    finally:
        shutil.rmtree(temp, ignore_errors=True)
        if os.path.lexists(old) and not os.path.lexists(out):
            os.rename(old, out)  # the new folder could not take its place: put the old one back
    return Summary(out=out, providers=count, triples=total + entailed, files=len(files), variants=variants,
                   inferred=entailed if inferred is not None else None)
