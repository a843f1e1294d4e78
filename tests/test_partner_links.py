"""Partner links follow the documents' words (issue 14, section 1).

Both directions, for every module:

- every partner link (each sub-property of mg:involves, mg:leadsTo to a partner, and mg:concernsPartner
  on a precondition) has its words in the module's text: one of the partner's labels (skos:prefLabel,
  skos:altLabel, skos:hiddenLabel, nl) occurs in the module's section texts, items or quotes;
- wherever a partner's label occurs in a module's text, the module links that partner, unless the
  occurrence is the module's own professional (a role that practises the module's werksoort, such as
  the BMWer in a BMW module), the person the module is for (its dcterms:audience has the same label),
  or is listed in ALLOWED below with the reason it is not partner involvement.

Labels match as whole words, case-insensitively, with a Dutch plural ending (collega -> collega’s,
leidinggevende -> leidinggevenden); '(...)' in a label is optional ('(gespecialiseerde) hulpverlening');
an occurrence inside a longer label's occurrence counts for the longer label only ('collega' in
'collega-instelling'); and a Dutch elliptic compound is read in full ('bedrijfs- en
verzekeringsartsen' names bedrijfsartsen).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from modgraph.catalogue import load
from modgraph.namespaces import BASE, MG
from modgraph.paths import CatalogueRoot

ROOT = Path(__file__).resolve().parents[1]
SECTION_TEXTS = [MG.targetGroupText, MG.workRelevanceText, MG.durationText, MG.settingText,
                 MG.workingMethodText, MG.additionalInformationText, MG.preconditionsText]
LABELS = [SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel]
PLURAL = r"(?:s|en|n|’s|'s|’en)?"

# Occurrences of a partner's words that are not partner involvement: (module, partner, the phrase as
# printed, which contains the occurrence) -> why. Every entry must still match (no stale entries).
ALLOWED = {
    # The module's own help ('hulpverlening' is a label of the help a client is referred to).
    ("amw/intake", "organisation/hulpverleningsinstelling",
     "De cliënt is gemotiveerd voor de hulpverlening"): "motivation for the AMW's own help",
    ("amw/intake", "organisation/hulpverleningsinstelling",
     "verwachtingen ten aanzien van hulpverlening"): "a topic of the information gathering: the client's expectations of help",
    ("amw/inventarisatie-schulden", "organisation/hulpverleningsinstelling",
     "Procesmatige hulpverlening, leren budgetteren e.d. worden pas gestart"): "the AMW's own later help, not a referral",
    ("amw/praktische-en-materiele-begeleiding", "organisation/hulpverleningsinstelling",
     "naarmate de hulpverlening vordert"): "the module's own help in progress",
    ("amw/stabiliserende-begeleiding", "organisation/hulpverleningsinstelling",
     "functioneren zonder hulpverlening"): "the goal is to function without help",
    ("amw/wachttijdbegeleiding", "organisation/hulpverleningsinstelling",
     "de mogelijkheid hebben om de hulpverlening te starten"): "starting the AMW's own help early, not a referral",
    ("amw/bemiddeling-en-belangenbehartiging", "organisation/hulpverleningsinstelling",
     "besluiten of aanvullende hulpverlening nodig is"): "deciding whether more help is needed; no referral is stated",
    ("amw/bemiddeling-en-belangenbehartiging", "organisation/hulpverleningsinstelling",
     "gemotiveerd voor eventuele individuele vervolghulpverlening"): "motivation for follow-up help, which may be the AMW's own individual module; no referral is stated",
    ("bmw/bemiddeling-conflictbegeleiding", "organisation/hulpverleningsinstelling",
     "besluiten of aanvullende hulpverlening nodig is"): "deciding whether more help is needed; no referral is stated",
    ("bmw/individuele-begeleiding-bij-veranderingen-in-de-werksituatie", "organisation/hulpverleningsinstelling",
     "zonodig met hulpverlening in de privésituatie"): "help outside work is mentioned as a condition of the goal, not referred to or arranged",
    # Knowledge of the social map is a precondition about information, not involvement of the providers.
    ("amw/informatie-en-advies", "organisation/collega-instelling",
     "informatie over bereikbaarheid van andere hulp- en dienstverleners"): "knowledge of the social map (sociale kaart)",
    ("bmw/informatie-en-advies-bmw", "organisation/collega-instelling",
     "informatie over bereikbaarheid van hulp- en dienstverleners"): "knowledge of the social map (sociale kaart)",
    ("amw/inventarisatie-schulden", "organisation/collega-instelling",
     "in de eigen instelling"): "the AMW institution itself, not another one",
    # Topics and places, not parties the module involves.
    ("amw/intake", "role/collega", "de relatie met collega’s en leidinggevende"):
        "the relationship with colleagues is a topic of the information gathering",
    ("amw/vraagverheldering", "role/collega", "de relatie met collega’s en leidinggevende"):
        "the relationship with colleagues is a topic of the information gathering",
    ("bmw/reintegratiebegeleiding", "organisation/werkgever", "binnen het eigen of een ander bedrijf"):
        "where work is resumed (own or another company), not an involvement of the employer in the module",
}


def iri(slug: str) -> URIRef:
    return URIRef(BASE + slug)


def short(term) -> str:
    return str(term).removeprefix(BASE).removeprefix("module/")


@pytest.fixture(scope="module")
def graph() -> Graph:
    return load(CatalogueRoot(ROOT)).graph


# ------------------------------------------------------------------ reading a module's text

def label_forms(label: str) -> set[str]:
    """'(gespecialiseerde) hulpverlening' -> {'gespecialiseerde hulpverlening', 'hulpverlening'}."""
    forms = {label}
    for match in re.finditer(r"\(([^)]*)\)", label):
        with_part = label.replace(match.group(0), match.group(1))
        without = label.replace(match.group(0), "")
        forms |= {with_part, without}
    return {re.sub(r"\s+", " ", f).strip() for f in forms if f.strip()}


def elliptic(text: str) -> list[str]:
    """The full words of Dutch elliptic compounds: 'bedrijfs- en verzekeringsartsen' -> 'bedrijfsartsen', ..."""
    out = []
    for match in re.finditer(r"(\w+)- (?:en|of) (\w+)", text):
        head, word = match.group(1), match.group(2)
        out += [head + word[k:] for k in range(1, len(word))]
    return out


def partner_labels(graph: Graph) -> dict[URIRef, set[str]]:
    partners = set(graph.subjects(RDF.type, MG.Organisation)) | set(graph.subjects(RDF.type, MG.Role))
    out = {}
    for partner in partners:
        forms = set()
        for prop in LABELS:
            for label in graph.objects(partner, prop):
                if isinstance(label, Literal) and label.language == "nl":
                    forms |= label_forms(str(label))
        out[partner] = forms
    return out


@lru_cache(maxsize=None)
def _pattern(form: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(form) + PLURAL + r"(?![\w-])", re.IGNORECASE)


def occurrences(text: str, labels: dict[URIRef, set[str]]) -> list[tuple[int, int, URIRef]]:
    """(start, end, partner) of every label occurrence that is not inside a longer one."""
    hits = [(m.start(), m.end(), partner) for partner, forms in labels.items() for form in forms
            for m in _pattern(form).finditer(text)]
    return [h for h in hits
            if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0]) for o in hits)]


def module_texts(graph: Graph, module) -> list[str]:
    """Section texts and item descriptions (goals, activities, preconditions) of the module."""
    texts = [str(t) for p in SECTION_TEXTS for t in graph.objects(module, p)]
    for prop in (MG.hasGoal, MG.hasActivity, MG.hasPrecondition):
        for item in graph.objects(module, prop):
            texts += [str(t) for t in graph.objects(item, DCTERMS.description)]
    return texts


def quotes(graph: Graph, module) -> list[str]:
    return [str(q) for st in graph.subjects(RDF.subject, module) for q in graph.objects(st, MG.quote)]


def link_properties(graph: Graph) -> set[URIRef]:
    return set(graph.transitive_subjects(RDFS.subPropertyOf, MG.involves)) | {MG.leadsTo}


def linked_partners(graph: Graph, module, labels) -> dict[URIRef, set[str]]:
    """Partner -> the relations by which the module links it (module triples and its preconditions)."""
    out: dict[URIRef, set[str]] = {}
    properties = link_properties(graph)
    for prop, partner in graph.predicate_objects(module):
        if prop in properties and partner in labels:
            out.setdefault(partner, set()).add(short(prop).split("#")[-1])
    for item in graph.objects(module, MG.hasPrecondition):
        for partner in graph.objects(item, MG.concernsPartner):
            out.setdefault(partner, set()).add("concernsPartner")
    return out


def modules(graph: Graph) -> list:
    return sorted(graph.subjects(RDF.type, MG.Module))


# ------------------------------------------------------------------ the two checks

def links_without_words(graph: Graph) -> list[str]:
    """Partner links whose partner's labels do not occur in the module's text."""
    labels = partner_labels(graph)
    problems = []
    for module in modules(graph):
        texts = module_texts(graph, module) + quotes(graph, module)
        texts += [w for t in texts for w in elliptic(t)]
        named = {partner for t in texts for _, _, partner in occurrences(t, labels)}
        for partner, how in sorted(linked_partners(graph, module, labels).items()):
            if partner not in named:
                problems.append(f"{short(module)} {sorted(how)} {short(partner)}: none of {sorted(labels[partner])} "
                                "occurs in the module's text")
    return problems


def own_professional(graph: Graph, module, partner) -> bool:
    """A role that practises the module's own werksoort (the BMWer in a BMW module) is not a partner."""
    return (partner, MG.practises, graph.value(module, MG.werksoort)) in graph


