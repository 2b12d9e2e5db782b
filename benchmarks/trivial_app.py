"""The ceiling for a Python endpoint on this machine: one Starlette route that answers a fixed
SPARQL JSON body, run by uvicorn with the settings `mclinks serve` uses. `make bench` measures
it in the same run as the real servers, so "cached" figures can be read against it.

    python -m benchmarks.trivial_app PORT
"""
from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

BODY = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://example.org/s"}}]}}'


async def answer(_request: Request) -> Response:
    return Response(BODY, media_type="application/sparql-results+json")


app = Starlette(routes=[Route("/sparql", answer, methods=["GET", "POST"])])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False,
                timeout_keep_alive=5, limit_concurrency=256)
