"""Who says who did it, for one incident, as a compact table rather than a chart.

One row per speaker, one column per actor (an incident has few actors and many speakers, so the
table grows down, not across: it fits a phone and an A4 page); a cell is the stance in its colour
and how many sentences say it, and its tooltip holds the quotes with outlet and date. A heatmap of
the same cells took about 200 px per incident even for one cell, and plotly.js to draw it.

Example:
    >>> import pandas as pd
    >>> cells = pd.DataFrame({"event_id": ["e"], "actor": ["Israel"], "speaker": ["Hezbollah <b>"], "stance": ["accuses"],
    ...                       "stances": ["accuses"], "n": [2], "quotes": [[("accuses", "IRNA", "2024-07-27", "", "They did it.")]]})
    >>> page = attribution_table(cells, "Rocket attack").data
    >>> "accuses \\u00d72" in page, "Hezbollah &lt;b&gt;" in page, "<b>" in page
    (True, True, False)
"""
from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML

from . import compare
from .show import nothing_yet

MAX_QUOTES = 4  # quotes in a cell's tooltip


def _actor(name) -> str:
    return "nobody named" if name == "unknown" else str(name)


def _tooltip(quotes: list) -> str:
    lines = [f"{stance} \u2014 {outlet or 'Unknown outlet'}, {date or 'date unknown'}" + (f", via {via}" if via else "")
             + f": \u201c{sentence}\u201d" for stance, outlet, date, via, sentence in
             [tuple("" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v) for v in q) for q in quotes[:MAX_QUOTES]]]
    if len(quotes) > MAX_QUOTES:
        lines.append(f"\u2026 and {len(quotes) - MAX_QUOTES} more")
    return html.escape("\n\n".join(lines), quote=True)


def attribution_table(cells: pd.DataFrame, title: str) -> HTML:
    """The table for one incident; ``cells`` is `kit.present.compare.attribution_cells` for it."""
    if cells is None or not len(cells):
        return nothing_yet("No attribution claims for this incident yet.")
    actors = list(dict.fromkeys(cells["actor"]))
    speakers = list(dict.fromkeys(cells["speaker"]))
    by_cell = {(r.speaker, r.actor): r for r in cells.itertuples()}
    head = "".join(f"<th>{html.escape(_actor(a))}</th>" for a in actors)
    rows = []
    for speaker in speakers:
        tds = []
        for actor in actors:
            label = html.escape(_actor(actor))
            cell = by_cell.get((speaker, actor))
            if cell is None:
                tds.append(f'<td data-label="{label}"></td>')
                continue
            text = cell.stance + (f" \u00d7{cell.n}" if cell.n > 1 else "")
            color = compare.STANCE_COLORS.get(cell.stance, "#4d4d4d")
            tds.append(f'<td class="kit-stance" data-label="{label}" style="background:{color}" '
                       f'title="{_tooltip(cell.quotes)}">{html.escape(text)}</td>')
        rows.append(f'<tr><th scope="row" data-label="who says it">{html.escape(str(speaker))}</th>{"".join(tds)}</tr>')
    legend = " ".join(f'<span class="kit-stance-key" style="background:{compare.STANCE_COLORS[s]}">{s}</span>'
                      for s in compare.STANCE_ORDER if s in set(cells["stance"]))
    return HTML(f'<div class="kit-chart-title">Who says who did it: {html.escape(str(title))}</div>'
                f'<div class="kit-table-wrap"><table class="kit-table kit-matrix"><thead><tr><th>who says it</th>{head}'
                f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
                f'<p class="kit-more">Rows: who says it; columns: the actor it is about. Hover a cell for the sentences. {legend}</p>')
