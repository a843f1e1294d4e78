"""The small parts of `modgraph serve` on their own: content negotiation, row counting, the answer cache,
the request parsing (issue 18). The whole server is tested over HTTP in tests/test_serve.py."""

from __future__ import annotations

import socket
import subprocess

import pytest

from conftest import modgraph_command
from modgraph.serve.cache import AnswerCache
from modgraph.serve.negotiation import choose
from modgraph.serve.sparql import Problem, check_query, count_rows, parse_request

RESULTS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv"]


@pytest.mark.parametrize("accept, chosen", [
    (None, "application/sparql-results+json"),
    ("", "application/sparql-results+json"),
    ("text/csv", "text/csv"),
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("text/*;q=0.9, application/*;q=0.1", "text/csv"),
    ("*/*;q=0.1, text/csv;q=0", "application/sparql-results+json"),  # the specific range refuses csv
    ("application/sparql-results+xml;q=0.5, */*;q=0.5", "application/sparql-results+json"),  # tie: server order
    ("image/png", None),
    ("text/csv;q=abc", None),
])
def test_the_preferred_offer_by_q_value_specificity_and_server_order(accept, chosen):
    assert choose(accept, RESULTS) == chosen


def test_rows_are_counted_in_every_answer_format():
    assert count_rows(b'{"head":{"vars":["a"]},"results":{"bindings":[{},{}]}}', "application/sparql-results+json") == 2
    assert count_rows(b'{"head":{},"boolean":true}', "application/sparql-results+json") == 0
    assert count_rows(b'a,b\r\n"x\r\ny",1\r\nz,2\r\n', "text/csv; charset=utf-8") == 2  # a line break in a value
    assert count_rows(b"?a\n<x>\n<y>\n", "text/tab-separated-values") == 2
    xml = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="a"/>'
           b'</head><results><result><binding name="a"><literal>x</literal></binding></result></results></sparql>')
    assert count_rows(xml, "application/sparql-results+xml") == 1
    assert count_rows(b"<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> <urn:d> .\n", "application/n-triples") == 2
    assert count_rows(b"<urn:a> <urn:b> <urn:c>, <urn:d>, <urn:e> .", "text/turtle") == 3


def test_the_cache_keeps_answers_within_its_bytes_least_recently_used_out_first():
    cache = AnswerCache(capacity=160)
    cache.put(("a",), b"x" * 10, "text/plain")
    cache.put(("big",), b"x" * 11, "text/plain")  # over a sixteenth of the capacity: not kept
    assert cache.get(("a",)) == (b"x" * 10, "text/plain") and cache.get(("big",)) is None
    for name in "bcdefghijklmnopq":
        cache.get(("a",))  # used again: stays
        cache.put((name,), b"y" * 10, "text/plain")
    assert cache.size <= 160 and cache.get(("a",)) is not None and cache.get(("b",)) is None
    assert AnswerCache(capacity=0).get(("a",)) is None


@pytest.mark.parametrize("method, media, query, body, status", [
    ("POST", "text/plain", "", b"SELECT * {}", 415),
    ("POST", "application/sparql-update", "", b"CLEAR ALL", 403),
    ("POST", "application/x-www-form-urlencoded", "", b"update=CLEAR+ALL", 403),
    ("GET", "", "query=ASK{}&query=ASK{}", b"", 400),
    ("POST", "application/sparql-query", "", b"\xff\xfe", 400),
])
def test_bad_protocol_requests_are_refused(method, media, query, body, status):
    with pytest.raises(Problem) as refused:
        parse_request(method, media, query, body)
    assert refused.value.status == status


@pytest.mark.parametrize("text, status", [
    ("PREFIX a: <urn:a> DELETE WHERE { ?s ?p ?o }", 403),
    ("with <urn:g> insert { <urn:a> <urn:b> <urn:c> } where {}", 403),
    ("SELECT * WHERE { service <http://127.0.0.1:9/> { ?s ?p ?o } }", 400),
    ("   ", 400),
])
def test_updates_service_and_empty_queries_are_refused_before_evaluation(text, status):
    with pytest.raises(Problem) as refused:
        check_query(text)
    assert refused.value.status == status


def test_words_of_updates_inside_a_query_are_not_updates():
    check_query('PREFIX ex: <urn:ex:> SELECT ?delete WHERE { ?delete ex:insert "DROP" }')


def test_serve_refuses_a_port_in_use_with_one_line():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([*modgraph_command(), "serve", "--port", str(port)], capture_output=True, text=True,
                              timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("modgraph: error: --port:") and str(port) in done.stderr
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


@pytest.mark.parametrize("args", [["--port", "70000"], ["--max-rows", "0"], ["--timeout", "soon"],
                                  ["--engine", "rdflib"]])
def test_serve_refuses_bad_options(args):
    done = subprocess.run([*modgraph_command(), "serve", *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
