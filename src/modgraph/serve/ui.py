"""`/` and `/search`: the web UI. YASGUI (served from the Oxigraph binary through the front, so no
network is needed) as SPARQL editor and results table, the named queries ready to run with their
example parameters, and a search over the modules (the named query text-search)."""

from __future__ import annotations

import html
import json
import urllib.parse

from modgraph.queries import NamedQuery

STYLE = """
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; }
header { background: #1f4e79; color: #fff; padding: .7em 1.2em; display: flex; gap: 1.5em; align-items: center;
         flex-wrap: wrap; }
header h1 { font-size: 1.25em; margin: 0; }
header a { color: #fff; }
header form { margin-left: auto; }
header input[type=search] { font-size: 1em; padding: .25em .5em; width: 16em; }
main { display: flex; min-height: calc(100vh - 3.2em); }
nav { width: 21em; flex: none; overflow-y: auto; max-height: calc(100vh - 3.2em); border-right: 1px solid #d0d7e2;
      padding: .6em .9em; background: #f6f8fb; box-sizing: border-box; }
nav h2 { font-size: 1em; margin: .9em 0 .3em; text-transform: capitalize; color: #1f4e79; }
nav button { display: block; width: 100%; text-align: left; background: none; border: 0; padding: .3em .35em;
             font: inherit; cursor: pointer; border-radius: 4px; }
nav button:hover, nav button:focus { background: #dce6f2; }
nav button .name { font-weight: 600; display: block; }
nav button .summary { font-size: .85em; color: #4a5568; }
#workspace { flex: 1; min-width: 0; padding: 0 .6em; }
#current { margin: .6em 0 0; color: #4a5568; font-size: .9em; }
ul.hits { padding-left: 1.2em; } ul.hits li { margin: .35em 0; }
.page { max-width: 60em; margin: 1.2em auto; padding: 0 1.2em; }
"""


def _header(search: str = "") -> str:
    return ("<header><h1><a href=\"/\">modgraph</a></h1>"
            "<span>AMW and BMW modules for people with work-related problems</span>"
            "<a href=\"/api\">API</a><a href=\"/def\">ontology</a>"
            "<form action=\"/search\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" "
            f"value=\"{html.escape(search)}\" placeholder=\"search modules (e.g. GGZ)\" aria-label=\"search modules\">"
            "</form></header>")


def index_page(named: dict[str, NamedQuery], ready: dict[str, str]) -> str:
    """The start page: the named queries (``ready``: name -> query text with its example values
    written in) beside YASGUI, which sends its queries to /sparql."""
    groups: dict[str, list[NamedQuery]] = {}
    for name in sorted(ready):
        query = named[name]
        groups.setdefault((query.tags or ["quality" if name.startswith("qc/") else "other"])[0], []).append(query)
    nav = []
    for tag in sorted(groups):
        nav.append(f"<h2>{html.escape(tag)}</h2>")
        for query in groups[tag]:
            nav.append(f"<button type=\"button\" data-query=\"{html.escape(query.name)}\" "
                       f"title=\"{html.escape(query.description)}\"><span class=\"name\">{html.escape(query.name)}"
                       f"</span><span class=\"summary\">{html.escape(query.summary)}</span></button>")
    queries_json = json.dumps(ready, ensure_ascii=False).replace("</", "<\\/")
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>modgraph: SPARQL and named queries</title>
<link rel="stylesheet" href="/assets/yasgui.min.css">
<style>{STYLE}</style>
</head>
<body>
{_header()}
<main>
<nav aria-label="named queries"><p>Named queries: click one to load it with its example values and run it.</p>
{''.join(nav)}
</nav>
<div id="workspace"><p id="current">SPARQL endpoint: <code>/sparql</code>. Results as a table below the editor.</p>
<div id="yasgui"></div></div>
</main>
<script src="/assets/yasgui.min.js"></script>
<script>
const NAMED = {queries_json};
const endpoint = new URL("/sparql", window.location.href).href;
const yasgui = new Yasgui(document.getElementById("yasgui"), {{
  requestConfig: {{ endpoint: endpoint, method: "POST" }},
  copyEndpointOnNewTab: false,
  persistenceId: null,
  endpointCatalogueOptions: {{ getData: () => [{{ endpoint: endpoint }}], keys: [] }}
}});
function runNamed(name) {{
  const tab = yasgui.getTab();
  tab.setQuery(NAMED[name]);
  document.getElementById("current").textContent = "Named query: " + name + " (example values written in as VALUES)";
  tab.query();
}}
document.querySelectorAll("nav button[data-query]").forEach(b =>
  b.addEventListener("click", () => runNamed(b.dataset.query)));
</script>
</body>
</html>
"""


def search_page(text: str, hits: list[tuple[str, str, str]], message: str = "") -> str:
    """The modules found for ``text``: (local link, title, werksoort) each."""
    items = "".join(f"<li><a href=\"{html.escape(link)}\">{html.escape(title)}</a> ({html.escape(werksoort)})</li>"
                    for link, title, werksoort in hits)
    body = (f"<p>{html.escape(message)}</p>" if message else
            f"<p>{len(hits)} module(s) mention <q>{html.escape(text)}</q> "
            f"(named query <a href=\"/api/text-search?{html.escape(urllib.parse.urlencode({'text': text}))}\">"
            f"text-search</a>).</p>"
            f"<ul class=\"hits\">{items}</ul>")
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Search: {html.escape(text)} - modgraph</title><style>{STYLE}</style></head>
<body>
{_header(text)}
<div class="page"><h2>Search</h2>{body}</div>
</body>
</html>
"""
