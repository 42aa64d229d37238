"""Charts of the published figures as SVG, drawn on the server by pygal.

Only published values are drawn (a hidden cell is a gap, never its true value). The SVG
carries its own styles and no script; pages show it through ``<img>``, so the page's CSP
stays strict, and each chart sits beside a table with the same numbers for screen readers.
"""

from __future__ import annotations

import re

import pygal
from django.utils.translation import gettext as _
from pygal.style import Style

from motverka.reporting.selectors import Table

_STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1b1b1b",
    foreground_strong="#1b1b1b",
    foreground_subtle="#595959",
    colors=("#1f5f8b", "#b35c00", "#2e7d32", "#6a1b9a", "#455a64"),
    font_family="DejaVu Sans, sans-serif",
)


def _config(chart: pygal.Graph, title: str) -> pygal.Graph:
    chart.title = title
    chart.js = []  # no script: the chart is an image
    chart.disable_xml_declaration = False
    chart.print_values = False
    chart.legend_at_bottom = True
    return chart


_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _render(chart: pygal.Graph) -> str:
    # pygal writes its settings into an inline script for its tooltips; an image has none.
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def years_chart(table: Table) -> str:
    """Cases per year by status (a line per status, and the total)."""
    chart = _config(
        pygal.Line(style=_STYLE, width=800, height=400, show_dots=True), _("Ärenden per år")
    )
    chart.x_labels = [row.label for row in table.rows]
    for index, column in enumerate(table.columns):
        chart.add(column, [row.cells[index].value for row in table.rows], allow_interruptions=True)
    return _render(chart)


def municipalities_chart(table: Table, limit: int = 10) -> str:
    """The main sending municipalities of the period (published counts only)."""
    rows = sorted(
        (row for row in table.rows if row.key is not None and row.cells[0].value),
        key=lambda row: -(row.cells[0].value or 0),
    )[:limit]
    chart = _config(
        pygal.HorizontalBar(style=_STYLE, width=800, height=60 + 36 * max(len(rows), 1)),
        _("De vanligaste avsändande kommunerna"),
    )
    chart.show_legend = False
    chart.x_labels = [row.label for row in reversed(rows)]
    chart.add(_("Ärenden"), [row.cells[0].value for row in reversed(rows)])
    return _render(chart)
