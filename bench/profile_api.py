"""One API request profiled in-process, from the ASGI app to the response.

    python -m bench.profile_api --services 100000 --query "category+QPV"

The whole app (middleware, dependencies, route, search, statistics, JSON) runs
in this process through ``httpx.ASGITransport``; what the server would run in
its thread pool runs inline, so cProfile sees every call. Prints the CPU time
(``time.process_time``, which other processes on the machine barely change)
per request through the app next to ``search()`` alone, then the profile's
heaviest functions. Not a test: it measures.
"""

from __future__ import annotations

import asyncio
import cProfile
import os
import pstats
import time
from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

import typer

app = typer.Typer(add_completion=False)


def _inline_threadpool() -> None:
    """Sync routes and dependencies run in the calling thread (profiled)."""
    import anyio.to_thread
    import starlette.concurrency

    async def run_sync(func: Callable[..., Any], *args: Any, **_: Any) -> Any:
        return func(*args)

    async def run_in_threadpool(func: Callable[..., Any], *args: Any, **kw: Any) -> Any:
        return func(*args, **kw)

    anyio.to_thread.run_sync = run_sync  # type: ignore[assignment]
    starlette.concurrency.run_in_threadpool = run_in_threadpool  # type: ignore[assignment]
    import fastapi.dependencies.utils as deps
    import fastapi.routing as routing

    deps.run_in_threadpool = run_in_threadpool  # type: ignore[attr-defined]
    routing.run_in_threadpool = run_in_threadpool  # type: ignore[attr-defined]


def cpu_ms(call: Callable[[], Any], repeat: int) -> float:
    """Median CPU milliseconds of ``call``."""
    samples = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        samples.append((time.process_time() - started) * 1000)
    samples.sort()
    return samples[len(samples) // 2]


@app.command()
def main(
    services: int = 100_000,
    backend: Annotated[str, typer.Option(help="sqlite or postgres")] = "sqlite",
    query: Annotated[str, typer.Option(help="a name in bench.search.QUERIES")] = "",
    repeat: int = 20,
    top: Annotated[int, typer.Option(help="profile lines, 0 = none")] = 25,
    cache: bool = False,
) -> None:
    from bench.search import PG_URL, QUERIES, database_url

    url = database_url(backend, services, PG_URL, 0)
    os.environ["REPERES_DATABASE_URL"] = os.environ["DATABASE_URL"] = url
    os.environ["REPERES_SEARCH_CACHE_SECONDS"] = "30" if cache else "0"
    _inline_threadpool()
    import httpx
    from sqlmodel import Session

    from api import db
    from api.main import create_app
    from api.routes.http import now_paris
    from api.services.search.engine import search
    from bench.inproc import filters_of

    asgi = create_app()
    engine = db.get_engine()
    names = [query] if query else list(QUERIES)
    loop = asyncio.new_event_loop()
    transport = httpx.ASGITransport(app=asgi)
    client = httpx.AsyncClient(transport=transport, base_url="http://bench")
    for name in names:
        params = QUERIES[name]
        path = f"/api/v1/services?{urlencode(params)}"

        def request(path: str = path) -> None:
            response = loop.run_until_complete(client.get(path))
            assert response.status_code == 200, response.text[:300]

        def engine_only(params: dict[str, Any] = params) -> None:
            with Session(engine) as session:
                search(session, filters_of(params), now_paris())

        request()
        engine_only()
        api_ms, search_ms = cpu_ms(request, repeat), cpu_ms(engine_only, repeat)
        print(
            f"{name}: CPU per request {api_ms:.1f} ms through the app, "
            f"{search_ms:.1f} ms in search() (load {os.getloadavg()[0]:.1f})"
        )
        if top:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(5):
                request()
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(top)
    loop.run_until_complete(client.aclose())


if __name__ == "__main__":
    app()