def module_is_for(graph: Graph, module, partner, labels) -> bool:
    """The partner's label is the label of one of the module's target audiences (dcterms:audience)."""
    audience = {str(label).lower() for concept in graph.objects(module, DCTERMS.audience)
                for prop in LABELS for label in graph.objects(concept, prop)}
    return bool(audience & {form.lower() for form in labels[partner]})


def words_without_links(graph: Graph, allowed: dict = ALLOWED) -> tuple[list[str], set]:
    """Occurrences of a partner's labels in a module's text without a link; and the allow-list entries used."""
    labels = partner_labels(graph)
    problems, used = [], set()
    for module in modules(graph):
        linked = linked_partners(graph, module, labels)
        texts = module_texts(graph, module)
        seen = set()
        for text in texts + [w for t in texts for w in elliptic(t)]:
            for start, end, partner in occurrences(text, labels):
                if partner in linked or own_professional(graph, module, partner) \
                        or module_is_for(graph, module, partner, labels):
                    continue
                word = text[start:end]
                keys = [k for k in allowed if k[0] == short(module) and k[1] == short(partner)
                        and k[2] in text and word in k[2]
                        and text.index(k[2]) <= start and end <= text.index(k[2]) + len(k[2])]
                if keys:
                    used.update(keys)
                    continue
                context = text[max(0, start - 40):end + 40].replace("\n", " ")
                if (short(module), short(partner), context) not in seen:
                    seen.add((short(module), short(partner), context))
                    problems.append(f"{short(module)}: '{word}' ({short(partner)}) is not linked: ...{context}...")
    return problems, used


