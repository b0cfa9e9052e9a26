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
offline = True  # True: the kit never uses the network; False: the cell at the end may ask the online geocoder
user_agent = ""  # for the online geocoder: your newsroom's name and contact, as Nominatim's usage policy asks

# %% [markdown]
# # 2. Geocoding
#
# Every place the articles name, where the kit put it on the map, which step of the geocoding chain
# found it, and how precise it is. A strike placed at "Iraq" sits at the country's centre, hundreds of
# kilometres from where it happened; a named base is within a few kilometres.
#
# The chain, first hit wins: your corrections (`data/corrections/places.csv`), the kit's offline
# gazetteer (`data/gazetteer`), the cache of earlier online answers, and, only if you ask for it, an
# online geocoder (OpenStreetMap's Nominatim).
#
# **Reads** `places.csv` (and reruns the extraction if an input changed). **Writes** nothing, unless
# you run the online cell at the end, which rewrites the tables with the new coordinates.

# %%
from kit.project import find_project
from kit.present import show, views

p = show.params(articles_dirs, out_dir, offline, user_agent)
tables = show.load_tables(p)
places = views.place_mentions(tables["places"])
display(show.setup(), show.inputs_outputs(p, reads=["places.csv"], writes=[]))

# %% [markdown]
# The facts the map relies on: every coordinate is on the globe and every precision is a distance.

# %%
located = places.dropna(subset=["lat", "lon"])
assert located["lat"].between(-90, 90).all() and located["lon"].between(-180, 180).all(), "a coordinate is out of range"
assert (located["precision_km"].dropna() >= 0).all(), "a precision is negative"
show.note(f"{len(places)} place mention(s), {len(located)} with coordinates, {int(places['in_scope'].fillna(False).sum())} "
          "where an incident happened (in scope).")

# %% [markdown]
# ## How each mention was resolved
#
# Which step of the chain gave the coordinates, and how precise they are. "in scope" counts the
# mentions of places where an incident the article reports happened (rather than places only mentioned).

# %%
show.table(views.geocoding_summary(tables["places"]), empty="No place mentions found yet.")

# %% [markdown]
# ## How precise the coordinates are
#
# The precision is how far the true spot may be from the coordinates, in kilometres. The map draws it
# as a circle around each incident.

# %%
show.table(views.precision_by_kind(tables["places"]), empty="No place has coordinates yet.")

# %% [markdown]
# ## Every place mention
#
# As written in the article, what it was resolved to, and the sentence it comes from.

# %%
show.table(places, ["file", "mention", "canonical", "kind", "lat", "lon", "precision_km", "geocoder", "in scope", "sentence"],
           labels={"precision_km": "precision (km)"}, empty="No place mentions found yet.")

# %% [markdown]
# ## Unresolved places and how to fix them
#
# These names could not be located. `no_match`: the gazetteer (or the online service) does not know
# the name; `skipped_offline`: the online geocoder was not asked because the run is offline;
# `service_failed`: the service did not answer (it is asked again next time).
#
# To fix one, add a row to `data/corrections/places.csv` (the kit only reads that file, a rerun never
# overwrites it): the name as written, the right place (`canonical`), its `kind`, and `lat`/`lon` with
# a `precision_km`, plus a `note` saying where you checked it. Leave `article_id` empty to fix the name
# in every article. Use the kind `not_a_place` to drop a word that is not a place. Then rerun.

# %%
missing = views.unresolved(tables["places"])
display(show.table(missing, empty="Every place mention has coordinates."))
if len(missing):
    display(show.note(f"Rows to fill in and paste into {find_project().corrections / 'places.csv'}:\n" + views.correction_rows(missing)))

# %% [markdown]
# ## Optional: ask the online geocoder
#
# Only runs when you set `offline = False` in the parameters at the top (and give a `user_agent` with
# your contact). It asks OpenStreetMap's Nominatim, one request per second as its usage policy demands,
# for the names the gazetteer does not know, keeps the answers in the cache so they are never asked
# twice, and rewrites the tables. Check what it found: an online geocoder can pick the wrong place of
# the same name.

# %%
if not p.offline:
    result = show.run_pipeline(p)
    tables = show.load_tables(p, refresh="never")
    display(show.note(result.summary()))
    display(show.table(views.unresolved(tables["places"]), empty="Every place mention has coordinates now."))
else:
    display(show.note("Skipped: this run is offline (set offline = False at the top to use the online geocoder)."))
