"""`modgraph serve`: the catalogue as a linked-data service on one port.

A small front server (:mod:`.app`, Starlette on uvicorn) in front of the Oxigraph server
(:mod:`.backend`, `oxigraph serve-read-only` on a private 127.0.0.1 port over the on-disk store):

- :mod:`.sparql` — `/sparql`, the SPARQL 1.1 Protocol: checks the request (read-only, ``SERVICE``,
  size), forwards it, buffers the answer (a timed-out query becomes 503) and enforces the row cap;
- :mod:`.api` — `/api`, the named queries as GET operations and their OpenAPI document;
- :mod:`.pages` — `/id/…` and `/def`, every catalogue and ontology IRI as a web page or RDF;
- :mod:`.ui` — `/` (YASGUI with the named queries) and `/search`;
- :mod:`.negotiation` (Accept with q-values), :mod:`.description` (the service description),
  :mod:`.run` (the command: store, backend, front).
"""
