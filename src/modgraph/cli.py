"""The `modgraph` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from modgraph import __version__
from modgraph.errors import InputError


def _cmd_validate(args: argparse.Namespace) -> int:
    from modgraph import reason, shacl_engines, validate
    from modgraph.catalogue import load
    from modgraph.inferred import inputs_sha256, staleness
    from modgraph.paths import find_root

    if args.endpoint:
        raise InputError("validate checks local files (the catalogue and --include folders), "
                         "not a remote endpoint", "--endpoint")
    timeout = _reason_timeout(args)  # a bad --timeout is an error before any work
    max_per_rule = _max_per_rule(args.max_per_rule)
    included = validate.list_included(getattr(args, "include", None) or [])  # a bad folder: before any work
    shacl_engines.choose(args.shacl_engine, 0, included=included is not None)  # an engine that cannot run, too
    root = find_root(args.root)
    catalogue = load(root, alignments=False)  # the alignments are neither checked nor reasoned over
    problems = validate.file_problems(catalogue)
    status = 0
    inferred = None
    ill_typed = [p for p in problems if p.kind == "literal"]
    if args.no_reason:
        pass
    elif ill_typed:  # the reasoner would crash on them; the shapes still run, so every problem shows at once
        print(f"reasoner skipped: {len(ill_typed)} ill-typed literal(s), listed below")
        status = 1
    else:
        try:
            result = reason.run(catalogue.graph, timeout=timeout, files=catalogue.files)
        except InputError as exc:  # no Java, a reasoner failure: report it, still run the shapes
            print(f"reasoner skipped: {exc}")
            status = 2
        else:
            print(reason.render(result))
            if included is not None:  # HermiT over 10^6 triples is not an option; synth ships its inferences
                print(f"reasoner: the catalogue only; the {len(included.files):,} included file(s) are not reasoned "
                      "over (their inferred/ files are validated as given)")
            if not result.consistent:
                status = 1
            else:
                inferred = result.inferred
                stale = staleness(root, inputs_sha256(root, catalogue.digests))
                if stale:
                    print(f"{root.relative(root.inferred)}: {stale} (it does not match ontology/ and data/): "
                          "run `modgraph reason`")
                    status = 1
    report = validate.run(catalogue, root.shapes, lang=args.lang, inferred=inferred, problems=problems,
                          engine=args.shacl_engine, included=included)
    if inferred is not None and status == 0:  # the queries see asserted + current inferred triples
        from modgraph.quality import run_checks

        with _open_engine(args, root) as engine:
            report.checks = run_checks(engine, root.queries, timeout=timeout)
    elif not args.no_reason:
        print("quality checks (queries/qc) skipped: they need the reasoner's current inferred triples")
    if report.engine != "pyshacl" or included is not None:
        print(f"shapes: run by {report.engine} (--shacl-engine {args.shacl_engine})")
    print(validate.render(report, catalogue, max_per_rule=max_per_rule))
    return status or (0 if report.conforms else 1)


def _max_per_rule(value: str) -> int:
    """--max-per-rule as a whole number >= 0; anything else is an InputError naming the option."""
    if not value.isdigit():
        raise InputError(f"a whole number of 0 or more is needed, not {value[:60]!r}", "--max-per-rule")
    return int(value)


def _cmd_reason(args: argparse.Namespace) -> int:
    from modgraph import reason
    from modgraph.catalogue import load
    from modgraph.formatting import write_atomically
    from modgraph.inferred import inputs_sha256, recorded_sha256
    from modgraph.literals import literal_problems
    from modgraph.paths import find_root

    if args.endpoint:
        raise InputError("the reasoner works on the catalogue's files, not on a remote endpoint", "--endpoint")
    timeout = _reason_timeout(args)  # a bad --timeout is an error before any work
    root = find_root(args.root)
    catalogue = load(root, alignments=False)
    ill_typed = literal_problems(catalogue)
    if ill_typed:  # the reasoner cannot read them: report each, write nothing
        print("\n".join(str(problem) for problem in ill_typed))
        print(f"reasoner not run: {len(ill_typed)} ill-typed literal(s); nothing written")
        return 1
    result = reason.run(catalogue.graph, timeout=timeout, files=catalogue.files)
    print(reason.render(result))
    if not result.consistent:
        return 1
    out = Path(args.out) if args.out else root.inferred
    inputs = inputs_sha256(root, catalogue.digests)
    text = reason.inferred_text(result, inputs)
    if args.check:
        if recorded_sha256(out) != inputs:
            print(f"{out}: {'missing' if not out.is_file() else 'out of date'}: run `modgraph reason`")
            return 1
        print(f"{out}: up to date")
        return 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(out, text)
    except OSError as exc:
        raise InputError(f"cannot write the inferred triples: {exc.strerror}", str(out)) from None
    print(f"written: {out}")
    return 0


def _cmd_fmt(args: argparse.Namespace) -> int:
    from modgraph.catalogue import data_files
    from modgraph.formatting import format_files
    from modgraph.paths import find_root

    if args.files:
        paths = [Path(p) for p in args.files]  # format_files refuses what is not a readable regular file
    else:
        paths = data_files(find_root(args.root))
    changed = format_files(paths, check=args.check)
    verb = "would reformat" if args.check else "reformatted"
    for path in changed:
        print(f"{verb} {path}")
    print(f"{len(changed)} of {len(paths)} file(s) {verb}" if changed else f"{len(paths)} file(s) already canonical")
    return 1 if (args.check and changed) else 0


def _cmd_synth(args: argparse.Namespace) -> int:
    from modgraph import synth
    from modgraph.catalogue import load
    from modgraph.paths import find_root

    count, seed = synth.parse_count(args.providers), synth.parse_seed(args.seed)
    out = Path(args.out)
    synth.check_out(out, args.force)  # before loading the catalogue: a refusal costs nothing
    root = find_root(args.root)
    bar = synth.Progress(count, enabled=not args.quiet and sys.stderr.isatty())
    graph = load(root).graph
    inferred = None if args.asserted_only else synth.inferred_triples(root, graph)
    summary = synth.synthesise(graph, count, seed, out, inferred=inferred, force=args.force, progress=bar.update,
                               source=str(root.root))
    bar.update(count, summary.triples, final=True)
    of_which = f" of which {summary.inferred:,} inferred" if summary.inferred is not None else ""
    print(f"written: {summary.out} ({summary.providers:,} providers, {summary.variants:,} variants, "
          f"{summary.triples:,} triples{of_which}, seed {seed})")
    return 0


def _cmd_publish(args: argparse.Namespace) -> int:
    from modgraph import publish
    from modgraph.engines.remote import RemoteEngine, check_url
    from modgraph.limits import check_timeout

    endpoint = check_url(args.publish_endpoint or getattr(args, "endpoint", None), "--endpoint")
    timeout = publish.DEFAULT_PUBLISH_TIMEOUT if args.timeout is None else check_timeout(args.timeout, "--timeout")
    graph = publish.nt_term_iri(args.graph or publish.DEFAULT_GRAPH)
    RemoteEngine(endpoint).run("ASK {}", source="publish", timeout=min(timeout, 30))  # reachable, before loading
    lines = [publish.nt_lines(_query_catalogue(args).graph)]
    include = getattr(args, "include", None) or []
    if include:
        from modgraph.sources import included_files

        lines += [publish.file_lines(path) for path in included_files(include)]
    import itertools

    done = publish.publish(itertools.chain(*lines), endpoint, update_endpoint=args.update_endpoint, graph=graph,
                           user=args.user, timeout=timeout, method=args.method)
    print(f"published: {done.triples:,} triples as <{done.graph}> at {endpoint} "
          f"({done.method}, {done.chunks} chunk{'s' if done.chunks != 1 else ''}, {done.seconds:.1f} s)")
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from modgraph.export import core
    from modgraph.limits import check_timeout
    from modgraph.paths import find_root

    timeout = check_timeout(args.timeout, "--timeout")
    root = find_root(args.root)
    if args.check is not None:
        return _check_export(root, args)
    if args.out is None:
        raise InputError("give the file to write: --out PATH", "--out")
    fmt = args.format or {"csv": "csv", "hsds": "json"}.get(args.profile or "", "ttl")
    with _open_engine(args, root) as engine:
        written = core.write(engine, root, fmt, Path(args.out), profile=args.profile, timeout=timeout)
    for item in written:
        print(f"written: {item.path} ({item.what})")
    return 0


def _cmd_release(args: argparse.Namespace) -> int:
    import datetime

    from modgraph.export import release
    from modgraph.limits import check_timeout
    from modgraph.paths import find_root

    version = release.check_version(args.version)
    timeout = check_timeout(args.timeout, "--timeout")
    try:
        date = datetime.date.fromisoformat(args.date) if args.date else datetime.date.today()
    except ValueError:
        raise InputError(f"'{args.date[:40]}' is not a date such as 2026-12-03", "--date") from None
    root = find_root(args.root)
    with _open_engine(args, root) as engine:
        target, files = release.release(engine, root, version, Path(args.dist), date=date, timeout=timeout)
    print(f"released: {target} ({len(files)} files, {release.CHECKSUMS} included)")
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    from modgraph import report
    from modgraph.limits import check_timeout
    from modgraph.paths import find_root

    timeout = check_timeout(args.timeout, "--timeout")
    root = find_root(args.root)
    with _open_engine(args, root) as engine:
        written = report.write(engine, root, Path(args.out), timeout=timeout)
    print(f"written: {written}")
    return 0


def _cmd_diagram(args: argparse.Namespace) -> int:
    from modgraph import diagram
    from modgraph.limits import check_timeout
    from modgraph.paths import find_root
    from modgraph.report.runs import Runner

    timeout = check_timeout(args.timeout, "--timeout")
    werksoort = diagram.check_werksoort(args.werksoort)
    out = Path(args.out)
    diagram.find_dot()  # before any query: a missing Graphviz is one line
    root = find_root(args.root)
    with _open_engine(args, root) as engine:
        runner = Runner(engine, root, timeout=timeout)
        rows = runner.run("sequencing-steps", **({"werksoort": werksoort} if werksoort else {})).rows
        module = None
        if args.module:
            module = diagram.module_iri(runner.run("module-table").rows, args.module)
            rows = diagram.neighbourhood(rows, module)
    title = "Trajecten" + (f" {werksoort.upper()}" if werksoort else " in AMW en BMW") + (
        f" rond {args.module}" if module else "")
    svg = diagram.render_svg(diagram.dot_text(rows, title=title, highlight=module))
    diagram.write_svg(out, svg)
    print(f"written: {out} ({len(rows)} stated steps)")
    return 0


def _cmd_docs(args: argparse.Namespace) -> int:
    from modgraph import docs

    print(f"written: {docs.write_docs(Path(args.out), root=args.root)}")
    return 0


def _check_export(root, args: argparse.Namespace) -> int:
    """``export --check FILE --profile NAME``: the file against the profile's official shapes."""
    from modgraph.export import standards

    if not args.profile:
        raise InputError("say which profile the file is in: --profile NAME (the core export is checked "
                         "by modgraph validate)", "--check")
    if args.profile == "hsds":
        from modgraph.export import hsds

        report = hsds.check(Path(args.check), root)
    else:
        report = standards.check(standards.read_export(Path(args.check), args.format), root, args.profile)
    print(standards.render(report, Path(args.check)))
    return 0 if report.conforms else 1


