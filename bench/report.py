"""The table people read, and the verdicts against the issue's targets."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

TEXT_NEAR_TARGET_MS = 50.0  # SQLite
EVERY_QUERY_MS = {"sqlite": 150.0, "postgres": 300.0}
RATIO_TARGET = 2.0  # informational: API p95 over SQL p95
DATASETTE_TARGET = 2.0  # our throughput over datasette's
MAP_GZIP_BYTES = 300_000
MAP_DRAW_MS = 2_000.0


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:,.1f}"


def ratio(row: dict[str, Any]) -> float | None:
    api, sql = row["api"]["p95"], row["sql"]["p95"]
    return api / sql if api is not None and sql else None


def show(report: dict[str, Any], console: Console) -> None:
    data, cfg = report["dataset"], report["config"]
    table = Table(
        title=f"{report['backend']}: {data['services']:,} services, "
        f"{data['places']:,} places, {data['permanences']:,} permanences; "
        f"{cfg['concurrency']} clients, {cfg['workers']} uvicorn worker(s)",
        caption="ms; API = real HTTP under load; SQL = the engine's SQL alone, "
        "in-process; search() = the whole engine call alone, in-process",
    )
    columns = ["query", "API p50", "p95", "p99", "req/s", "SQL p50", "SQL p95"]
    columns += ["p95 API/SQL", "search() p95", "total", "ok/sent"]
    for column in columns:
        table.add_column(column, justify="left" if column == "query" else "right")
    for row in report["queries"]:
        api, sql, engine = row["api"], row["sql"], row["search"]
        r = ratio(row)
        table.add_row(
            row["query"],
            ms(api["p50"]),
            ms(api["p95"]),
            ms(api["p99"]),
            f"{api['per_second']:.1f}",
            ms(sql["p50"]),
            ms(sql["p95"]) if "error" not in sql else "timeout",
            "-" if r is None else f"{r:.1f}×",
            ms(engine["p95"]) if "error" not in engine else "timeout",
            f"{row['total']:,}" if isinstance(row["total"], int) else "?",
            f"{api['count'] - api['errors']}/{api['count']}"
            + (" (time cut)" if api["cut_short"] else ""),
        )
    bare = report["bare"]
    table.add_row(
        "bare FastAPI",
        ms(bare["p50"]),
        ms(bare["p95"]),
        ms(bare["p99"]),
        f"{bare['per_second']:.1f}",
        *["-"] * 5,
        f"{bare['count'] - bare['errors']}/{bare['count']}",
    )
    console.print(table)
    if report.get("datasette"):
        show_datasette(report["datasette"], console)
    for line in verdicts(report):
        console.print(line)
    if report.get("map_draw"):
        console.print("map draw:", report["map_draw"])
    if report.get("page_weights"):
        console.print("page weights:", report["page_weights"])


def verdicts(report: dict[str, Any]) -> list[str]:
    lines = []
    limit = EVERY_QUERY_MS[report["backend"]]

    def say(ok: bool, text: str) -> None:
        lines.append(f"{'met' if ok else 'MISSED'}: {text}")

    for row in report["queries"]:
        p95 = row["api"]["p95"]
        # A failed request is no answer, however fast: any error misses.
        answered = p95 is not None and not (
            row["api"]["errors"] or row["api"]["timeouts"]
        )
        failed = "" if answered else f", {row['api']['errors']} errors"
        say(
            answered and p95 <= limit,
            f"{row['query']} API p95 ≤ {limit:g} ms ({ms(p95)} ms{failed})",
        )
        if row["query"] == "text+near" and report["backend"] == "sqlite":
            ok = answered and p95 <= TEXT_NEAR_TARGET_MS
            say(ok, f"text+near API p95 ≤ {TEXT_NEAR_TARGET_MS:g} ms ({ms(p95)} ms)")
    for row in report.get("datasette", []):
        if "error" in row:
            lines.append(f"datasette {row['query']}: {row['error'][:120]}")
            continue
        r = row["throughput_ratio"]
        say(
            r is not None and r >= DATASETTE_TARGET,
            f"{row['query']} throughput ≥ {DATASETTE_TARGET:g}× datasette's "
            f"({'-' if r is None else f'{r:.1f}'}×)",
        )
    weights = report.get("page_weights", {})
    if "broad_map_geojson_bytes_gzip" in weights:
        size = weights["broad_map_geojson_bytes_gzip"]
        say(size <= MAP_GZIP_BYTES, f"broad map payload ≤ 300 KB gzip ({size:,} B)")
    draw = report.get("map_draw", {})
    if draw.get("first_clusters_ms") is not None:
        took = draw["first_clusters_ms"]
        say(took < MAP_DRAW_MS, f"first clusters drawn < 2 s ({took:,.0f} ms)")
    return lines


def show_datasette(rows: list[dict[str, Any]], console: Console) -> None:
    table = Table(
        title="Side by side with datasette (same file, immutable; interleaved)",
        caption="ms under the same concurrency; ratio = our req/s ÷ datasette's",
    )
    for column in ["query", "Repères p50", "p95", "req/s", "datasette p50", "p95"]:
        table.add_column(column, justify="left" if column == "query" else "right")
    table.add_column("req/s", justify="right")
    table.add_column("ratio", justify="right")
    for row in rows:
        if "error" in row:
            continue
        ours, theirs = row["reperes"], row["datasette"]
        r = row["throughput_ratio"]
        table.add_row(
            row["query"],
            ms(ours["p50"]),
            ms(ours["p95"]),
            f"{ours['per_second']:.1f}",
            ms(theirs["p50"]),
            ms(theirs["p95"]),
            f"{theirs['per_second']:.1f}",
            "-" if r is None else f"{r:.1f}×",
        )
    console.print(table)


def target_missed(row: dict[str, Any], backend: str) -> bool:
    p95 = row["api"]["p95"]
    if row["api"]["errors"] or row["api"]["timeouts"]:
        return True
    if p95 is None or p95 > EVERY_QUERY_MS[backend]:
        return True
    near = row["query"] == "text+near" and backend == "sqlite"
    return near and p95 > TEXT_NEAR_TARGET_MS
