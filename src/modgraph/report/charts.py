"""Charts as inline SVG, written by this small module (no charting library: a few bar and range
charts need no dependency, and the SVG text is the same on every run).

Every chart is a ``<svg role="img">`` with a ``<title>``; bars carry a ``<title>`` of their own (a
tooltip in the browser) and a ``data-value``, so tests and screen readers can read the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

WERKSOORT_COLOURS = {"AMW": "#1f6fb2", "BMW": "#d9731a"}  # blue and orange: apart for colour-blind readers too
FONT = "font-family:system-ui,'Segoe UI',Roboto,Arial,sans-serif"
LABEL_WIDTH = 390
BAR_AREA = 400
ROW = 22


@dataclass
class Bar:
    """One bar of a grouped bar chart: a category (row), a series (werksoort) and its value."""

    category: str
    series: str
    value: float
    tooltip: str = ""


@dataclass
class Range:
    """One row of a range chart: from ``low`` to ``high`` (``low`` None: only a maximum is stated)."""

    group: str
    label: str
    series: str
    low: float | None
    high: float


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 13, weight: str = "normal",
          fill: str = "#222") -> str:
    return (f'<text x="{x:g}" y="{y:g}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}">{escape(text)}</text>')


def _clip(text: str, limit: int = 58) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _svg(width: float, height: float, title: str, body: list[str], chart: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" data-chart="{escape(chart)}" '
            f'width="{width:g}" height="{height:g}" viewBox="0 0 {width:g} {height:g}" style="{FONT}">'
            f"<title>{escape(title)}</title>" + "".join(body) + "</svg>")


def _legend(series: list[str], y: float) -> list[str]:
    out, x = [], LABEL_WIDTH
    for name in series:
        colour = WERKSOORT_COLOURS.get(name, "#777")
        out.append(f'<rect x="{x}" y="{y - 11}" width="14" height="14" fill="{colour}"/>')
        out.append(_text(x + 20, y, name))
        x += 40 + 9 * len(name)
    return out


def _ticks(maximum: float, y_top: float, y_bottom: float, scale) -> list[str]:
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100) if maximum / s <= 10)
    out, value = [], 0
    while value <= maximum:
        x = LABEL_WIDTH + scale(value)
        out.append(f'<line x1="{x:g}" y1="{y_top:g}" x2="{x:g}" y2="{y_bottom:g}" stroke="#ddd"/>')
        out.append(_text(x, y_bottom + 15, str(value), anchor="middle", size=11, fill="#555"))
        value += step
    return out


def grouped_bars(bars: list[Bar], *, title: str, axis: str, chart: str, series: list[str]) -> str:
    """Horizontal bars, one row per category and one bar per series in it (e.g. AMW and BMW)."""
    categories = list(dict.fromkeys(b.category for b in bars))
    maximum = max([b.value for b in bars] + [1])
    scale = lambda v: v / maximum * BAR_AREA  # noqa: E731
    bar_h = 9 if len(series) > 1 else 14
    group_h = bar_h * len(series) + 8
    top = 30
    body = _legend(series, 16)
    bottom = top + group_h * len(categories)
    body += _ticks(maximum, top - 4, bottom, scale)
    for i, category in enumerate(categories):
        y = top + i * group_h
        if i % 2:
            body.append(f'<rect x="0" y="{y - 2}" width="{LABEL_WIDTH + BAR_AREA + 60}" height="{group_h}" '
                        'fill="#f4f6f8"/>')
        body.append(_text(LABEL_WIDTH - 8, y + group_h / 2 + 2, _clip(category), anchor="end", size=12))
        for j, name in enumerate(series):
            bar = next((b for b in bars if b.category == category and b.series == name), None)
            if bar is None or not bar.value:
                continue
            by = y + j * bar_h + 2
            tip = bar.tooltip or f"{category} – {name}: {bar.value:g}"
            body.append(f'<rect class="bar" data-series="{escape(name)}" data-category="{escape(category)}" '
                        f'data-value="{bar.value:g}" x="{LABEL_WIDTH}" y="{by}" width="{max(scale(bar.value), 2):.1f}" '
                        f'height="{bar_h - 1}" fill="{WERKSOORT_COLOURS.get(name, "#777")}">'
                        f"<title>{escape(tip)}</title></rect>")
            body.append(_text(LABEL_WIDTH + scale(bar.value) + 4, by + bar_h - 2, f"{bar.value:g}", size=10,
                              fill="#333"))
    body.append(_text(LABEL_WIDTH + BAR_AREA / 2, bottom + 32, axis, anchor="middle", size=12, fill="#444"))
    return _svg(LABEL_WIDTH + BAR_AREA + 60, bottom + 42, title, body, chart)


def ranges(items: list[Range], *, title: str, axis: str, chart: str) -> str:
    """Horizontal range bars (minimum to maximum) per row, rows under group headings."""
    maximum = max([r.high for r in items] + [1])
    scale = lambda v: v / maximum * BAR_AREA  # noqa: E731
    top, y = 30, 30
    body = _legend(sorted({r.series for r in items}), 16)
    rows: list[str] = []
    group = None
    for item in items:
        if item.group != group:
            group = item.group
            y += 6
            rows.append(_text(8, y + 13, group, size=12, weight="bold", fill="#333"))
            y += ROW
        colour = WERKSOORT_COLOURS.get(item.series, "#777")
        rows.append(_text(LABEL_WIDTH - 8, y + 14, _clip(item.label), anchor="end", size=12))
        low = item.low if item.low is not None else 0
        x0, x1 = LABEL_WIDTH + scale(low), LABEL_WIDTH + scale(item.high)
        shown = f"{item.low:g}–{item.high:g}" if item.low is not None and item.low != item.high else (
            f"{item.high:g}" if item.low is not None else f"max. {item.high:g}")
        style = f'fill="{colour}"' if item.low is not None else f'fill="{colour}" fill-opacity="0.35" stroke="{colour}"'
        rows.append(f'<rect class="bar" data-series="{escape(item.series)}" data-category="{escape(item.label)}" '
                    f'data-value="{item.high:g}" data-low="{"" if item.low is None else f"{item.low:g}"}" '
                    f'x="{x0:.1f}" y="{y + 4}" width="{max(x1 - x0, 4):.1f}" height="13" rx="3" {style}>'
                    f"<title>{escape(item.label)} ({escape(item.series)}): {shown}</title></rect>")
        rows.append(_text(max(x1, x0 + 4) + 5, y + 15, shown, size=11, fill="#333"))
        y += ROW
    body += _ticks(maximum, top - 4, y, scale) + rows
    body.append(_text(LABEL_WIDTH + BAR_AREA / 2, y + 32, axis, anchor="middle", size=12, fill="#444"))
    return _svg(LABEL_WIDTH + BAR_AREA + 80, y + 42, title, body, chart)