# ------------------------------------------------------------------ tests on the catalogue

def test_every_partner_link_has_its_words_in_the_module_text(graph):
    problems = links_without_words(graph)
    assert not problems, "\n".join(problems)


def test_every_partner_named_in_a_module_text_is_linked(graph):
    problems, _ = words_without_links(graph)
    assert not problems, "\n".join(problems)


def test_every_allowed_occurrence_is_still_in_the_text(graph):
    _, used = words_without_links(graph)
    stale = sorted(set(ALLOWED) - used)
    assert not stale, f"allow-list entries that match nothing (remove them): {stale}"


# ------------------------------------------------------------------ the checks catch the defects

def _changed(graph: Graph, add=(), remove=()) -> Graph:
    copy = Graph()
    for triple in graph:
        copy.add(triple)
    for triple in remove:
        assert triple in copy, triple
        copy.remove(triple)
    for triple in add:
        copy.add(triple)
    return copy


def test_a_link_without_its_words_is_found(graph):
    # AMW Intake names the UWV nowhere.
    broken = _changed(graph, add=[(iri("module/amw/intake"), MG.refersTo, iri("organisation/uwv"))])
    assert any(p.startswith("amw/intake ['refersTo'] organisation/uwv") for p in links_without_words(broken))


def test_a_dropped_unnamed_party_is_found(graph):
    # AMW p. 9: "Zonodig telefonische raadpleging van huisarts, ouders, andere hulpverlener(s) en/of andere
    # betrokkenen." - without the link for 'andere hulpverlener(s)' the words are unaccounted for.
    module = iri("module/amw/intake")
    partner = iri("organisation/collega-instelling")
    broken = _changed(graph, remove=[(module, MG.consults, partner), (module, MG.refersTo, partner)])
    problems, _ = words_without_links(broken)
    assert any("'andere hulpverlener" in p and "amw/intake" in p for p in problems), problems
    assert any("andere werksoort/discipline" in p and "amw/intake" in p for p in problems), problems


