"""Accessible bar charts drawn on the server as SVG: ``role="img"``, a
``<title>`` and a ``<desc>`` listing every value, and each value written next
to its bar. A masked count (« < 5 ») gets no bar: its length would tell it.
Colours come from the stylesheet (classes), so no inline style is needed."""

from __future__ import annotations

from markupsafe import Markup, escape

from api.services.outreach.indicators import Table

WIDTH = 320
ROW = 34
BAR = 12


def bar_chart(table: Table, chart_id: str, rtl: bool = False) -> Markup:
    rows = table.rows
    height = ROW * len(rows) + 4
    largest = max((r.value for r in rows if not r.masked), default=0) or 1
    usable = WIDTH - 60
    description = "; ".join(f"{r.label} : {r.shown}" for r in rows)
    parts = [
        # Physical anchors: "end" is the right edge in both directions (the
        # page's dir="rtl" would otherwise flip them off the drawing).
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'direction="ltr" '
        f'viewBox="0 0 {WIDTH} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(table.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    anchor, start = ("end", WIDTH) if rtl else ("start", 0)
    for index, row in enumerate(rows):
        top = index * ROW
        length = 0 if row.masked else round(usable * row.value / largest)
        bar_x = WIDTH - length if rtl else 0
        value_x = WIDTH - length - 4 if rtl else length + 4
        parts += [
            f'<text class="chart-label" x="{start}" y="{top + 12}" '
            f'text-anchor="{anchor}">{escape(row.label)}</text>',
            f'<rect class="chart-bar" x="{bar_x}" y="{top + 17}" '
            f'width="{length}" height="{BAR}" fill="#1d5c8c"/>',
            f'<text class="chart-value" x="{value_x}" y="{top + 28}" '
            f'text-anchor="{anchor}">{escape(row.shown)}</text>',
        ]
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text is escaped above
