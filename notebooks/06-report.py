# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: tags,-all
#     notebook_metadata_filter: kernelspec,jupytext,-jupytext.text_representation.jupytext_version
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
# Parameters: `kit report` sets these; change them here to run this notebook by hand.
articles_dirs = []  # folders of articles (.txt, .md, .html); empty: the project's article folders (kit.toml)
out_dir = ""  # folder for the tables; empty: out/notebooks in the project folder
offline = True  # True: the kit never uses the network
max_incidents = 6  # incidents that get their own charts and quotes (the overview table lists them all)

# %% [markdown]
# # Strike report
#
# What the collected articles say about each incident: where and when it happened, how many were
# killed or wounded according to each source, and who each source says is responsible, with the
# sentences behind every figure. The figures are claims, not findings: read the caveats at the end.

# %%
from kit.present import charts, compare, maps, matrix, show, views

p = show.params(articles_dirs, out_dir, offline)
tables = show.load_tables(p)
display(show.setup(), show.note(views.headline(tables)), show.table_links(p))

# %% [markdown]
# ## Incidents at a glance
#
# One row per incident. "Killed" and "wounded" give the lowest and highest figure any source claims
# about the incident itself (figures for a whole war, or for other incidents mentioned in passing, are
# kept apart); "who is blamed" counts the independent sources of each stance. "Independent sources"
# counts copies of one report (a wire story in several outlets) once, here and in every count below;
# the grade says how well the incident is sourced (README, "Independent sources and grades").

# %%
overview = views.incidents(tables)
assert overview["event_id"].is_unique, "an incident is listed twice"
display(show.table(views.grade_words(overview), ["date", "incident", "place", "precision", "independent sources",
                                                  "killed (claimed)", "wounded (claimed)", "contradictions", "who is blamed",
                                                  "grade"], wide=("who is blamed",), empty="No incidents found yet.",
                   csv="events.csv", p_out=p.out_dir),
        views.grade_reasons(overview))

# %% [markdown]
# ## Map
#
# A dot per incident, coloured by incident; the circle around it shows how precisely the articles
# place it. Click a dot for the sources and their sentences; switch incidents and outlets on and off
# with the layer control (top right). Works offline: the outlines are built in.

# %%
maps.incident_map(tables, online=not p.offline)

# %% [markdown]
# ## Casualties: every source side by side
#
# For each incident, each source's claimed dead and wounded (a reprint named on its original's row),
# each in its own panel and scale. A dot is
# an exact figure, a bar a range, an arrow "at least", an x "no casualties"; the shaded band is the
# spread from the lowest to the highest claim. Hover for the sentence.

# %%
top = views.top_incidents(tables, max_incidents)
claims = views.casualty_claims(tables["casualty_claims"], tables["articles"])
figures = charts.casualty_charts(tables, claims, max_incidents)
for figure in figures:
    display(figure)
contradictions = compare.find_contradictions(tables["casualty_claims"], tables["articles"])
for row in contradictions.itertuples():
    display(show.note(f"Contradiction ({row.event_id}): {row.text}", kind="warn"))
if not figures:
    display(show.nothing_yet("No casualty claims about a reported incident yet."))

# %% [markdown]
# ## The toll as it was reported
#
# Each figure on the day its article was published, one colour per incident; the line is the highest
# figure claimed so far. Tolls often rise as news comes in, and early reports are often wrong.

# %%
charts.toll_over_time(claims, tables["events"], max_incidents=max_incidents, calendar=True)

# %% [markdown]
# ## Who is blamed, by whom
#
# Across incidents, how many independent sources claim, accuse, suspect or deny each actor's role (a
# report and its reprints count once). Then, per incident, who says what (hover a cell for the
# sentences, each reprint named under its original).

# %%
blame = compare.blame_summary(tables["attribution_claims"], tables["articles"])
display(charts.blame_chart(blame) if len(blame) else show.nothing_yet("No attribution claims about a reported incident yet."))
for incident in top.itertuples():
    cells = compare.attribution_cells(tables["attribution_claims"], tables["articles"], incident.event_id)
    if len(cells):
        display(matrix.attribution_table(cells, views.heading(incident)))

