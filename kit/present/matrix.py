"""Who says who did it, for one incident, as a compact table rather than a chart.

One row per speaker, one column per actor (an incident has few actors and many speakers, so the
table grows down, not across: it fits a phone and an A4 page); a cell is the stance in its colour
and how many independent sources say it (a wire story and its reprints are one), and its tooltip
holds the quotes with outlet and date, each reprint named under its original rather than repeated. A heatmap of
the same cells took about 200 px per incident even for one cell, and plotly.js to draw it.

Example:
    >>> import pandas as pd
    >>> cells = pd.DataFrame({"event_id": ["e"], "actor": ["Israel"], "speaker": ["Hezbollah <b>"], "stance": ["accuses"],
    ...                       "stances": ["accuses"], "n": [3], "n_sources": [2],
    ...                       "quotes": [[("accuses", "IRNA", "2024-07-27", "", "They did it.", (("Mehr", "2024-07-28"),)),
    ...                                   ("accuses", "Al-Manar", "2024-07-27", "", "It was them.", ())]]})
    >>> page = attribution_table(cells, "Rocket attack").data
    >>> "accuses \\u00d72 sources" in page, "reprinted by Mehr, 2024-07-28" in page, "Hezbollah &lt;b&gt;" in page, "<b>" in page
    (True, True, True, False)
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


def _text(value) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _tooltip(quotes: list, head: str = "") -> str:
    """The quotes of a cell, one per original sentence; ``quotes`` from `kit.present.compare.attribution_cells`
    (a sixth item, the (outlet, date) of each reprint, is named under its quote)."""
    lines = [head] if head else []
    for quote in quotes[:MAX_QUOTES]:
        stance, outlet, date, via, sentence = (_text(v) for v in quote[:5])
        line = (f"{stance} \u2014 {outlet or 'Unknown outlet'}, {date or 'date unknown'}" + (f", via {via}" if via else "")
                + f": \u201c{sentence}\u201d")
        reprints = quote[5] if len(quote) > 5 else ()
        if reprints:
            line += "\n    reprinted by " + "; ".join(f"{_text(o) or 'Unknown outlet'}, {_text(d) or 'date unknown'}" for o, d in reprints)
        lines.append(line)
    if len(quotes) > MAX_QUOTES:
        lines.append(f"\u2026 and {len(quotes) - MAX_QUOTES} more")
    return html.escape("\n\n".join(lines), quote=True)


def _counts(cell) -> tuple[str, str]:
    """The cell's count ("×2 sources") and its tooltip's first line ("3 sentences from 2 independent sources")."""
    n = int(cell.n)
    k = int(cell.n_sources) if pd.notna(getattr(cell, "n_sources", None)) else None
    if k is None:  # cells made before sources were grouped: sentences
        return (f" \u00d7{n}" if n > 1 else ""), ""
    first = f"{n} sentences from {k} independent source{'s' if k != 1 else ''}" if n > 1 else ""
    return (f" \u00d7{k} sources" if k > 1 else ""), first


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
            count, first = _counts(cell)
            color = compare.STANCE_COLORS.get(cell.stance, "#4d4d4d")
            tds.append(f'<td class="kit-stance" data-label="{label}" style="background:{color}" '
                       f'title="{_tooltip(cell.quotes, first)}">{html.escape(cell.stance + count)}</td>')
        rows.append(f'<tr><th scope="row" data-label="who says it">{html.escape(str(speaker))}</th>{"".join(tds)}</tr>')
    legend = " ".join(f'<span class="kit-stance-key" style="background:{compare.STANCE_COLORS[s]}">{s}</span>'
                      for s in compare.STANCE_ORDER if s in set(cells["stance"]))
    return HTML(f'<div class="kit-chart-title">Who says who did it: {html.escape(str(title))}</div>'
                f'<div class="kit-table-wrap"><table class="kit-table kit-matrix"><thead><tr><th>who says it</th>{head}'
                f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
                f'<p class="kit-more">Rows: who says it; columns: the actor it is about. \u00d7N: N independent sources (reprints of one report count once). Hover a cell for the sentences. {legend}</p>')
