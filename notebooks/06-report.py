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
from kit.present import charts, compare, maps, show, views

p = show.params(articles_dirs, out_dir, offline)
tables = show.load_tables(p)
display(show.setup(), show.note(views.headline(tables)))

# %% [markdown]
# ## Incidents at a glance
#
# One row per incident. "Killed" and "wounded" give the lowest and highest figure any source claims;
# "who is blamed" counts the sentences of each stance.

# %%
overview = views.incidents(tables)
assert overview["event_id"].is_unique, "an incident is listed twice"
show.table(overview, ["date", "incident", "place", "precision", "articles", "killed (claimed)", "wounded (claimed)",
                      "contradictions", "who is blamed"], empty="No incidents found yet.")

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
# For each incident, each source's claimed dead and wounded. A dot is an exact figure, a bar a range,
# an arrow "at least", an x "no casualties"; the shaded band is the spread from the lowest to the
# highest claim. Hover for the sentence.

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
# ## Who is blamed, by whom
#
# Across incidents, how many sentences claim, accuse, suspect or deny each actor's role. Then, per
# incident, who says what (hover a cell for the quote).

# %%
blame = compare.blame_summary(tables["attribution_claims"], tables["articles"])
display(charts.blame_chart(blame) if len(blame) else show.nothing_yet("No attribution claims about a reported incident yet."))
for incident in top.itertuples():
    cells = compare.attribution_cells(tables["attribution_claims"], tables["articles"], incident.event_id)
    if len(cells):
        display(charts.attribution_matrix(cells, incident.label))

# %% [markdown]
# ## The sentences behind the figures
#
# For each incident, every claim with who made it, the outlet that carried it and its date.

# %%
shown = 0
for incident in top.itertuples():
    quoted = views.incident_quotes(tables, incident.event_id)
    if len(quoted):
        display(show.note(f"{incident.date or 'date unknown'}: {incident.label}"), show.quotes(quoted, max_quotes=12))
        shown += 1
if not shown:
    display(show.nothing_yet("No claims yet."))

# %% [markdown]
# ## Sources
#
# The articles this report rests on, with what a reader should know about each.

# %%
show.table(views.articles(tables["articles"]), ["date", "outlet", "title", "what the flags mean", "url"],
           empty="No articles.")

# %% [markdown]
# ## Files skipped or to check

# %%
show.table(tables["problems"], ["severity", "file", "problem", "fix"], empty="None: every file was read.")

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
# Claims are grouped into incidents by date and place. For each incident the report shows the spread
# of figures (the lowest and highest claimed, as Iraq Body Count keeps a minimum and a maximum),
# flags contradictions ("no casualties" against reported deaths), and lays the attribution claims out
# as a matrix of actors against speakers. The journalist's corrections (`data/corrections/`) are
# applied on every run and never overwritten.
#
# ## Caveats
#
# - **Claims, not facts.** Every figure is what a source said. The kit does not verify anything; the
#   spread shows disagreement, not the truth, and the truth may lie outside it.
# - **Sources are not independent.** Outlets relay the same wire report or official statement;
#   five articles can be one source. "via" shows relaying when the article says so.
# - **The rules miss and misread.** Sentence-level rules miss claims spread over two sentences,
#   can attach a claim to the wrong incident or speaker, and read irony or reported speech literally.
#   Check every quote that matters against the article.
# - **Locations are approximate.** A place named only as a city or a country is drawn at its centre;
#   the circle on the map shows how far off that can be.
# - **Dates.** Incident dates come from the articles' words ("early Saturday") and publication dates;
#   the toll over time uses publication dates, not the moment each figure was first reported.
# - **Flagged sources.** Live stories change as they are updated, and text a page says was written by
#   AI is unreliable. See "Sources" above.
