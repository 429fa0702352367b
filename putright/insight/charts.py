"""Charts drawn on the server as SVG, so that the dashboard and the PDFs show the same picture.

Each chart comes with the table of its numbers, which the page prints straight after it (for screen
readers, and for anyone who would rather read figures). Nothing is told by colour alone: every bar
carries its value as text, and series are told apart by pattern and named in a legend as well.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 680
TEXT = "#0b0c0c"
SECONDARY = "#505a5f"
GRID = "#b1b4b6"
# A presentation attribute rather than a style attribute: the Content-Security-Policy refuses inline styles.
FONT = "Arial, 'Liberation Sans', Helvetica, sans-serif"
# One fill per series: solid blue, black diagonal hatching, black dots: told apart without colour.
FILLS = ("#1d70b8", "url(#{id}-p1)", "url(#{id}-p2)")
PATTERNS = (
    "",  # the first series is solid
    '<pattern id="{id}-p1" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
    '<rect width="6" height="6" fill="#ffffff"/><rect width="3" height="6" fill="#0b0c0c"/></pattern>',
    '<pattern id="{id}-p2" width="6" height="6" patternUnits="userSpaceOnUse">'
    '<rect width="6" height="6" fill="#f3f2f1"/><circle cx="3" cy="3" r="1.6" fill="#0b0c0c"/></pattern>',
)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Chart:
    id: str
    title: str
    description: str
    svg: SafeString
    table: Table
    notes: list[str] = field(default_factory=list)


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "–"
    whole = isinstance(value, int) or (value.is_integer() and unit != "%")
    text = f"{value:,.0f}" if whole else f"{value:,.1f}"
    return text + unit


def _short(value: float | None, unit: str) -> str:
    """A bar's own label: whole numbers without a decimal point, so that labels fit above their bars."""
    if value is None:
        return "–"
    return (f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}") + unit


def _scale_top(largest: float, percent: bool) -> float:
    """The top of the value axis: 100 for percentages, else four equal steps of a round size."""
    if percent:
        return 100.0
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if largest <= step * 4:
                return float(step * 4)
        magnitude *= 10


def _text(
    x: float,
    y: float,
    content: str,
    *,
    anchor: str = "middle",
    size: int = 12,
    fill: str = TEXT,
    weight: str = "normal",
    extra: str = "",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}" '
        f'font-weight="{weight}" font-family="{FONT}"{extra}>{escape(content)}</text>'
    )


def _frame(chart_id: str, title: str, description: str, height: int, body: list[str], series_count: int) -> SafeString:
    patterns = "".join(PATTERNS[i].format(id=chart_id) for i in range(1, min(len(PATTERNS), series_count)))
    return mark_safe(  # noqa: S308 - every piece of text in `body` was escaped as it was drawn
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'class="putright-chart" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f"<defs>{patterns}</defs>" + "".join(body) + "</svg>"
    )


def _legend(chart_id: str, series: Sequence[Series], y: float) -> list[str]:
    body, x = [], 60.0
    for i, one in enumerate(series):
        body.append(
            f'<rect x="{x:.1f}" y="{y - 11:.1f}" width="14" height="14" fill="{FILLS[i].format(id=chart_id)}" '
            f'stroke="{TEXT}" stroke-width="1"/>'
        )
        body.append(_text(x + 20, y, one.name, anchor="start"))
        x += 34 + 7.2 * len(one.name)
    return body


def column_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    percent: bool = False,
    description: str = "",
    first_header: str = "",
) -> Chart:
    """Vertical bars, one group per category and one bar per series, each labelled with its value."""
    rotate = len(categories) > 8
    legend = 26 if len(series) > 1 else 0
    height, top, bottom, left, right = (
        300 + legend + (20 if rotate else 0),
        40,
        50 + legend + (20 if rotate else 0),
        50,
        16,
    )
    plot_h = height - top - bottom
    values = [v for one in series for v in one.values if v is not None]
    scale = _scale_top(max(values, default=0), percent)
    body = []
    for tick in range(5):
        tick_value = scale * tick / 4
        y = top + plot_h - plot_h * tick / 4
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 6, y + 4, _number(tick_value, unit), anchor="end", size=11, fill=SECONDARY))
    group_w = (WIDTH - left - right) / max(1, len(categories))
    bar_w = min(40.0, group_w * 0.8 / max(1, len(series)))
    for c, category in enumerate(categories):
        group_x = left + c * group_w + (group_w - bar_w * len(series)) / 2
        for s, one in enumerate(series):
            value = one.values[c]
            x = group_x + s * bar_w
            h = 0.0 if value is None or scale == 0 else plot_h * value / scale
            y = top + plot_h - h
            label = f"{one.name}, {category}: {_number(value, unit)}"
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" '
                f'fill="{FILLS[s % 3].format(id=chart_id)}" stroke="{TEXT}" stroke-width="0.8">'
                f"<title>{escape(label)}</title></rect>"
            )
            shown = _short(value, unit)
            middle = x + (bar_w - 2) / 2
            if len(shown) * 5.6 > bar_w:  # too wide to sit above a narrow bar: stand it on end
                turn = f' transform="rotate(-90 {middle + 3:.1f} {y - 4:.1f})"'
                body.append(_text(middle + 3, y - 4, shown, anchor="start", size=10, extra=turn))
            else:
                body.append(_text(middle, y - 4, shown, size=10))
        cx = left + c * group_w + group_w / 2
        if rotate:
            body.append(
                _text(
                    cx,
                    top + plot_h + 14,
                    category,
                    anchor="end",
                    size=11,
                    extra=f' transform="rotate(-35 {cx:.1f} {top + plot_h + 14:.1f})"',
                )
            )
        else:
            body.append(_text(cx, top + plot_h + 16, category, size=11))
    body.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="{TEXT}"/>')
    if len(series) > 1:
        body += _legend(chart_id, series, height - 10)
    description = description or f"{title}, by {first_header.lower() or 'category'}."
    table = Table(
        title,
        [first_header or "", *[one.name for one in series]],
        [[category, *[_number(one.values[c], unit) for one in series]] for c, category in enumerate(categories)],
    )
    return Chart(chart_id, title, description, _frame(chart_id, title, description, height, body, len(series)), table)


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, float | None]],
    *,
    unit: str = "",
    value_header: str = "Number",
    first_header: str = "",
    description: str = "",
) -> Chart:
    """Horizontal bars for a breakdown (service areas, channels, grounds), labelled with their values."""
    row_h, top, left, right = 26, 10, 230, 70
    height = top * 2 + row_h * max(1, len(rows))
    values = [v for _, v in rows if v is not None]
    scale = max(values, default=0) or 1
    body = []
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        w = 0.0 if value is None else (WIDTH - left - right) * value / scale
        shown = label if len(label) <= 34 else label[:33] + "…"
        body.append(_text(left - 8, y + row_h / 2 + 4, shown, anchor="end", size=12))
        body.append(
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}" fill="{FILLS[0].format(id=chart_id)}">'
            f"<title>{escape(f'{label}: {_number(value, unit)}')}</title></rect>"
        )
        body.append(_text(left + w + 6, y + row_h / 2 + 4, _number(value, unit), anchor="start", size=12))
    if not rows:
        body.append(_text(WIDTH / 2, top + row_h / 2 + 4, "None in this period", size=12, fill=SECONDARY))
    description = description or f"{title}."
    table = Table(title, [first_header, value_header], [[label, _number(value, unit)] for label, value in rows])
    return Chart(chart_id, title, description, _frame(chart_id, title, description, height, body, 1), table)