def _query_catalogue(args: argparse.Namespace):
    """The catalogue the queries see: asserted + current inferences (see modgraph.inferred)."""
    from modgraph.inferred import load_for_queries
    from modgraph.paths import find_root

    return load_for_queries(find_root(args.root), asserted_only=args.asserted_only)


def _check_terms(root, text: str, source: str) -> None:
    """An mg: term the ontology does not declare (a typo) is an error naming source:line:column."""
    from modgraph.terms import check_query, declared_in_ontology

    check_query(text, source, declared_in_ontology(root))


def _open_engine(args: argparse.Namespace, root):
    """The engine the global options ask for (--engine, --store, --endpoint, --include, --asserted-only)."""
    from modgraph.engines import open_engine

    return open_engine(root, engine=args.engine, store=args.store, endpoint=args.endpoint,
                       graph=getattr(args, "graph", None), include=args.include or [],
                       asserted_only=args.asserted_only)


def _cmd_load(args: argparse.Namespace) -> int:
    from modgraph.paths import find_root
    from modgraph.sources import query_sources
    from modgraph.store import ensure_store

    if not args.store:
        raise InputError("give the folder to load into: modgraph load --store DIR", "--store")
    if args.engine != "oxigraph" or args.endpoint:
        raise InputError("the on-disk store is an Oxigraph store: --engine and --endpoint do not apply", "load")
    sources = query_sources(find_root(args.root), include=args.include or [], asserted_only=args.asserted_only)
    state = ensure_store(args.store, sources)
    what = state.reason or "up to date"
    print(f"store {state.location}: {what}, {state.triples:,} triples from {len(sources.files):,} files "
          f"({state.seconds:.1f} s)")
    return 0


