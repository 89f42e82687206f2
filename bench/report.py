"""The table people read, and the verdicts against the issue's targets."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

TEXT_NEAR_TARGET_MS = 50.0
RATIO_TARGET = 2.0


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
    for line in verdicts(report):
        console.print(line)
    if report.get("page_weights"):
        console.print("page weights:", report["page_weights"])


def verdicts(report: dict[str, Any]) -> list[str]:
    lines = []
    for row in report["queries"]:
        r = ratio(row)
        if r is not None:
            ok = r <= RATIO_TARGET
            lines.append(
                f"{'met' if ok else 'MISSED'}: {row['query']} API p95 ≤ "
                f"{RATIO_TARGET:g}× SQL p95 ({r:.1f}×)"
            )
        if row["query"] == "text+near":
            p95 = row["api"]["p95"]
            ok = p95 is not None and p95 <= TEXT_NEAR_TARGET_MS
            lines.append(
                f"{'met' if ok else 'MISSED'}: text+near API p95 ≤ "
                f"{TEXT_NEAR_TARGET_MS:g} ms ({ms(p95)} ms)"
            )
    return lines


def target_missed(row: dict[str, Any]) -> bool:
    p95, r = row["api"]["p95"], ratio(row)
    if row["query"] == "text+near" and (p95 is None or p95 > TEXT_NEAR_TARGET_MS):
        return True
    return r is None or r > RATIO_TARGET
