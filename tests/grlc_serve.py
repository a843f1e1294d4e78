"""Serve one folder of named queries with grlc, on 127.0.0.1 only.

``grlc-server`` binds every interface (0.0.0.0) and reads ``config.ini`` from the working directory,
so this launcher writes that file into a temporary folder, moves there, and runs grlc's Flask app on
the loopback interface. Run it with the interpreter that has grlc (``.venv-grlc``, made by
``scripts/test``)::

    .venv-grlc/bin/python tests/grlc_serve.py QUERY_FOLDER SPARQL_ENDPOINT PORT

grlc does not read subfolders: serve ``queries/qc`` with a second launcher on another port.
The API is then at ``http://127.0.0.1:PORT/api-local/`` (``/api-local/swagger`` describes it).
"""

from __future__ import annotations

import os
import sys
import tempfile
from configparser import ConfigParser
from pathlib import Path


def write_config(folder: Path, queries: Path, endpoint: str) -> Path:
    """grlc's ``config.ini``: the SPARQL endpoint and the local folder of queries."""
    config = ConfigParser()
    config["defaults"] = {"sparql_endpoint": endpoint, "debug": "False"}
    config["local"] = {"local_sparql_dir": str(queries.resolve())}
    path = folder / "config.ini"
    with path.open("w", encoding="utf-8") as handle:
        config.write(handle)
    return path


def main(argv: list[str]) -> int:
    """Serve ``QUERY_FOLDER`` through grlc on 127.0.0.1:``PORT`` until interrupted."""
    if len(argv) != 3 or not argv[2].isdigit():
        print("usage: grlc_serve.py QUERY_FOLDER SPARQL_ENDPOINT PORT", file=sys.stderr)
        return 2
    queries, endpoint, port = Path(argv[0]), argv[1], int(argv[2])
    if not queries.is_dir():
        print(f"grlc_serve.py: {queries}: not a folder", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="grlc-") as folder:
        write_config(Path(folder), queries, endpoint)
        os.chdir(folder)  # grlc.static reads ./config.ini when it is first imported
        from grlc.server import app

        app.run(host="127.0.0.1", port=port, threaded=True, use_reloader=False)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