def test_a_phrase_applied_unevenly_is_found(graph):
    # BMW p. 18: "Individueel, team, eventueel met andere naastbetrokkenen binnen de arbeidsorganisatie."
    module = iri("module/bmw/onderzoek-en-rapportage-voor-een-team")
    broken = _changed(graph, remove=[(module, MG.mentionsPartner, iri("organisation/werkgever"))])
    problems, _ = words_without_links(broken)
    assert any("'arbeidsorganisatie'" in p for p in problems), problems


def test_own_professional_and_audience_are_not_partners(graph):
    labels = partner_labels(graph)
    # BMW p. 7: "Doorgaans op kantoor van de BMWer ..." - the BMWer delivers the BMW module.
    assert own_professional(graph, iri("module/bmw/intake-bmw"), iri("role/bmwer"))
    assert not own_professional(graph, iri("module/amw/intake"), iri("role/bmwer"))
    # BMW p. 16: "Leidinggevenden die hun competenties wat betreft het begeleiden van medewerkers willen vergroten."
    assert module_is_for(graph, iri("module/bmw/coachen-van-leidinggevenden"), iri("role/leidinggevende"), labels)
    assert not module_is_for(graph, iri("module/bmw/intake-bmw"), iri("role/leidinggevende"), labels)


def test_label_reading():
    assert label_forms("(gespecialiseerde) hulpverlening") == {
        "(gespecialiseerde) hulpverlening", "gespecialiseerde hulpverlening", "hulpverlening"}
    assert "bedrijfsartsen" in elliptic("de communicatie van bedrijfs- en verzekeringsartsen met behandelaars")
    labels = {iri("role/collega"): {"collega"}, iri("organisation/collega-instelling"): {"collega-instelling"}}
    # 'collega' inside 'collega-instelling' is not the role.
    assert [p for _, _, p in occurrences("naar een collega-instelling", labels)] == [iri("organisation/collega-instelling")]
    assert [p for _, _, p in occurrences("de relatie met collega’s", labels)] == [iri("role/collega")]
    # Whole words only: 'bedrijf' is not in 'bedrijfsarts'.
    assert occurrences("de bedrijfsarts", {iri("organisation/werkgever"): {"bedrijf"}}) == []
