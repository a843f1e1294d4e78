"""The sections of the werksoort comparison report, each built from named queries only.

Each function takes a :class:`Runner` and returns a :class:`Section`; every table and chart is
followed by the query (or queries) behind it and the command that reruns it.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape

from modgraph.report import charts
from modgraph.report.page import Section, figure, inline, items, source_note, table, tag
from modgraph.report.runs import Runner

WERKSOORTEN = ["AMW", "BMW"]
OVERLAP_MIN_SCORE = 5  # the overlap query's own default, written out so the command shows it
OVERLAP_SHOWN = 15  # pairs shown before the rest folds away
MAPPINGS = {
    "skos:exactMatch": "dezelfde functie (skos:exactMatch)",
    "skos:closeMatch": "vergelijkbaar, niet gelijk (skos:closeMatch)",
    "skos:narrowMatch": "BMW-functie omvat de AMW-functies (skos:narrowMatch)",
    "skos:broadMatch": "AMW-functie is breder (skos:broadMatch)",
}


def _count(number: int, one: str, more: str) -> str:
    return f"{number} {one if number == 1 else more}"


def _counted(count, modules: list[str]) -> str:
    """The number of modules above their list; 'geen modulen' alone when there are none."""
    return f"{count}" + items(modules) if modules else items(modules, empty="geen modulen")


def _split(value, sep: str = " | ") -> list[str]:
    return sorted(v for v in str(value or "").split(sep) if v)


def functions(runner: Runner) -> Section:
    """Per function the AMW and BMW modules side by side; the functions found in one werksoort only."""
    comparison = runner.run("werksoort-comparison")
    rows = []
    for row in comparison.rows:
        mapping = row.get("mapping")
        rows.append([
            escape(row.get("bmwFunctionLabel") or "") or '<span class="empty">geen BMW-functie</span>',
            escape(MAPPINGS.get(mapping, "")) if mapping else '<span class="empty">geen tegenhanger</span>',
            escape(row.get("amwFunctionLabels") or "") or '<span class="empty">geen AMW-functie</span>',
            _counted(row.get("bmwModuleCount"), _split(row.get("bmwModules"))),
            _counted(row.get("amwModuleCount"), _split(row.get("amwModules"))),
        ])
    comparison_table = table(["BMW-functie", "Crosswalk", "AMW-functie(s)", "BMW-modulen", "AMW-modulen"], rows,
                             name="werksoort-comparison")
    one = runner.run("functions-in-one-werksoort")
    one_rows = [[tag(r["werksoortLabel"]), escape(r["functionLabel"]), str(r["functionNumber"]),
                 "geen functie met deze naam" if r["criterion"] == "naam" else "geen koppeling in de crosswalk",
                 str(r["modules"]), escape(r.get("crosswalkMatches") or "") or '<span class="empty">—</span>']
                for r in sorted(one.rows, key=lambda r: (r["criterion"] != "crosswalk", r["werksoortLabel"],
                                                         r["functionNumber"]))]
    one_table = table(["Werksoort", "Functie", "Nr.", "Alleen in deze werksoort: ", "Modulen",
                       "Wel tegenhanger onder andere naam"], one_rows, name="functions-in-one-werksoort",
                      numeric={2, 4})
    return Section("functies", "Functies: AMW en BMW naast elkaar",
                   "Beide documenten ordenen hun modulen naar functie. De crosswalk koppelt de BMW-functies aan "
                   "de AMW-functies; per functie staan hieronder de modulen van beide werksoorten naast elkaar.",
                   [comparison_table, source_note(comparison),
                    "<h3>Functies die maar in één werksoort voorkomen</h3>",
                    '<p class="note">Zonder koppeling in de crosswalk is een functie echt eigen aan één '
                    "werksoort; op naam alleen kan ze onder een andere naam toch een tegenhanger hebben.</p>",
                    one_table, source_note(one)])


def overlap(runner: Runner) -> Section:
    """The ranked AMW-BMW overlap pairs with what they share; the modules in no pair."""
    pairs = runner.run("overlap", minScore=str(OVERLAP_MIN_SCORE))
    rows = []
    for rank, row in enumerate(pairs.rows, 1):
        shared = "".join(f'<span class="chip">{escape(s)}</span>' for s in _split(row["shared"]))
        rows.append([str(rank), escape(row["amwTitle"]), escape(row["bmwTitle"]), str(row["score"]),
                     str(row["sharedCount"]), shared])
    headers = ["#", "AMW-module", "BMW-module", "Score", "Gedeeld", "Wat ze delen"]
    top = table(headers, rows[:OVERLAP_SHOWN], name="overlap", numeric={0, 3, 4})
    rest = ""
    if len(rows) > OVERLAP_SHOWN:
        rest = (f"<details><summary>Alle {len(rows)} paren met score ≥ {OVERLAP_MIN_SCORE} tonen</summary>"
                + table(headers, rows[OVERLAP_SHOWN:], name="overlap-rest", numeric={0, 3, 4}) + "</details>")
    modules = runner.run("module-table")
    paired = {r["amwModule"] for r in pairs.rows} | {r["bmwModule"] for r in pairs.rows}
    alone = [r for r in modules.rows if r["module"] not in paired]
    alone_rows = [[tag(r["werksoort"]), escape(r["title"]), escape(r.get("function") or "")] for r in alone]
    alone_table = (table(["Werksoort", "Module", "Functie"], alone_rows, name="without-counterpart")
                   if alone_rows else '<p class="empty">Elke module heeft een tegenhanger.</p>')
    return Section("overlap", "Overlap: welke AMW- en BMW-modulen op elkaar lijken",
                   "Paren van een AMW- en een BMW-module, gerangschikt naar wat ze delen: functie (via de "
                   "crosswalk, dezelfde functie telt 2), doelthema's, setting, methoden, partners, soorten "
                   f"randvoorwaarden, eenheid, frequentie en wettelijk kader. Getoond: score ≥ {OVERLAP_MIN_SCORE}.",
                   [top, rest, source_note(pairs),
                    "<h3>Modulen zonder tegenhanger</h3>",
                    f'<p class="note">Modulen die in geen enkel paar met score ≥ {OVERLAP_MIN_SCORE} voorkomen.</p>',
                    alone_table,
                    source_note(modules, pairs, derived="Alle modulen van module-table die in geen paar van "
                                                        "overlap voorkomen.")])


def intensity(runner: Runner) -> Section:
    """Sessions per module by werksoort and function, one chart per session unit."""
    run = runner.run("intensity")
    units = sorted({(r["unit"], r["unitLabel"]) for r in run.rows if r.get("unit")},
                   key=lambda u: (-sum(1 for r in run.rows if r.get("unit") == u[0]), u[1]))
    unstated = [r for r in run.rows if r.get("maxSessions") is None]
    blocks = []
    for unit, label in units:
        per_unit = runner.run("intensity", unit=unit)
        chosen = sorted((r for r in per_unit.rows if r.get("maxSessions") is not None),
                        key=lambda r: (r["werksoortLabel"], r["functionLabel"], r["title"]))
        svg = charts.ranges([charts.Range(f'{r["werksoortLabel"]} · {r["functionLabel"]}', r["title"],
                                          r["werksoortLabel"], r.get("minSessions"), r["maxSessions"])
                             for r in chosen],
                            title=f"Aantal contacten per module in de eenheid {label} (minimum tot maximum)",
                            axis=f"aantal: {label}", chart=f"intensity-{label}")
        heading = f"Geteld in de eenheid ‘{escape(label)}’ ({_count(len(chosen), 'module', 'modulen')})"
        blocks += [f"<h3>{heading}</h3>", figure(svg),
                   source_note(per_unit, derived="Alleen modulen die in deze eenheid tellen: verschillende "
                                                 "eenheden worden nooit bij elkaar opgeteld.")]
    rows = [[tag(r["werksoortLabel"]), escape(r["title"]), escape(r.get("durationText") or "")
             or '<span class="empty">geen Duur-en-frequentie-tekst</span>'] for r in unstated]
    blocks += ["<h3>Modulen zonder aantal bijeenkomsten of gesprekken</h3>",
               table(["Werksoort", "Module", "Wat het document zegt"], rows, name="intensity-unstated"),
               source_note(run)]
    return Section("intensiteit", "Intensiteit: aantal contacten per module",
                   "Hoeveel gesprekken, bijeenkomsten of groepsgesprekken een module volgens het document telt, "
                   "per werksoort en functie. Alleen aantallen in dezelfde eenheid staan in één grafiek: een "
                   "gesprek en een groepsbijeenkomst van 2,5 uur zijn niet op te tellen. Een lichte balk: het "
                   "document noemt alleen een maximum.", blocks)


def target_groups(runner: Runner) -> Section:
    """Who the modules are for: audiences per werksoort; the AMW doelgroepen 1-4 by module type."""
    audiences = runner.run("modules-by-target-group")
    counts: dict[tuple, list] = defaultdict(list)
    for row in audiences.rows:
        counts[(row["audienceLabel"], row["werksoortLabel"])].append(row["title"])
    labels = sorted({a for a, _ in counts}, key=lambda a: (-sum(len(counts.get((a, w), [])) for w in WERKSOORTEN), a))
    svg = charts.grouped_bars([charts.Bar(a, w, len(counts[(a, w)])) for a in labels for w in WERKSOORTEN
                               if (a, w) in counts],
                              title="Aantal modulen per doelgroep (Doelgroep-sectie), per werksoort",
                              axis="aantal modulen", chart="target-audiences", series=WERKSOORTEN)
    rows = [[escape(a)] + [f"{len(counts.get((a, w), []))}" + inline(sorted(counts.get((a, w), [])), empty="")
                           for w in WERKSOORTEN] for a in labels]
    groups = [runner.run("target-group-modules", doelgroep=str(n)) for n in (1, 2, 3, 4)]
    degrees = runner.run("bmw-and-target-groups")
    degree = {str(r["number"]): r["overlapLabel"] for r in degrees.rows}
    types = sorted({r["typeLabel"] for g in groups for r in g.rows})
    members = {t: sorted({r["title"] for g in groups for r in g.rows if r["typeLabel"] == t}) for t in types}
    matrix_rows = []
    for n, group in enumerate(groups, 1):
        label = group.rows[0]["targetGroupLabel"] if group.rows else f"Doelgroep {n}"
        served = {r["typeLabel"] for r in group.rows}
        cells = [f'<span title="{escape(t)}">✓</span>' if t in served else '<span class="empty">—</span>'
                 for t in types]
        matrix_rows.append([escape(label), escape(degree.get(str(n), ""))] + cells
                           + [str(len({r["title"] for r in group.rows}))])
    type_rows = [[escape(t), str(len(members[t])), inline(members[t])] for t in types]
    short_types = [t.split(":")[0] for t in types]
    return Section("doelgroepen", "Voor wie: doelgroepen",
                   "Voor wie een module bedoeld is volgens de Doelgroep-sectie (cliënten, medewerkers, "
                   "leidinggevenden, teams ...), en de vier AMW-doelgroepen waarin werk een rol speelt, met de "
                   "moduletypen die ze bedienen.",
                   [figure(svg), table(["Doelgroep", "AMW-modulen", "BMW-modulen"], rows, name="target-audiences",
                                       css="matrix"),
                    source_note(audiences),
                    "<h3>AMW-doelgroepen 1–4 naar moduletype</h3>",
                    '<p class="note">Het AMW-document deelt zijn modulen in drie typen in naar de doelgroepen die '
                    "ze bedienen; het BMW-document doet dat niet. ‘Komt voor bij BMW’: in welke mate de doelgroep "
                    "volgens het AMW-document ook bij het BMW voorkomt.</p>",
                    table(["AMW-doelgroep", "Komt voor bij BMW"] + short_types + ["Modulen"], matrix_rows,
                          name="amw-target-groups", numeric={len(types) + 2}),
                    table(["Moduletype", "Aantal", "Modulen"], type_rows, name="amw-module-types", numeric={1}),
                    source_note(*groups, degrees)])


def partners(runner: Runner) -> Section:
    """Which partners each werksoort involves, in how many modules."""
    run = runner.run("partners-per-werksoort")
    by_partner: dict[str, dict] = defaultdict(dict)
    kinds, how = {}, defaultdict(set)
    for row in run.rows:
        by_partner[row["partnerLabel"]][row["werksoort"]] = row
        kinds[row["partnerLabel"]] = row["partnerKind"]
        how[row["partnerLabel"]].update(_split(row["involvements"], "; "))
    order = sorted(by_partner, key=lambda p: (-sum(r["modules"] for r in by_partner[p].values()), p))
    svg = charts.grouped_bars([charts.Bar(p, w, by_partner[p][w]["modules"]) for p in order for w in WERKSOORTEN
                               if w in by_partner[p]],
                              title="Aantal modulen dat een partner betrekt, per werksoort",
                              axis="aantal modulen", chart="partners", series=WERKSOORTEN)
    rows = []
    for p in order:
        cells = []
        for w in WERKSOORTEN:
            row = by_partner[p].get(w)
            cells.append(f'{row["modules"]}' + inline(_split(row["moduleTitles"], "; ")) if row else
                         '<span class="empty">—</span>')
        rows.append([escape(p), escape(kinds[p])] + cells + [escape(", ".join(sorted(how[p])))])
    return Section("partners", "Partners: met wie werken AMW en BMW samen",
                   "Elke partner die een module op enige manier betrekt (verwijst naar, raadpleegt, neemt contact "
                   "op met, voert samen uit, heeft afspraken met, noemt ...), geteld in modulen per werksoort.",
                   [figure(svg), source_note(run),
                    f"<details><summary>Tabel: de modulen per partner ({len(rows)} partners)</summary>"
                    + table(["Partner", "Soort", "AMW-modulen", "BMW-modulen", "Hoe"], rows, name="partners")
                    + "</details>"])


def preconditions(runner: Runner) -> Section:
    """Preconditions by kind per werksoort."""
    run = runner.run("modules-by-precondition")
    modules: dict[tuple, set] = defaultdict(set)
    texts: dict[tuple, int] = defaultdict(int)
    for row in run.rows:
        key = (row["kindLabel"], row["werksoort"])
        modules[key].add(row["title"])
        texts[key] += 1
    kinds = sorted({k for k, _ in modules}, key=lambda k: (-sum(len(modules.get((k, w), ())) for w in WERKSOORTEN), k))
    svg = charts.grouped_bars([charts.Bar(k, w, len(modules[(k, w)]),
                                          f"{k} – {w}: {_count(len(modules[(k, w)]), 'module', 'modulen')}, "
                                          f"{_count(texts[(k, w)], 'randvoorwaarde', 'randvoorwaarden')}")
                               for k in kinds for w in WERKSOORTEN if (k, w) in modules],
                              title="Aantal modulen met een randvoorwaarde van deze soort, per werksoort",
                              axis="aantal modulen", chart="preconditions", series=WERKSOORTEN)
    rows = [[escape(k)] + [f"{_count(len(modules.get((k, w), ())), 'module', 'modulen')}, "
                           f"{_count(texts.get((k, w), 0), 'randvoorwaarde', 'randvoorwaarden')}"
                           + inline(sorted(modules.get((k, w), ())), empty="") for w in WERKSOORTEN] for k in kinds]
    return Section("randvoorwaarden", "Randvoorwaarden per soort",
                   "Wat een instelling geregeld moet hebben om een module te kunnen bieden (sociale kaart, "
                   "afspraken met partners, deskundigheid ...), per soort en werksoort. Modulen met ‘Er zijn "
                   "geen specifieke randvoorwaarden’ tellen niet mee.",
                   [figure(svg), table(["Soort randvoorwaarde", "AMW", "BMW"], rows, name="preconditions"),
                    source_note(run)])


def pathways(runner: Runner, diagram_svg: str | None, why_not: str = "") -> Section:
    """The sequencing steps as a diagram (when Graphviz is there) and the steps across werksoorten."""
    run = runner.run("sequencing-steps")
    blocks = [figure(diagram_svg) if diagram_svg else f'<p class="empty">Geen diagram: {escape(why_not)}</p>',
              source_note(run, derived="Het diagram: modgraph diagram pathways --out pathways.svg.")]
    cross = [r for r in run.rows if r["crossWerksoort"]]
    rows = [[tag(r["fromWerksoort"]) + " " + escape(r["fromLabel"]), escape(r["relationLabel"]),
             tag(r["toWerksoort"]) + " " + escape(r["toLabel"]), f"“{escape(r['quote'])}” (p. {r['page']})"]
            for r in cross]
    blocks += ["<h3>Verwijzingen tussen AMW en BMW</h3>",
               table(["Van", "Relatie", "Naar", "Wat het document zegt"], rows, name="cross-werksoort-steps"),
               source_note(run, derived="De rijen met crossWerksoort = true.")]
    return Section("trajecten", "Trajecten: welke module volgt op welke",
                   "De volgorde die de documenten noemen: kan gevolgd worden door, wordt gewoonlijk gevolgd door, "
                   "kan leiden tot, verwijst naar, en ‘aan deze module gaat een intake vooraf’. Pijlen lopen in de "
                   "tijd: van de eerdere naar de latere module.", blocks)
