"""Interactive plotly charts of the claims: casualty ranges, toll over time, blame, ACH.

(Who says who did it, per incident, is a table: `kit.present.matrix`.)

Each function takes the frames from `kit.present.compare` and returns a ``plotly.graph_objects.Figure``;
with nothing to draw it returns a figure that says so instead of raising. Text that came from an
article (quotes, speakers, actors, labels) is HTML-escaped before it goes into a figure, because
plotly renders a subset of HTML in labels and hover boxes.

Example:
    >>> import pandas as pd
    >>> from kit import compare
    >>> fig = casualty_ranges(compare.incident_claims(pd.DataFrame(), pd.DataFrame()), "Nothing yet")
    >>> fig.layout.annotations[0].text
    'No casualty claims for this incident yet.'
"""
from __future__ import annotations

import html
import textwrap

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from . import compare, reprints

FONT = dict(family="Helvetica Neue, Helvetica, Arial, sans-serif", size=13, color="#222")
OUTCOME_COLORS = {"killed": "#b2182b", "wounded": "#ef8a62", "zero": "#4d4d4d", "vague": "#878787"}
ACH_VALUES = {"CC": 2, "C": 1, "N": 0, "I": -1, "II": -2}


def esc(value) -> str:
    """Escape text from an article for plotly (``<`` and ``&`` become entities); '' for missing."""
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else html.escape(str(value))


