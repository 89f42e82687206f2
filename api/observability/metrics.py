"""Prometheus metrics at /metrics, when REPERES_METRICS_ENABLED is set.

Labels are route templates (``/api/v1/services/{service_id}``), methods and
status codes only: never an address, a query string or what was searched for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fastapi import FastAPI
from prometheus_client import CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from prometheus_fastapi_instrumentator import Instrumentator, metrics, routing
from prometheus_fastapi_instrumentator.middleware import (
    PrometheusInstrumentatorMiddleware,
)
from sqlalchemy import Engine
from sqlalchemy.pool import QueuePool
from starlette.middleware import Middleware
from starlette.requests import Request

# The routes that run a search: their latency is what residents wait for.
SEARCH_ROUTES = frozenset(
    {
        "/api/v1/services",
        "/api/v1/services.geojson",
        "/{lang}/services",
        "/hsds/services",
    }
)
# Probes and the scraper itself would only add noise.
EXCLUDED = ["/metrics", "/healthz", "/readyz", "/static"]


class RouteTemplatesOnly(PrometheusInstrumentatorMiddleware):
    """Labels are route templates, or "none". The instrumentator labels a path
    that only a trailing-slash redirect matches (``/wp-login.php`` against
    ``/{lang}/``) with the path itself: a scanner would then choose labels."""

    def _get_handler(self, request: Request) -> tuple[str, bool]:
        # The library's matcher without that fallback (pinned version).
        template = routing._get_route_name(request.scope, request.app.routes)
        return (template, True) if template else (request.url.path, False)


class PoolCollector(Collector):
    """The database connection pool as it is at scrape time."""

    def __init__(self, engine: Callable[[], Engine]) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily]:
        pool = self.engine().pool
        if not isinstance(pool, QueuePool):  # e.g. SQLite in memory: no pool
            return
        figures = {
            "size": ("Connections the pool keeps", pool.size()),
            "checked_out": ("Connections in use", pool.checkedout()),
            "checked_in": ("Idle connections in the pool", pool.checkedin()),
            "overflow": ("Connections beyond the pool size", max(pool.overflow(), 0)),
        }
        for name, (doc, value) in figures.items():
            yield GaugeMetricFamily(f"reperes_db_pool_{name}", doc, value=value)


def search_latency(registry: CollectorRegistry) -> Callable[[metrics.Info], None]:
    histogram = Histogram(
        "reperes_search_duration_seconds",
        "Time to answer a search, by route",
        ["handler"],
        buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
        registry=registry,
    )

    def instrumentation(info: metrics.Info) -> None:
        if info.modified_handler in SEARCH_ROUTES:
            histogram.labels(info.modified_handler).observe(info.modified_duration)

    return instrumentation


def add_metrics(app: FastAPI, engine: Callable[[], Engine]) -> CollectorRegistry:
    """Count and time every request by route; expose them at /metrics."""
    # One registry per app: tests build several apps in one process.
    registry = CollectorRegistry()
    instrumentator = Instrumentator(
        should_group_status_codes=False,
        # Unknown paths (scanners) all count as one "none" route.
        should_group_untemplated=True,
        excluded_handlers=EXCLUDED,
        registry=registry,
    )
    instrumentator.add(metrics.requests(registry=registry))
    instrumentator.add(metrics.latency(registry=registry))
    instrumentator.add(search_latency(registry))
    registry.register(PoolCollector(engine))
    instrumentator.instrument(app).expose(app, include_in_schema=False)
    added = app.user_middleware[0]
    assert added.cls is PrometheusInstrumentatorMiddleware
    app.user_middleware[0] = Middleware(RouteTemplatesOnly, *added.args, **added.kwargs)
    return registry
