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
max_charts = 12  # a matrix for each of the incidents with the most claims (the tables list them all)

# %% [markdown]
# # 5. Attribution matrix
#
# Who says who did it. Every sentence that points at (or away from) a perpetrator is a claim with a
# *stance*:
#
# - **claims**: the actor's own side says it did it, or confirms it;
# - **accuses**: someone else says the actor did it (including an outlet stating it as fact);
# - **suspects**: the same, hedged ("suspected", "reportedly", "appeared to be");
# - **denies**: someone says the actor did not do it;
# - **unattributed**: nobody has claimed it, or it is unclear who did it.
#
# For each incident a table puts who says it in rows and the actors in columns; each cell's
# colour is the stance, "×2 sources" how many independent sources say it (a wire story and the
# outlets that reprint it are one source), and hovering shows the sentences, each reprint named under
# its original. Then a summary of who is blamed by whom across incidents, and a first Analysis of
# Competing Hypotheses.
#
# **Reads** `attribution_claims.csv`, `events.csv`, `articles.csv`. **Writes** nothing.

# %%
from kit.present import charts, compare, matrix, show, views

p = show.params(articles_dirs, out_dir, offline)
tables = show.load_tables(p)
claims = views.attribution_claims(tables["attribution_claims"], tables["articles"])
display(show.setup(), show.inputs_outputs(p, reads=["attribution_claims.csv", "events.csv", "articles.csv"], writes=[]))

# %% [markdown]
# The facts the matrix relies on: every stance is one of the five, and "unattributed" names nobody.

# %%
assert claims["stance"].isin(compare.STANCE_ORDER).all(), "a claim has a stance outside the vocabulary"
assert (claims.loc[claims["stance"] == "unattributed", "actor"] == "unknown").all(), "an unattributed claim names an actor"
show.note(f"{len(claims)} attribution claim(s) about {claims['event_id'].nunique()} incident(s), "
          f"naming {claims.loc[claims['actor'] != 'unknown', 'actor'].nunique()} actor(s).")

# %% [markdown]
# ## Per incident: who says who did it

# %%
top = views.top_incidents(tables, max_charts)
shown = 0
for incident in top.itertuples():
    cells = compare.attribution_cells(tables["attribution_claims"], tables["articles"], incident.event_id)
    if len(cells):
        display(matrix.attribution_table(cells, views.heading(incident)))
        shown += 1
if not shown:
    display(show.nothing_yet("No attribution claims about a reported incident yet."))

# %% [markdown]
# ## Across incidents: who is blamed, by whom
#
# For each actor, how many independent sources take each stance, across every incident, and how many
# sentences they are. A source counts once per incident: five outlets reprinting one agency's report
# are one source (its five sentences are still listed under "sentences"). Hover for who made them,
# each speaker with the sources quoting it in brackets ("AP +2 copies": AP's report and two reprints).

# %%
blame = compare.blame_summary(tables["attribution_claims"], tables["articles"])
display(charts.blame_chart(blame) if len(blame) else show.nothing_yet("No attribution claims about a reported incident yet."))
show.table(blame, ["actor", "incidents", "sources_total", "claims_total", "claims_sources", "claims_by", "accuses_sources",
                   "accuses_by", "suspects_sources", "suspects_by", "denies_sources", "denies_by", "unattributed_sources"],
           labels={"sources_total": "independent sources", "claims_total": "sentences", "claims_sources": "claims",
                   "claims_by": "claimed by", "accuses_sources": "accuses", "accuses_by": "accused by",
                   "suspects_sources": "suspects", "suspects_by": "suspected by", "denies_sources": "denies",
                   "denies_by": "denied by", "unattributed_sources": "unattributed"}, empty="No attribution claims yet.")

# %% [markdown]
# ## Competing hypotheses
#
# Richards Heuer's Analysis of Competing Hypotheses turns the question around: instead of collecting
# evidence *for* a favourite suspect, it asks which evidence is *inconsistent* with each candidate.
# Each column is a candidate perpetrator (every actor named, plus "someone else"); each row is one
# claim, and its reprints in other outlets are the same row, not more evidence (they are named on it). A claim of responsibility is strongly consistent (CC) with its actor and inconsistent (I) with
# the others; an accusation or suspicion is consistent (C) with the accused; a denial is inconsistent (I)
# with the actor who denies. The inconsistency score (I = 1, II = 2) under each name adds them up: the
# candidate with the lowest score has the least evidence against it. Rows that rate every candidate
# alike cannot tell them apart ("not diagnostic").
#
# These ratings are mechanical starting points read off the stance. They weigh a denial by a government
# the same as one by a militia; a claim reprinted word for word counts once, but one an outlet rewrote
# in its own words counts again. Review every row before drawing a conclusion.

# %%
shown = 0
for incident in top.itertuples():
    ratings, evidence = compare.ach_matrix(tables["attribution_claims"], tables["articles"], incident.event_id)
    if len(evidence):
        display(charts.ach_chart(ratings, evidence, incident.label))
        shown += 1
if not shown:
    display(show.nothing_yet("No attribution claims to weigh yet."))

# %% [markdown]
# ## Every attribution claim and its sentence

# %%
show.quotes(claims, max_quotes=200, empty="No attribution claims yet.", csv="attribution_claims.csv", p_out=p.out_dir)