def _cmd_serve(args: argparse.Namespace) -> int:
    from modgraph.limits import check_timeout
    from modgraph.paths import find_root
    from modgraph.serve.run import serve
    from modgraph.serve.sparql import Limits

    if args.endpoint or args.engine != "oxigraph":
        raise InputError("serve answers from the Oxigraph server on an on-disk store: --engine and --endpoint "
                         "do not apply", "serve")
    limits = Limits(timeout=check_timeout(args.timeout, "--timeout"), max_rows=args.max_rows,
                    max_request_bytes=args.max_body, cache_bytes=args.cache_mb * 1_000_000)
    return serve(find_root(args.root), host=args.host, port=args.port, store=args.store,
                 include=args.include or [], asserted_only=args.asserted_only, limits=limits)


def _positive_int(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value[:40]}' is not a whole number above 0")
    return int(value)


def _non_negative_int(value: str) -> int:
    if not value.isdigit():
        raise argparse.ArgumentTypeError(f"'{value[:40]}' is not a whole number (0 or more)")
    return int(value)


def _parse_params(pairs: list[str]) -> dict[str, str]:
    from modgraph.limits import shown

    values = {}
    for pair in pairs:
        if "=" not in pair:
            raise InputError(f"'{shown(pair)}' is not of the form name=value", "--param")
        name, value = pair.split("=", 1)
        name = name.strip()
        if name in values:
            raise InputError("given twice: give each parameter once", f"parameter {shown(name)}")
        values[name] = value
    return values


