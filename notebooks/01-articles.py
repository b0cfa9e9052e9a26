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
links_file = ""  # a text file of article links, one a line (in the project folder), to fetch first; empty: fetch nothing
user_agent = ""  # to fetch links: your newsroom's name and contact, sent to every site (required with links_file)

# %% [markdown]
# # 1. Articles
#
# This notebook shows the corpus the analysis rests on: which articles were read, from which outlets
# and dates, what the kit knows about each source's reliability (its *flags*), and which lines were
# removed as page furniture before any claim was extracted.
#
# **Reads** the article folders (and a `manifest.csv` or front matter beside the articles), and the
# list of links in `links_file` when you give one.
# **Writes** every table into the output folder when an input changed since the last run:
# `articles.csv`, `places.csv`, `casualty_claims.csv`, `attribution_claims.csv`, `events.csv`,
# `problems.csv` and a SQLite copy, `kit.sqlite`. The other notebooks read those tables.
# With `links_file`, it first saves the linked pages into the first article folder (new `.html`
# files, and rows added to its `fetched.csv` and `manifest.csv`; nothing there is overwritten).

# %%
from kit.present import show, views

p = show.params(articles_dirs, out_dir, offline, user_agent)
display(show.setup(), show.inputs_outputs(p, reads=["the article folders", "links_file (when given)"],
                                          writes=["all tables (when inputs changed)", "fetched pages (when links_file is given)"]))

# %% [markdown]
# ## Optional: collect articles from their links
#
# Only runs when you set `links_file` (a text file with one link a line), `offline = False` and a
# `user_agent` naming your newsroom at the top. Each page is fetched once, politely (one request a
# second per site, the site's robots.txt respected), and saved exactly as the site sent it, with where
# and when it came from in `fetched.csv`. Error pages, PDFs, empty pages and pages that need
# JavaScript or a subscription are listed and skipped: save those by hand. The same as `kit fetch`.

# %%
display(show.fetch_links(p, links_file))

# %% [markdown]
# The facts the rest of the analysis relies on: every article has its own stable id (derived from
# its text, so corrections keyed by it survive reruns) and every claim points back to an article we read.

# %%
tables = show.load_tables(p)  # reruns the extraction when an article, a correction or a lexicon changed
articles = views.articles(tables["articles"])
assert articles["article_id"].is_unique, "two articles have the same id: the same text was read twice"
known = set(tables["articles"]["article_id"])
for name in ("places", "casualty_claims", "attribution_claims"):
    assert set(tables[name]["article_id"].dropna()) <= known, f"{name} has rows from an article that is not in the corpus"
show.note(f"{len(articles)} article(s) read from {len(p.articles_dirs)} folder(s).")

# %% [markdown]
# ## The corpus
#
# One row per article, oldest first. The date is the publication date from the front matter or the
# manifest; "(inferred)" means the kit guessed it from the text, so check it before relying on it.
# An article that reprints another (a wire story in another outlet's dress) is listed under the
# original, marked ↳, with how much of it is the original's: it is not an independent source.

# %%
show.table(views.sources(tables["articles"]), ["file", "outlet", "source", "date", "title", "n_words", "flags", "url"],
           labels={"n_words": "words"}, empty="No articles found yet: put .txt, .md or .html files in the articles folder.")

# %% [markdown]
# ## Sources
#
# How many articles each outlet contributed. Several articles from one outlet, or outlets relaying the
# same wire story, are not independent confirmations.

# %%
show.table(views.outlets(tables["articles"]), empty="No outlets yet.")

# %% [markdown]
# ## What to know about each source
#
# Flags are warnings a reader of the report needs: a live story that changed as it was written,
# text the page says was written by AI, conflicting dates, an outlet the kit could not identify.

# %%
flagged = articles[articles["flags"].fillna("") != ""]
show.table(flagged, ["file", "outlet", "what the flags mean"], empty="No article carries a flag.")

# %% [markdown]
# ## Page furniture removed
#
# Lines that belong to the web page rather than the story (related-link headlines, app adverts,
# share prompts, bylines, repeated blurbs) were taken out before claims were extracted. They are kept
# here for the record: if a real sentence of the story is listed, tell the kit's maintainers (the
# rules are in `data/lexicons/furniture.csv`).

# %%
show.table(views.furniture(tables["articles"]), empty="No page furniture was removed.")

# %% [markdown]
# ## Files skipped or to check
#
# A file that could not be read is skipped and listed here with what to do about it.

# %%
show.table(tables["problems"], ["severity", "file", "problem", "fix"], empty="No problems: every file was read.")

# %% [markdown]
# ## How to add an article
#
# 1. Save the article as a `.txt`, `.md` or `.html` file in the articles folder (keep the original text;
#    the kit never changes it), or put its link in your `links_file` (or run
#    `kit fetch links.txt --into articles --user-agent "Newsroom (desk@example.org)"`), which saves the
#    page and its metadata for you.
# 2. Give it its metadata, either as front matter at the very top of the file:
#
#    ```
#    ---
#    title: Drone strike hits militia base
#    outlet: Reuters
#    published: 2024-04-20
#    url: https://www.example.org/story
#    ---
#    ```
#
#    or as a row in `manifest.csv` beside the files, with the columns
#    `file, outlet, published, url, title, notes`.
# 3. Rerun the notebooks (or `kit report`). The new article is read, its claims extracted, and every
#    table, chart and the map updated. Your corrections stay as they are.