def wrap(value, width: int = 70, max_chars: int = 600) -> str:
    """Escape and wrap a quote for a hover box (lines joined with <br>)."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "\u2026"
    return "<br>".join(html.escape(line) for line in textwrap.wrap(text, width)) or ""


def title_text(value, width: int = 110) -> str:
    """Escape a chart title and wrap it on at most two lines."""
    text = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
    lines = textwrap.wrap(text, width)
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width, placeholder="\u2026")]
    return "<br>".join(html.escape(line) for line in lines)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(template="plotly_white", font=FONT, height=height, margin=dict(l=10, r=20, t=80, b=40),
                      title=dict(text=title, x=0, xanchor="left", y=1, yref="container", yanchor="top",
                                 pad=dict(t=10), font=dict(size=15)),
                      hoverlabel=dict(align="left", bgcolor="white", font_size=12), showlegend=False)
    return fig


def message_figure(message: str, title: str = "") -> go.Figure:
    """A small figure holding only a message (used when a table is still empty)."""
    fig = go.Figure()
    fig.add_annotation(text=esc(message), showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper",
                       font=dict(size=14, color="#555"))
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title_text(title), 180)


def _hover(row) -> str:
    words = compare._claim_words(row)
    text = esc(row.count_text)
    lines = [f"<b>{esc(row.source)}</b>", f"{esc(words)}" + (f" (\u201c{text}\u201d)" if text else ""),
             f"{esc(row.outlet)}, {esc(row.published) or 'date unknown'}", wrap(row.sentence)]
    return "<br>".join(line for line in lines if line)


def casualty_ranges(view: pd.DataFrame, title: str, color: str = "#333") -> go.Figure:
    """Every source's killed and wounded claim for one incident, side by side, as ranges.

    ``view`` is `kit.present.compare.incident_claims` for one incident. A dot is an exact figure, a bar a
    range ("between 5 and 7"), an arrow an open top ("at least 3"), an x a "no casualties" claim at 0;
    claims without a number ("dozens") are listed at the right edge. The shaded band is the spread.
    The killed and the wounded panels each have their own axis ("at least 104" killed is not drawn
    to the scale of 88,000 wounded). A reprint of a claim is not a row of its own: it is named on
    its original's row ("AP: police (+2 copies: ...)", `kit.present.reprints.without_copies`).
    """
    view = view[view["here"]] if "here" in view.columns else view
    if not len(view):
        return message_figure("No casualty claims for this incident yet.", title)
    view = reprints.without_copies(view, ["outcome", "count_min", "count_max"])
    sources = list(dict.fromkeys(view["source"]))
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.06,
                        subplot_titles=("Killed (claimed)", "Wounded (claimed)"))
    for col, outcome in ((1, "killed"), (2, "wounded")):
        mine = view[view["outcome"].isin([outcome, "no_casualties"])]
        values = pd.concat([mine["low"], mine["high"]]).dropna()  # each panel its own axis
        edge = max(float(values.max()) if len(values) else 0.0, 1.0) * 1.25 + 1
        numbered = mine[mine["low"].notna()]
        if len(numbered):
            low, high = numbered["low"].min(), numbered["high"].fillna(numbered["low"]).max()
            fig.add_vrect(x0=low - 0.2, x1=high + 0.2, fillcolor=OUTCOME_COLORS[outcome], opacity=0.13,
                          line_width=0, row=1, col=col, annotation_text=f"spread {compare.fmt_range(low, high)}",
                          annotation_position="top left", annotation_font=dict(size=11, color="#555"),
                          exclude_empty_subplots=False)
        seg_x, seg_y = [], []
        for r in numbered.itertuples():
            right = edge if r.open_ended else r.high
            if pd.notna(right) and right != r.low:
                seg_x += [r.low, right, None]
                seg_y += [esc(r.source), esc(r.source), None]
        if seg_x:
            fig.add_trace(go.Scatter(x=seg_x, y=seg_y, mode="lines", hoverinfo="skip",
                                     line=dict(color=OUTCOME_COLORS[outcome], width=6)), row=1, col=col)
        kinds = (("zero", numbered[numbered["outcome"] == "no_casualties"], "x"),
                 (outcome, numbered[numbered["outcome"] == outcome], "circle"),
                 ("vague", mine[mine["no_number"]], "circle-open"))
        for kind, rows, symbol in kinds:
            if not len(rows):
                continue
            xs = [edge if kind == "vague" else r.low for r in rows.itertuples()]
            labels = [esc(r.count_text) if kind == "vague" else ("none" if kind == "zero" else "") for r in rows.itertuples()]
            fig.add_trace(go.Scatter(x=xs, y=[esc(s) for s in rows["source"]], mode="markers+text", text=labels,
                                     textposition="middle left" if kind == "vague" else "middle right",
                                     marker=dict(symbol=symbol, size=13, color=OUTCOME_COLORS[kind], line=dict(width=2)),
                                     hovertext=[_hover(r) for r in rows.itertuples()], hoverinfo="text"), row=1, col=col)
        opened = numbered[numbered["open_ended"] & (numbered["outcome"] == outcome)]
        if len(opened):
            fig.add_trace(go.Scatter(x=[edge] * len(opened), y=[esc(s) for s in opened["source"]], mode="markers",
                                     marker=dict(symbol="triangle-right", size=12, color=OUTCOME_COLORS[outcome]),
                                     hovertext=[_hover(r) for r in opened.itertuples()], hoverinfo="text"), row=1, col=col)
        fig.update_xaxes(range=[-0.6, edge + 0.6], zeroline=True, title_text="people", row=1, col=col)
        # every source on both panels' axes, even one without a claim of this outcome
        fig.add_trace(go.Scatter(x=[0] * len(sources), y=[esc(s) for s in sources], mode="markers", hoverinfo="skip",
                                 marker=dict(opacity=0), showlegend=False), row=1, col=col)
    fig.update_yaxes(categoryorder="array", categoryarray=[esc(s) for s in reversed(sources)], automargin=True)
    title_html = f"<span style='color:{color}'>\u25cf</span> {title_text(title)}"
    _layout(fig, title_html, 170 + 38 * len(sources))
    fig.update_annotations(selector=dict(text="Killed (claimed)"), yshift=14)
    fig.update_annotations(selector=dict(text="Wounded (claimed)"), yshift=14)
    return stack_when_narrow(fig, [esc(s) for s in sources])


def stack_when_narrow(fig: go.Figure, categories: list[str] | None = None) -> go.Figure:
    """Two panels side by side (killed, wounded) drawn one above the other on a narrow screen: the
    layout to use there goes into ``layout.meta.kit_narrow``, which the report's loader applies
    (`kit.present.offline.plotly_loader`) when the chart is narrower than `kit.present.offline.NARROW_PX`. Long
    ``categories`` (the sources on the y axis) are cut short there, or they would leave no room to draw.

    >>> fig = make_subplots(rows=1, cols=2, subplot_titles=("Killed", "Wounded"))
    >>> narrow = stack_when_narrow(fig.update_layout(height=300), ["Kharkiv Daily (kit test article): the mayor"]).layout.meta["kit_narrow"]
    >>> narrow["height"], narrow["yaxis2"]["domain"], [a["y"] for a in narrow["annotations"]], narrow["yaxis"]["ticktext"]
    (540, [0.0, 0.36], [1.0, 0.36], ['Kharkiv Daily (kit test a\u2026'])
    """
    layout = fig.layout
    height = int(layout.height or 450)
    margin = (layout.margin.t or 80) + (layout.margin.b or 40)
    titles = [a.to_plotly_json() for a in layout.annotations]
    panels = {"Killed (claimed)": 1.0, "Wounded (claimed)": 0.36, "Killed": 1.0, "Wounded": 0.36}
    for note in titles:
        if note.get("xref") == "paper" and note.get("text") in panels:
            note.update(x=0.5, y=panels[note["text"]], xanchor="center", yanchor="bottom")
    narrow = {"height": 2 * height - margin + 60, "annotations": titles,
              "xaxis": {"domain": [0.0, 1.0]}, "xaxis2": {"domain": [0.0, 1.0]},
              "yaxis": {"domain": [0.62, 1.0]}, "yaxis2": {"domain": [0.0, 0.36], "showticklabels": True}}
    if categories:
        short = {"tickmode": "array", "tickvals": list(categories), "ticktext": [_clip(c, 26) for c in categories]}
        narrow["yaxis"].update(short)
        narrow["yaxis2"].update(short)
    fig.update_layout(meta={"kit_narrow": narrow})
    return fig


def casualty_charts(tables: dict, claims: pd.DataFrame, limit: int) -> list[go.Figure]:
    """One `casualty_ranges` chart per incident, for the ``limit`` incidents with the most claims.

    ``claims`` is `kit.present.views.casualty_claims` of the tables; an incident without claims gets no chart.
    """
    from . import compare, views

    top = views.top_incidents(tables, limit)
    colors = compare.incident_colors(compare.event_order(tables["events"], claims)["event_id"])
    figures = []
    for incident in top.itertuples():
        mine = claims[claims["event_id"] == incident.event_id]
        if len(mine):
            figures.append(casualty_ranges(mine, incident.label, colors.get(incident.event_id, "#333")))
    return figures


def toll_over_time(view: pd.DataFrame, events: pd.DataFrame, max_incidents: int = 12, calendar: bool = False) -> go.Figure:
    """Each claim by how many days after the first report on its incident its article appeared, or
    (``calendar``) on the calendar date its article was published.

    ``view`` is `kit.present.compare.incident_claims`. The line is the highest figure claimed so far; tolls
    often rise as news comes in. Killed and wounded have their own panels and axes. Only the
    ``max_incidents`` incidents with the most claims are drawn (the tables list every incident).
    Open markers: the publication date was inferred.
    """
    view = view[view["here"]] if "here" in view.columns else view
    view = view[view["low"].notna() & view["published"].notna()].copy()
    title = ("Claimed toll by publication date (line: highest claim so far)" if calendar else
             "Claimed toll by days since the first report (line: highest claim so far)")
    if not len(view):
        return message_figure("No dated casualty figures yet.", title)
    view["when"] = pd.to_datetime(view["published"].astype(str), errors="coerce")
    view = view[view["when"].notna()]
    if not len(view):
        return message_figure("No dated casualty figures yet.", title)
    view["day"] = (view["when"] - view.groupby("event_id")["when"].transform("min")).dt.days
    if calendar:
        view["day"] = view["when"].dt.strftime("%Y-%m-%d")
    order = compare.event_order(events, view)
    keep = set(view["event_id"].value_counts().head(max_incidents).index)
    colors = compare.incident_colors(order["event_id"])
    labels = dict(zip(order["event_id"], order["label"]))
    fig = make_subplots(rows=1, cols=2, shared_xaxes=True, horizontal_spacing=0.08,
                        subplot_titles=("Killed (claimed)", "Wounded (claimed)"))
    for event_id in [e for e in order["event_id"] if e in keep]:
        for col, outcome in ((1, "killed"), (2, "wounded")):
            rows = view[(view["event_id"] == event_id) & view["outcome"].isin([outcome, "no_casualties"])].sort_values("day")
            if not len(rows):
                continue
            low = rows["low"].astype(float)
            high = rows["high"].fillna(rows["low"]).astype(float)
            fig.add_trace(go.Scatter(
                x=rows["day"].tolist(), y=low.tolist(), mode="markers", name=title_text(labels[event_id], 90),
                legendgroup=event_id, showlegend=col == 1,
                error_y=dict(type="data", symmetric=False, array=(high - low).tolist(), arrayminus=[0] * len(rows),
                             color=colors[event_id]),
                marker=dict(size=11, color=colors[event_id], opacity=0.85,
                            symbol=["circle-open" if inferred else "circle" for inferred in rows["published_inferred"].fillna(False)]),
                hovertext=[_hover(r) for r in rows.itertuples()], hoverinfo="text"), row=1, col=col)
            peak = high.groupby(rows["day"].tolist()).max().cummax()
            fig.add_trace(go.Scatter(x=list(peak.index), y=peak.tolist(), mode="lines",
                                     line=dict(shape="hv", color=colors[event_id], width=1.5),
                                     legendgroup=event_id, showlegend=False, hoverinfo="skip"), row=1, col=col)
    fig.update_yaxes(title_text="people", rangemode="tozero")
    if calendar:
        fig.update_xaxes(title_text="publication date", type="date", tickformat="%d %b %Y")
    else:
        days = int(view["day"].max())
        fig.update_xaxes(title_text="days after the first report", range=[-0.5, max(days, 1) + 0.5],
                         dtick=1 if days <= 14 else None)
    _layout(fig, title, 480)
    fig.update_annotations(yshift=10)
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=-0.25, yanchor="top", x=0), margin=dict(b=60))
    return stack_when_narrow(fig)


def _clip(text, limit: int) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def blame_chart(summary: pd.DataFrame) -> go.Figure:
    """Across incidents: for each actor, how many independent sources take each stance (bars: a wire
    story and its reprints count once per incident), how many sentences, and who (hover).
    ``summary`` is `kit.present.compare.blame_summary` (an older one without ``*_sources``: sentences)."""
    if not len(summary):
        return message_figure("No attribution claims about reported incidents yet.", "Who is blamed, by whom")
    by_sources = all(f"{stance}_sources" in summary.columns for stance in compare.STANCE_ORDER[:-1])
    fig = go.Figure()
    for stance in compare.STANCE_ORDER[:-1]:
        counts = summary[f"{stance}_sources"] if by_sources else summary[stance]
        if not counts.sum():
            continue
        hover = [f"<b>{esc(a)}</b>: {stance}, " + (f"{k} independent source(s), " if by_sources else "")
                 + f"{n} sentence(s) in {inc} incident(s)<br>by: {wrap(by, 80)}"
                 for a, k, n, inc, by in zip(summary["actor"], counts, summary[stance], summary["incidents"], summary[f"{stance}_by"])]
        fig.add_trace(go.Bar(y=[esc("nobody named" if a == "unknown" else a) for a in summary["actor"]],
                             x=counts.tolist(), orientation="h", name=stance,
                             marker_color=compare.STANCE_COLORS[stance], hovertext=hover, hoverinfo="text"))
    fig.update_layout(barmode="stack")
    fig.update_yaxes(autorange="reversed", automargin=True)
    total = summary["sources_total"] if by_sources and "sources_total" in summary.columns else summary["claims_total"]
    if total.max() <= 12:
        fig.update_xaxes(dtick=1)
    what = "independent sources" if by_sources else "sentences"
    _layout(fig, f"Who is blamed, by whom, across incidents (number of {what} of each stance)", 190 + 34 * len(summary))
    fig.update_layout(showlegend=True, legend=dict(orientation="h", y=-0.25, yanchor="top", x=0), margin=dict(b=90))
    return fig


def ach_chart(ratings: pd.DataFrame, evidence: pd.DataFrame, title: str) -> go.Figure:
    """Competing hypotheses for one incident: evidence (rows) against candidate perpetrators (columns).

    Green: the claim is consistent with that actor having done it; red: inconsistent; grey: neutral.
    Rows marked "not diagnostic" rate every hypothesis alike and cannot tell them apart.
    """
    if not len(evidence) or not len(ratings.columns):
        return message_figure("No attribution claims for this incident yet.", title)
    if list(ratings.columns) == [compare.SOMEONE_ELSE]:
        return message_figure("Nobody is named as a possible perpetrator of this incident yet: nothing to weigh.", title)
    body = ratings.drop(index="inconsistency")
    scores = ratings.loc["inconsistency"]
    columns = [f"{esc(h)}<br><span style='font-size:11px'>inconsistency {int(scores[h])}</span>" for h in ratings.columns]
    rows = [f"{e.evidence} {esc(e.stance)} \u00b7 {esc(_clip(e.source, 48))}" + ("" if e.diagnostic else " (not diagnostic)")
            for e in evidence.itertuples()]
    hover = [[f"<b>{e.evidence}</b>: {esc(e.source)}, {esc(e.published) or 'date unknown'}<br>"
              f"{esc(e.stance)} {esc(e.actor)} \u2192 rated <b>{body.iloc[i, j]}</b> for {esc(h)}<br><br>{wrap(e.sentence)}"
              for j, h in enumerate(ratings.columns)] for i, e in enumerate(evidence.itertuples())]
    fig = go.Figure(go.Heatmap(z=[[ACH_VALUES[v] for v in row] for row in body.values.tolist()], x=columns, y=rows,
                               text=body.values.tolist(), texttemplate="%{text}", customdata=hover,
                               hovertemplate="%{customdata}<extra></extra>", zmin=-2, zmax=2, showscale=False,
                               colorscale=[[0, "#b2182b"], [0.25, "#ef8a62"], [0.5, "#f0f0f0"], [0.75, "#91cf60"], [1, "#1a9850"]],
                               xgap=2, ygap=2))
    fig.update_xaxes(side="top", automargin=True, showgrid=False)
    fig.update_yaxes(autorange="reversed", automargin=True, showgrid=False)
    _layout(fig, f"Competing hypotheses: {title_text(title, 90)}", 230 + 30 * len(rows))
    fig.update_layout(margin=dict(t=130), width=min(1100, 520 + 150 * len(columns)))
    return fig