def _query_options(args: argparse.Namespace) -> dict:
    """The run_sparql keywords from --timeout, --allow-service and --format."""
    from modgraph.limits import check_timeout

    return {"timeout": check_timeout(args.timeout, "--timeout"), "allow_service": args.allow_service,
            "fmt": args.format}


def _cmd_query(args: argparse.Namespace) -> int:
    from modgraph import queries
    from modgraph.paths import find_root
    from modgraph.results import render

    if args.list or not args.name:
        named = queries.discover(find_root(args.root).queries)
        for query in named.values():
            params = ", ".join(("" if p.required else "[") + f"{p.name}: {p.kind}" + ("" if p.required else "]")
                               for p in query.parameters)
            print(f"{query.name}\n    {query.summary}" + (f"\n    parameters: {params}" if params else ""))
        return 0
    options = _query_options(args)
    values = _parse_params(args.param)
    root = find_root(args.root)
    query = queries.find(root.queries, args.name)
    _check_terms(root, query.text, str(query.path))
    with _open_engine(args, root) as engine:
        bindings = queries.bind(query, values, engine)
        print(render(engine.run(query.text, bindings, source=str(query.path), **options), args.format), end="")
    return 0


def _cmd_sparql(args: argparse.Namespace) -> int:
    from modgraph.paths import find_root
    from modgraph.results import render

    options = _query_options(args)
    if args.file == "-":
        try:
            text, source = sys.stdin.read(), "<stdin>"
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot read: not UTF-8 text ({exc.reason})", "<stdin>") from None
    else:
        path = Path(args.file)
        try:
            text, source = path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", args.file) from None
        except UnicodeDecodeError as exc:
            raise InputError(f"cannot read: not UTF-8 text ({exc.reason})", args.file) from None
    root = find_root(args.root)
    _check_terms(root, text, source)
    with _open_engine(args, root) as engine:
        print(render(engine.run(text, source=source, **options), args.format), end="")
    return 0


