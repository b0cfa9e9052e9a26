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
offline = True  # True: the map has only the offline outlines; False: OpenStreetMap tiles are offered as a layer

# %% [markdown]
# # 3. Map
#
# Where the incidents happened, as the articles place them.
#
# - **A dot per incident**, one colour per incident (the same colours as in the charts). Dots close to
#   each other are gathered into a numbered cluster; zoom in or click it to spread them out.
# - **A circle around each dot shows the location precision**: the bigger it is, the less the
#   articles say about where exactly it happened (a city name: about 10 km; a country: hundreds).
# - **Click a dot** for what the sources say: the quoted sentence, the outlet and its date.
# - **Switch layers** (top right): each incident and each outlet can be hidden or shown; the circles too.
#
# The outlines of countries and governorates come with the kit (Natural Earth, public domain), so the
# map works with no network.
#
# **Reads** `events.csv`, `places.csv`, the claims and `articles.csv`. **Writes** `map.html`, the
# map on its own page.

# %%
from kit.present import maps, show

p = show.params(articles_dirs, out_dir, offline)
tables = show.load_tables(p)
display(show.setup(), show.inputs_outputs(p, reads=["events.csv", "places.csv", "casualty_claims.csv",
                                                     "attribution_claims.csv", "articles.csv"], writes=["map.html"]))

# %% [markdown]
# The facts the map relies on: one row per incident, and coordinates on the globe.

# %%
events = tables["events"]
assert events["event_id"].is_unique, "two incidents share an id"
located = events.dropna(subset=["lat", "lon"])
assert located["lat"].between(-90, 90).all() and located["lon"].between(-180, 180).all(), "an incident lies off the globe"
show.note(f"{len(events)} incident(s), {len(located)} with coordinates on the map.")

# %% [markdown]
# ## The incidents
#
# The same map is saved on its own as `map.html` in the output folder, to send or open separately.

# %%
incident_map = maps.incident_map(tables, online=not p.offline)
maps.save_map(incident_map, p.out_dir / "map.html")
incident_map

# %% [markdown]
# ## Incidents that are not on the map
#
# An incident without coordinates has no place the kit could locate. Fix the place in notebook 2
# (the corrections file), then rerun.

# %%
show.table(events[events["lat"].isna() | events["lon"].isna()], ["event_id", "date", "label", "place"],
           empty="Every incident is on the map." if len(events) else "No incidents found yet.")
