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
max_charts = 12  # a chart for each of the incidents with the most claims (the tables list them all)

# %% [markdown]
# # 4. Casualty claims
#
# What each source claims about the dead and wounded, incident by incident, side by side. The kit
# does not decide who is right: it keeps every figure with who said it, and shows where they disagree.
#
# - **The spread** is the lowest and the highest figure any source gives, as Iraq Body Count records
#   a minimum and a maximum per incident. A "no casualties" claim counts as 0; "at least 3" gives a
#   lowest value of 3 and an open top (3+); a claim without a number ("dozens", "countless injuries")
#   is listed but sets no bound.
# - **A contradiction** is one source saying nobody was hurt while another reports dead or wounded.
# - **Sources are independent sources**: a wire story printed by several outlets is one source, and a
#   reprint's figure is listed under the original's ("AP: police (+2 copies: ...)"), not as a source
#   of its own. An outlet's own addition to a wire story (a paragraph of its own) is its own source.
# - **The toll over time** puts each claim at its article's publication date, counted in days after
#   the first report on the incident.
#
# **Reads** `casualty_claims.csv`, `events.csv`, `articles.csv`. **Writes** nothing.

# %%
from kit.present import charts, compare, show, views

p = show.params(articles_dirs, out_dir, offline)
tables = show.load_tables(p)
claims = views.casualty_claims(tables["casualty_claims"], tables["articles"])
display(show.setup(), show.inputs_outputs(p, reads=["casualty_claims.csv", "events.csv", "articles.csv"], writes=[]))

# %% [markdown]
# The facts the comparison relies on: a range never runs backwards, and every claim keeps its sentence.

# %%
both = claims.dropna(subset=["count_min", "count_max"])
assert (both["count_min"] <= both["count_max"]).all(), "a claim's lowest figure is above its highest"
assert claims["sentence"].notna().all(), "a claim has lost its sentence"
show.note(f"{len(claims)} casualty claim(s) about {claims['event_id'].nunique()} incident(s), "
          f"from {claims['article_id'].nunique()} article(s).")

# %% [markdown]
# ## The spread per incident
#
# Lowest and highest figure claimed, and who gave them. "Independent sources" counts each report once,
# however many outlets reprinted it; "articles" counts the articles with a claim about the incident.

# %%
spread = compare.casualty_spread(tables["casualty_claims"], tables["articles"], tables["events"])
show.table(spread, ["date", "label", "n_sources", "n_articles", "killed_range", "killed_lowest_by", "killed_highest_by",
                    "wounded_range", "wounded_lowest_by", "wounded_highest_by", "contradictions"],
           labels={"label": "incident", "n_sources": "independent sources", "n_articles": "articles", "killed_range": "killed",
                   "killed_lowest_by": "lowest from", "killed_highest_by": "highest from", "wounded_range": "wounded",
                   "wounded_lowest_by": "lowest from", "wounded_highest_by": "highest from"},
           empty="No casualty claims about a reported incident yet.")

# %% [markdown]
# ## Contradictions
#
# Sources that say nobody was hurt while others report casualties. Check which one is better placed to know.

# %%
show.table(compare.find_contradictions(tables["casualty_claims"], tables["articles"]), ["event_id", "text"],
           labels={"text": "contradiction"}, empty="No source says 'no casualties' against another's dead or wounded.")

# %% [markdown]
# ## Every source's claim, side by side
#
# One chart per incident. Each row is a source (outlet, and who it quotes; the outlets that reprinted
# the same sentence are named on it, not given rows of their own); a dot is an exact figure, a
# bar a range, an arrow an open top ("at least"), an x a "no casualties" claim; claims without a number
# are listed at the right edge. The shaded band is the spread. Hover over a mark for the sentence.

# %%
figures = charts.casualty_charts(tables, claims, max_charts)
for figure in figures:
    display(figure)
if not figures:
    display(show.nothing_yet("No casualty claims about a reported incident yet."))

# %% [markdown]
# ## How the toll moved with publication time
#
# Each claim placed by how many days after the first report on its incident its article was
# published, one colour per incident; the line is the highest figure claimed so far. Tolls often
# rise as news comes in, and early reports are often wrong. An open circle means the publication
# date was inferred. Hover for the date, the source and the sentence.

# %%
charts.toll_over_time(claims, tables["events"], max_incidents=max_charts)

# %% [markdown]
# ## Every claim and its sentence

# %%
show.quotes(claims, max_quotes=200, empty="No casualty claims yet.", csv="casualty_claims.csv", p_out=p.out_dir)

# %% [markdown]
# ## Casualties of other incidents, mentioned in passing
#
# Figures about other events (an earlier bombing, a past attack) that the articles mention as
# background. They are kept apart and do not count towards any incident above.

# %%
show.table(views.background_claims(tables["casualty_claims"], tables["articles"]),
           ["outlet", "published", "outcome", "count_text", "speaker", "sentence"], empty="None.")