def _add_reason_timeout(p: argparse.ArgumentParser) -> None:
    from modgraph.limits import DEFAULT_REASON_TIMEOUT

    p.add_argument("--timeout", default=DEFAULT_REASON_TIMEOUT, metavar="SECONDS",
                   help=f"stop the reasoner (and, in validate, each quality check) after this many seconds "
                        f"(default {DEFAULT_REASON_TIMEOUT:g})")


def _add_export_timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument("--timeout", default=DEFAULT_EXPORT_TIMEOUT, metavar="SECONDS",
                   help=f"limit per query (default {DEFAULT_EXPORT_TIMEOUT:g})")


def _reason_timeout(args: argparse.Namespace) -> float:
    from modgraph.limits import check_timeout

    return check_timeout(args.timeout, "--timeout")


def _add_query_options(p: argparse.ArgumentParser) -> None:
    from modgraph.limits import DEFAULT_QUERY_TIMEOUT
    from modgraph.results import FORMATS

    p.add_argument("--format", "-f", choices=FORMATS, default=None,
                   help="output format: rows as table (default), csv, tsv, json (SPARQL 1.1 JSON) or markdown; "
                        "a CONSTRUCT or DESCRIBE graph as turtle (default), nt or jsonld")
    p.add_argument("--timeout", default=DEFAULT_QUERY_TIMEOUT, metavar="SECONDS",
                   help=f"stop the query after this many seconds (default {DEFAULT_QUERY_TIMEOUT:g})")
    p.add_argument("--allow-service", action="store_true",
                   help="allow SERVICE (requests to other SPARQL endpoints); refused by default")