# %% [markdown]
# ## The sentences behind the figures
#
# For each incident, every claim with who made it, the outlet that carried it (linked to the article
# when its address is known) and its date.

# %%
shown = 0
for incident in top.itertuples():
    quoted = views.incident_quotes(tables, incident.event_id)
    if len(quoted):
        display(show.note(views.heading(incident)),
                show.quotes(quoted, max_quotes=12, csv=("casualty_claims.csv", "attribution_claims.csv"), p_out=p.out_dir))
        shown += 1
if not shown:
    display(show.nothing_yet("No claims yet."))

# %% [markdown]
# ## Sources
#
# The articles this report rests on, with what a reader should know about each. A headline marked
# "inferred from the text" is the article's first line, not a headline the outlet gave. An article
# that reprints another is listed under it (↳): the two are one independent source.

# %%
show.table(views.sources(tables["articles"]), ["date", "outlet", "source", "title", "what the flags mean", "url"],
           empty="No articles.", csv="articles.csv", p_out=p.out_dir)

# %% [markdown]
# ## Files skipped or to check

# %%
show.table(tables["problems"], ["severity", "file", "problem", "fix"], empty="None: every file was read.",
           csv="problems.csv", p_out=p.out_dir)

# %% [markdown]
# ## Methodology
#
# The articles were read by the investigative notebook kit. It removes page furniture (related links,
# adverts, share prompts), splits the text into sentences and, with rules and editable word lists
# rather than a trained model, extracts three kinds of statement, each kept with the exact sentence,
# the article and the character positions it came from:
#
# - **places**, located by a chain of sources (the journalist's corrections first, then an offline
#   gazetteer, then, only when asked, OpenStreetMap's Nominatim), each with its precision in km;
# - **casualty claims**: killed or wounded, a number or a range ("at least", "up to", "between"), the
#   words used, who said it and through whom (an agency relaying it);
# - **attribution claims**: who is said to have carried out the strike, with the stance (claims,
#   accuses, suspects, denies, unattributed) and who says so.
#
# Claims are grouped into incidents by what happened: the place each article names with the attack
# (never the dateline where the story was filed) and the day its words give the attack. For each
# incident the report shows the spread
# of figures (the lowest and highest claimed, as Iraq Body Count keeps a minimum and a maximum),
# flags contradictions ("no casualties" against reported deaths), and lays the attribution claims out
# as a table of speakers against actors. The journalist's corrections (`data/corrections/`) are
# applied on every run and never overwritten.
#
# ## Caveats
#
# - **Claims, not facts.** Every figure is what a source said. The kit does not verify anything; the
#   spread shows disagreement, not the truth, and the truth may lie outside it.
# - **Sources are not always independent.** Outlets relay the same wire report or official statement;
#   five articles can be one source. The kit counts a reprint of another article's sentences, or an
#   article crediting the same agency, as one source with it; a rewrite in an outlet's own words
#   without the credit, or two agencies quoting the same ministry, still count twice. "via" shows
#   relaying when the article says so.
# - **The rules miss and misread.** Sentence-level rules miss claims spread over two sentences,
#   can attach a claim to the wrong incident or speaker, and read irony or reported speech literally.
#   Check every quote that matters against the article.
# - **Locations are approximate.** A place named only as a city or a country is drawn at its centre;
#   the circle on the map shows how far off that can be.
# - **Dates.** Incident dates come from the articles' own words ("Wednesday's blasts", "the January 3
#   attack"), else from when a statement was made or the article published; an article with no date is
#   joined to an incident by its place and the weekday it names. The toll over time uses publication
#   dates, not the moment each figure was first reported.
# - **One incident per article.** An article about two strikes (a strike and the retaliation for it)
#   is counted with one of them; the claims about the other may be linked to the wrong incident.
# - **Flagged sources.** Live stories change as they are updated, and text a page says was written by
#   AI is unreliable. See "Sources" above.