def _add_engine_options(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--engine, --store, --endpoint, --include: on the command and again on each querying subcommand.

    A subcommand's copies default to SUPPRESS, so ``modgraph --store DIR query X`` and
    ``modgraph query X --store DIR`` mean the same.
    """
    def default(value):
        return value if top else argparse.SUPPRESS

    p.add_argument("--engine", choices=("oxigraph", "rdflib"), default=default("oxigraph"),
                   help="the SPARQL engine for the catalogue: oxigraph (default, in memory) or rdflib")
    p.add_argument("--store", metavar="DIR", default=default(None),
                   help="answer from the on-disk Oxigraph store in DIR (made by `modgraph load --store DIR`; "
                        "rebuilt first when a source file changed)")
    p.add_argument("--endpoint", metavar="URL", default=default(None),
                   help="answer from a remote SPARQL 1.1 endpoint the catalogue was published to")
    p.add_argument("--include", metavar="DIR", action="append", default=default(None),
                   help="add the RDF files (.nt, .ttl) under DIR to the catalogue, e.g. a `modgraph synth` "
                        "output (repeatable)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `modgraph` command."""
    parser = argparse.ArgumentParser(prog="modgraph", description=__doc__)
    parser.add_argument("--version", action="version", version=f"modgraph {__version__}")
    parser.add_argument("--root", help="catalogue folder with ontology/ and data/ (default: the embedded catalogue)")
    parser.add_argument("--asserted-only", action="store_true",
                        help="leave out the inferred triples (inferred/inferred.ttl)")
    _add_engine_options(parser, top=True)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check the catalogue: OWL consistency and the SHACL shapes")
    p.add_argument("--lang", choices=["en", "nl"], default="en", help="language of the messages")
    p.add_argument("--no-reason", action="store_true", help="skip the OWL reasoner (shapes only)")
    p.add_argument("--shacl-engine", choices=["auto", "pyshacl", "rudof", "jena"], default="auto",
                   help="the SHACL engine: auto (default) is pyshacl for the catalogue alone, Jena SHACL "
                        "(else rudof) with --include data or above 20,000 triples")
    p.add_argument("--max-per-rule", default="20", metavar="N",
                   help="list at most N findings per rule, count the rest (default 20; 0 lists all)")
    _add_reason_timeout(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("reason", help="run the OWL reasoner (HermiT) and write the inferred triples")
    p.add_argument("--out", help="where to write the inferred triples (default: inferred/inferred.ttl)")
    p.add_argument("--check", action="store_true", help="only check that the inferred file is up to date")
    _add_reason_timeout(p)
    p.set_defaults(func=_cmd_reason)

    p = sub.add_parser("query", help="run a named query from queries/ (--list shows them)")
    p.add_argument("name", nargs="?", help="the query's name (its file name without .rq)")
    p.add_argument("--list", action="store_true", help="list the named queries with summary and parameters")
    p.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE", help="a parameter value")
    _add_query_options(p)
    _add_engine_options(p)
    p.set_defaults(func=_cmd_query)

    p = sub.add_parser("sparql", help="run an ad-hoc SPARQL query from a file or - (stdin)")
    p.add_argument("file", help="query file, or - for standard input")
    _add_query_options(p)
    _add_engine_options(p)
    p.set_defaults(func=_cmd_sparql)

    p = sub.add_parser("load", help="load the catalogue into an on-disk Oxigraph store that later commands reuse")
    _add_engine_options(p)
    p.set_defaults(func=_cmd_load)

    p = sub.add_parser("fmt", help="rewrite data files in canonical Turtle")
    p.add_argument("files", nargs="*", help="files to format (default: every file under data/)")
    p.add_argument("--check", action="store_true", help="only report files that are not canonical (exit 1)")
    p.set_defaults(func=_cmd_fmt)

    p = sub.add_parser("synth", help="generate a synthetic national catalogue: providers' local variants of the modules")
    p.add_argument("--providers", required=True, metavar="N", help="how many providers (AMW institutions and BMW providers)")
    p.add_argument("--seed", default="1", metavar="S", help="the random seed: the same N and S give the same files (default 1)")
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write (must not exist or be empty)")
    p.add_argument("--force", action="store_true", help="replace DIR when it holds an earlier synth output")
    p.add_argument("--quiet", action="store_true", help="no progress bar on stderr")
    p.set_defaults(func=_cmd_synth)

    p = sub.add_parser("export", help="write the catalogue, or one of its profiles, in a standard format")
    p.add_argument("--format", choices=["ttl", "nt", "jsonld", "rdfxml", "trig", "csv", "json"], default=None,
                   help="ttl (default), nt, jsonld (with context.jsonld beside it), rdfxml, trig, or csv (one row "
                        "per module); --profile hsds: json (default) or csv, into the folder --out")
    p.add_argument("--profile", metavar="NAME",
                   help="a mapping to a standard (profiles/NAME: cpsv-ap, schema-org, skos, dcat, ...; csv is the "
                        "module table); left out: the catalogue itself, asserted + inferred")
    p.add_argument("--out", metavar="PATH", help="the file to write (replaced whole, or left as it was)")
    p.add_argument("--check", metavar="FILE",
                   help="instead of writing: check FILE, an export in --profile, against the standard's own shapes")
    _add_export_timeout(p)
    _add_engine_options(p)
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("release", help="write every format and profile of one version into dist/VERSION/")
    p.add_argument("version", metavar="VERSION", help="the release, e.g. 1.0.0 (the ontology's versionIRI ends in it)")
    p.add_argument("--dist", default="dist", metavar="DIR", help="where release folders go (default: dist)")
    p.add_argument("--date", default=None, metavar="YYYY-MM-DD",
                   help="the release date, the ontology's dcterms:modified (default: today)")
    _add_export_timeout(p)
    _add_engine_options(p)
    p.set_defaults(func=_cmd_release)

    p = sub.add_parser("serve", help="serve the catalogue: a SPARQL endpoint, resolvable IRIs, the named queries "
                                      "as an API and a web UI")
    p.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000)")
    p.add_argument("--timeout", default=10.0, metavar="SECONDS",
                   help="stop a query after this many seconds, whole seconds (default 10)")
    p.add_argument("--max-rows", type=_positive_int, default=100_000, metavar="N",
                   help="refuse an answer with more rows (or triples) than this (default 100,000)")
    p.add_argument("--max-body", type=_positive_int, default=1_000_000, metavar="BYTES",
                   help="refuse a request body larger than this (default 1,000,000 bytes)")
    p.add_argument("--cache-mb", type=_non_negative_int, default=64, metavar="MB",
                   help="memory for answers kept for the next identical request (default 64; 0: none)")
    _add_engine_options(p)
    p.set_defaults(func=_cmd_serve)

    p = sub.add_parser("publish", help="upload the catalogue to a SPARQL server, replacing the previous version atomically")
    p.add_argument("--endpoint", dest="publish_endpoint", metavar="URL",
                   help="the server's SPARQL query endpoint (Oxigraph: http://HOST:PORT/query; Virtuoso: .../sparql)")
    p.add_argument("--update-endpoint", metavar="URL", help="its SPARQL Update endpoint (default: known from the layout)")
    p.add_argument("--graph", default=None, metavar="IRI",
                   help="the named graph that holds the catalogue (default https://w3id.org/modgraph/graph/catalogue)")
    p.add_argument("--user", metavar="U", help="user name; the password is read from MODGRAPH_PASSWORD")
    p.add_argument("--method", choices=["auto", "update"], default="auto",
                   help="auto: the Graph Store Protocol where the server has it; update: SPARQL Update only")
    p.add_argument("--timeout", default=None, metavar="SECONDS", help="limit per request (default 600)")
    p.set_defaults(func=_cmd_publish)

    p = sub.add_parser("report", help="write the werksoort comparison report (self-contained HTML) into a folder")
    p.add_argument("--out", required=True, metavar="DIR",
                   help="the folder to write (index.html and ontology.html; replaced whole)")
    p.add_argument("--timeout", default="30", metavar="SECONDS", help="limit per query (default 30)")
    _add_engine_options(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser("diagram", help="draw the pathways between modules as an SVG diagram (Graphviz)")
    p.add_argument("what", choices=["pathways"], help="the diagram: pathways")
    p.add_argument("--werksoort", metavar="AMW|BMW", help="only the steps with a module of this werksoort")
    p.add_argument("--module", metavar="SLUG", help="only the steps into this module and onward from it (amw/intake)")
    p.add_argument("--out", required=True, metavar="FILE.svg", help="the SVG file to write (replaced whole)")
    p.add_argument("--timeout", default="30", metavar="SECONDS", help="limit per query (default 30)")
    _add_engine_options(p)
    p.set_defaults(func=_cmd_diagram)

    p = sub.add_parser("docs", help="write the HTML documentation of the ontology into a folder")
    p.add_argument("--out", required=True, metavar="DIR", help="the folder to write (index.html; replaced whole)")
    p.set_defaults(func=_cmd_docs)
    return parser


DEFAULT_EXPORT_TIMEOUT = 300.0


def main(argv: list[str] | None = None) -> int:
    """Run the command; bad input gives one message on stderr and exit 2, never a traceback.

    Ctrl-C exits 130 and SIGTERM 143, each with one line, after the same cleanup (workers and
    their Java children killed, temporary files removed). A closed output pipe (``| head``) ends
    the command quietly.
    """
    import signal
    import threading

    from modgraph.limits import terminate_on_sigterm

    parser = build_parser()
    args = parser.parse_args(argv)
    if threading.current_thread() is not threading.main_thread():  # signal handlers: main thread only
        return _run(args)
    previous = signal.getsignal(signal.SIGTERM)
    terminate_on_sigterm()
    try:
        return _run(args)
    finally:
        signal.signal(signal.SIGTERM, previous)  # main() called from Python: leave the caller's handler


def _run(args: argparse.Namespace) -> int:
    from modgraph.limits import Terminated

    try:
        status = args.func(args)
        sys.stdout.flush()  # inside the try: a closed pipe shows up here, not at exit
        return status
    except InputError as exc:
        print(f"modgraph: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except BrokenPipeError:
        _silence_stdout()
        return 141  # as a process killed by SIGPIPE
    except OSError as exc:  # a last resort: every known OS error is already an InputError
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"modgraph: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("modgraph: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("modgraph: terminated", file=sys.stderr)
        return 143


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's flush at exit does not fail on the closed pipe again."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":
    sys.exit(main())
