"""A deterministic synthetic corpus in the style of the seeds, for the benchmark (`kit.bench.runner`).

Each article reports one strike the way the seed articles do: a headline, sometimes a date line
and a byline, a dateline paragraph, casualty figures from named sources ("two security sources
told Reuters"), stances on who did it (claims, denials, hedged suspicions, "no one has claimed
responsibility"), a quotation, a background incident, context paragraphs and page furniture
(app and newsletter prompts, "Read more from ...:" blocks of related headlines, video-player
notices, live-story notices). Several articles report the same incident, as in the seeds.

Place names come from the kit's gazetteer (``data/gazetteer/*.csv``), actors from
``data/lexicons/actors.csv`` and outlets from ``data/lexicons/outlets.csv``, so the corpus
exercises the same lexicons as real articles. Article ``i`` depends only on ``(seed, i)``:
``make_corpus(n + 1)`` is ``make_corpus(n)`` plus one article, which is how the benchmark
measures an incremental rerun.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = Path(tempfile.mkdtemp())
    >>> paths = make_corpus(3, folder, seed=7)
    >>> [p.name for p in paths]
    ['syn_000000.txt', 'syn_000001.txt', 'syn_000002.txt']
    >>> paths[0].read_text() == make_corpus(3, Path(tempfile.mkdtemp()), seed=7)[0].read_text()
    True
"""
from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from ..errors import LexiconError
from ..lexicons import read_csv_rows, split_aliases
from ..paths import GAZETTEER, LEXICONS

ARTICLES_PER_INCIDENT = 3  # on average; the seeds have 2-3 articles about the main incidents
MANIFEST_COLUMNS = ("file", "outlet", "published", "url", "title", "notes")
_FIRST_DAY = date(2023, 10, 1)
_DAYS = 450
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_COUNTRY_NAMES = {"IQ": "Iraq", "SY": "Syria", "IR": "Iran", "JO": "Jordan", "LB": "Lebanon", "YE": "Yemen",
                  "IL": "Israel", "TR": "Turkey"}
# Fallbacks when a gazetteer or lexicon file is missing (e.g. while it is being rebuilt).
_FALLBACK_PLACES = [("Baghdad", "IQ"), ("Erbil", "IQ"), ("Mosul", "IQ"), ("Kirkuk", "IQ"), ("Basra", "IQ"),
                    ("Karbala", "IQ"), ("Najaf", "IQ"), ("Ramadi", "IQ"), ("Deir ez-Zor", "SY"), ("Damascus", "SY"),
                    ("Aleppo", "SY"), ("Homs", "SY"), ("Tehran", "IR"), ("Isfahan", "IR"), ("Beirut", "LB"),
                    ("Sanaa", "YE"), ("Hodeidah", "YE"), ("Amman", "JO")]
_FALLBACK_ATTACKERS = ["United States", "Israel", "US-led coalition", "Turkey"]
_FALLBACK_TARGETS = ["Kataib Hezbollah", "Harakat al-Nujaba", "Popular Mobilization Forces", "Islamic State"]
_FALLBACK_OUTLETS = ["Sky News", "Rudaw", "Al-Monitor", "The National", "Middle East Eye"]
_FALLBACK_WIRES = ["Reuters", "AFP", "AP"]

_SPEAKERS = ["two security sources", "a police officer", "an interior ministry source", "a local official",
             "two PMF sources", "a medical source", "a militia spokesman", "the provincial governor",
             "a US official", "a defence official", "residents", "a hospital director", "two military sources",
             "a civil defence spokesman", "an Iraqi military statement", "the health ministry"]
_VICTIMS = ["people", "fighters", "militia members", "civilians", "soldiers", "guards", "members of the group"]
_NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"]
_BASE_KINDS = ["military base", "air base", "base", "headquarters", "weapons depot", "camp", "airport", "checkpoint"]
_WEAPONS = ["a drone", "two rockets", "an airstrike", "a missile", "a car bomb", "several drones", "artillery fire"]
_FIRST_NAMES = ["Sarah", "Ahmed", "John", "Leila", "Omar", "Maria", "David", "Huda", "Karim", "Emma", "Yusuf"]
_LAST_NAMES = ["Hassan", "Smith", "Rahman", "Jones", "Haddad", "Khalil", "Brown", "Nasser", "Taylor", "Aziz"]
_CONTEXT = [
    "Since the outbreak of the war in Gaza on 7 October, groups aligned with {target} have carried out more than {big} attacks on bases housing {attacker_forces} in Iraq and Syria.",
    "{attacker} has about {big2} troops deployed in the region, officials say, to prevent a resurgence of Islamic State militants.",
    "The government in {capital} has repeatedly called for the withdrawal of foreign forces from the country.",
    "Analysts warn that tit-for-tat strikes raise the risk of miscalculation and a wider regional war.",
    "The prime minister described the attack as a dangerous escalation and a violation of the country's sovereignty.",
    "Local television showed burned-out vehicles and a crater at the entrance of the compound.",
    "The group has threatened to target the interests of its enemies across the region if the strikes continue.",
    "Officials did not immediately respond to a request for comment.",
    "The area around the site was sealed off by security forces and an investigation was opened.",
    "Footage shared on social media, which could not be independently verified, showed a large fire.",
    "The strike comes against a backdrop of rising tensions between {attacker} and groups backed by Iran across the Middle East, where a string of attacks and reprisals has unsettled governments and markets alike.",
    "Residents of the area said they heard several loud explosions shortly after midnight and saw smoke rising from the compound for hours afterwards, while ambulances rushed to the scene.",
    "{target} has an array of rockets and drones and a long history of attacks on foreign forces, and its leaders have vowed revenge for every strike on their positions.",
    "Diplomats in {capital} said the government had summoned foreign envoys to protest against what it called a breach of its airspace and a threat to regional stability.",
    "The United Nations called on all sides to exercise restraint and to avoid steps that could drag the region into a wider conflict.",
    "Earlier this year, {attacker} and the government in {capital} announced talks on the future of the foreign military mission, which was first deployed to fight the Islamic State group.",
    "Security forces later found the remains of a drone near the site, according to a statement from the joint operations command, which said an investigation was under way.",
    "Some analysts say the strikes are meant to deter further attacks, while others warn that they risk strengthening hardliners and pushing the groups to escalate.",
    "Over the past {months} months, the groups have stepped up missile and drone attacks, while {attacker} has responded with strikes on their weapons depots and command centres.",
    "Funerals for those killed were held the following day, with hundreds of mourners chanting slogans against {attacker} and waving the flags of {target}.",
]


@dataclass(frozen=True)
class Resources:
    places: list[tuple[str, str]]  # (name, country code)
    attackers: list[tuple[str, list[str]]]  # (canonical, aliases)
    targets: list[tuple[str, list[str]]]
    outlets: list[str]
    wires: list[str]


def _ascii(name: str) -> bool:
    return name.isascii() and "'" not in name


def load_resources(gazetteer_dir: Path | None = None, lexicons_dir: Path | None = None) -> Resources:
    """Place names, actors and outlets the corpus draws on, from the kit's own data files."""
    places: list[tuple[int, str, str]] = []
    for path in sorted(Path(gazetteer_dir or GAZETTEER).glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                name, country = (row.get("name") or "").strip(), (row.get("country") or "").strip()
                if name and _ascii(name) and country in _COUNTRY_NAMES:
                    try:
                        population = int(float(row.get("population") or 0))
                    except ValueError:
                        population = 0
                    places.append((population, name, country))
    places.sort(key=lambda p: (-p[0], p[1]))
    place_list = [(name, country) for _, name, country in places[:400]] or _FALLBACK_PLACES

    attackers, targets = [], []
    try:
        for row in read_csv_rows(Path(lexicons_dir or LEXICONS) / "actors.csv", ("canonical", "aliases", "kind")):
            aliases = [a for a in split_aliases(row["aliases"]) if len(a) > 3] or [row["canonical"]]
            if row["kind"] in ("state", "coalition", "military") and row["canonical"] not in ("Iraq", "Jordan", "Syria"):
                attackers.append((row["canonical"], aliases))
            elif row["kind"] == "armed_group":
                targets.append((row["canonical"], aliases))
    except LexiconError:  # a missing or broken lexicon: the corpus still builds, from the fallbacks
        pass
    attackers = attackers or [(a, [a]) for a in _FALLBACK_ATTACKERS]
    targets = targets or [(t, [t]) for t in _FALLBACK_TARGETS]

    outlets, wires = [], []
    try:
        for row in read_csv_rows(Path(lexicons_dir or LEXICONS) / "outlets.csv", ("name", "kind")):
            (wires if row["kind"] == "wire" else outlets).append(row["name"])
    except LexiconError:
        pass
    return Resources(place_list, attackers, targets, outlets or _FALLBACK_OUTLETS, wires[:6] or _FALLBACK_WIRES)


@dataclass(frozen=True)
class Incident:
    day: date
    place: str
    country: str
    site: str
    attacker: str
    attacker_aliases: list[str]
    target: str
    target_aliases: list[str]
    killed: int
    wounded: int
    weapon: str


def incident(res: Resources, seed: int, number: int) -> Incident:
    """Incident ``number`` of the corpus: a date, a place and who hit whom (deterministic)."""
    rng = random.Random(f"{seed}:incident:{number}")
    near = [p for p in res.places if p[1] in ("IQ", "SY")] or res.places
    place, country = rng.choice(near if rng.random() < 0.8 else res.places)  # mostly Iraq and Syria, as the seeds
    attacker, attacker_aliases = rng.choice(res.attackers)
    target, target_aliases = rng.choice(res.targets)
    killed = rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 17, 25])
    return Incident(_FIRST_DAY + timedelta(days=rng.randrange(_DAYS)), place, country,
                    rng.choice(_BASE_KINDS), attacker, attacker_aliases, target, target_aliases,
                    killed, rng.choice([0, 1, 2, 3, 5, 6, 8, 10, 14, 20, 30]), rng.choice(_WEAPONS))


def _count(rng: random.Random, n: int) -> str:
    """Words for a figure, in the ways articles give them."""
    if n == 0:
        return "no"
    style = rng.random()
    word = _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) and rng.random() < 0.6 else str(n)
    if style < 0.15:
        return f"at least {word}"
    if style < 0.25:
        return f"between {n} and {n + rng.randint(1, 4)}"
    if style < 0.32:
        return f"up to {word}"
    return word


def _casualty_sentence(rng: random.Random, inc: Incident, speaker: str, wire: str) -> str:
    via = f", {speaker} told {wire}" if rng.random() < 0.5 else f", according to {speaker}"
    if inc.killed == 0 and inc.wounded == 0:
        return rng.choice([f"{speaker.capitalize()} said the strikes did not lead to casualties but caused material damage.",
                           f"There were no casualties in the attack{via}."])
    if inc.killed == 0:
        return f"The strike wounded {_count(rng, inc.wounded)} {_victims(rng, inc.wounded)}{via}."
    if rng.random() < 0.1:
        return f"The attack killed one person and caused countless injuries{via}."
    wounded = f" and wounded {_count(rng, inc.wounded)} others" if inc.wounded else ""
    return f"The strike killed {_count(rng, inc.killed)} {_victims(rng, inc.killed)}{wounded}{via}."


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _victims(rng: random.Random, n: int) -> str:
    return "person" if n == 1 else rng.choice(_VICTIMS)


def _attribution_sentences(rng: random.Random, inc: Incident, res: Resources, wire: str) -> list[str]:
    attacker = rng.choice(inc.attacker_aliases)
    target = rng.choice(inc.target_aliases)
    options = [
        f"{attacker} said it carried out the strike, calling it a response to attacks on its personnel.",
        f"Officials of {target} blamed {attacker} for the attack.",
        f"The strike was reportedly carried out by {attacker}, {wire} reported, citing two officials.",
        f"A spokesman for {attacker} denied any involvement in the strike.",
        f"It was not clear who was responsible for the attack, which came a day after a suspected {attacker} strike elsewhere.",
        "No one has claimed responsibility for the strike.",
        f"{attacker} was believed to be behind the attack, according to {rng.choice(_SPEAKERS)}.",
    ]
    return rng.sample(options, k=rng.randint(2, 4))


def _furniture(rng: random.Random, outlet: str, res: Resources) -> list[list[str]]:
    """Blocks of page furniture (each a list of lines) for one page."""
    blocks = []
    if rng.random() < 0.5:
        blocks.append(["Be the first to get Breaking News", f"Install the {outlet} app for free"])
    if rng.random() < 0.5:
        other = incident(res, rng.randrange(10**6), rng.randrange(10**6))
        blocks.append([f"Read more from {outlet}:",
                       f"{other.attacker} strike hits {other.site} near {other.place}",
                       f"How the {other.target} attacks are creating greater instability"])
    if rng.random() < 0.3:
        blocks.append(["Please use Chrome browser for a more accessible video player"])
    if rng.random() < 0.2:
        blocks.append(["Sign up for our breaking news alerts and daily newsletter"])
    rng.shuffle(blocks)
    return blocks


def article_text(res: Resources, seed: int, number: int) -> tuple[str, dict]:
    """Text and manifest row of article ``number`` (its file name is set by `make_corpus`)."""
    rng = random.Random(f"{seed}:article:{number}")
    incident_no = max(0, number // ARTICLES_PER_INCIDENT - (rng.random() < 0.2))
    inc = incident(res, seed, incident_no)
    outlet = rng.choice(res.outlets)
    wire = rng.choice(res.wires)
    published = inc.day + timedelta(days=rng.choice([0, 0, 1, 1, 2]))
    weekday = _WEEKDAYS[inc.day.weekday()]
    country = _COUNTRY_NAMES[inc.country]
    attacker = inc.attacker_aliases[0]
    target = rng.choice(inc.target_aliases)
    speaker = rng.choice(_SPEAKERS)
    title = rng.choice([f"{attacker} strike hits {target} {inc.site} near {inc.place}",
                        f"Blast rocks {inc.site} used by {target} in {country}",
                        f"{inc.killed} killed in strike on {target} in {inc.place}",
                        f"{country}: strike on {inc.site} near {inc.place} draws condemnation"])
    lines = [title]
    if rng.random() < 0.3:
        lines += ["", published.strftime("%b %-d, %Y")]
    if rng.random() < 0.3:
        lines += ["", f"By {rng.choice(_FIRST_NAMES)} {rng.choice(_LAST_NAMES)}"]
    lines += ["", f"{inc.place.upper()} \u2014 {inc.weapon.capitalize()} hit {_a(inc.site)} used by {target} near "
                  f"{inc.place} early on {weekday}, {speaker} said, in the latest attack in {country}.",
              _casualty_sentence(rng, inc, speaker, wire)]
    second = rng.choice(_SPEAKERS)
    if second != speaker and rng.random() < 0.6:  # a second, differing figure, as in the seeds
        lines.append(f"However, {second} quoted by {rng.choice(res.wires)} said the attack killed "
                     f"{_count(rng, inc.killed + rng.randint(0, 3))} people and wounded "
                     f"{_count(rng, inc.wounded + rng.randint(0, 5))} others.")
    furniture = _furniture(rng, outlet, res)
    attribution = _attribution_sentences(rng, inc, res, wire)
    lines += attribution[:1] + [line for block in furniture[:1] for line in block] + attribution[1:]
    quoted = rng.choice(["We will respond to this aggression at the time and place of our choosing",
                         "This is a flagrant violation of our sovereignty",
                         "The strike targeted those responsible for attacks on our forces",
                         "We are aware of reports of an attack and are looking into them"])
    lines.append(f"\"{quoted},\" {rng.choice(_SPEAKERS)} said in a statement.")
    elsewhere, other_country = rng.choice(res.places)
    lines.append(f"It comes {rng.choice(['a day', 'two days', 'a week'])} after {rng.randint(2, 95)} people were killed "
                 f"in {rng.choice(['two explosions', 'a bombing', 'an attack'])} in {elsewhere}, "
                 f"{_COUNTRY_NAMES[other_country]}.")
    big, big2, capital = rng.randint(60, 180), rng.choice(["900", "2,500", "3,000", "1,200"]), rng.choice(["Baghdad", "Damascus", "Beirut"])
    for template in rng.sample(_CONTEXT, k=rng.randint(10, 18)):
        lines.append(template.format(target=target, attacker=attacker, attacker_forces=f"{attacker} forces",
                                     big=big, big2=big2, capital=capital, months=rng.randint(2, 9)))
    lines += [line for block in furniture[1:] for line in block]
    if rng.random() < 0.15:
        lines.append(f"This is a breaking story. {outlet} will provide further updates as they become available.")
    meta = {"outlet": outlet if rng.random() < 0.9 else "", "published": published.isoformat(),
            "url": f"https://example.org/{seed}/{number}", "title": title if rng.random() < 0.5 else "",
            "notes": f"synthetic article {number}, incident {incident_no} (seed {seed})"}
    return "\n".join(lines) + "\n", meta


def make_corpus(n: int, folder, seed: int = 0) -> list[Path]:
    """Write ``n`` articles (``syn_000000.txt`` ...) and ``manifest.csv`` into ``folder``; returns the paths.

    Deterministic: the same ``(n, seed)`` writes the same bytes, and article ``i`` does not
    depend on ``n``. Files already there with the same content are left alone (so their
    modification times do not change); ``syn_*.txt`` files beyond ``n`` are deleted.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    res = load_resources()
    paths, manifest = [], []
    for number in range(n):
        text, meta = article_text(res, seed, number)
        path = folder / f"syn_{number:06d}.txt"
        data = text.encode("utf-8")
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
        manifest.append({"file": path.name, **meta})
    wanted = {p.name for p in paths}
    for stale in folder.glob("syn_*.txt"):  # from a larger corpus written here before
        if stale.name not in wanted:
            stale.unlink()
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=MANIFEST_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(manifest)
    return paths


def incident_tables(n_incidents: int, out, seed: int = 0) -> Path:
    """A complete, valid table set (as `kit run` writes it) with ``n_incidents`` incidents, for report benchmarks.

    One article per incident, with two place mentions, two casualty claims and two attribution
    claims each; coordinates from the gazetteer names' incidents. Written with
    `kit.pipeline.runner.write_tables`, so it passes the same checks as a real run.
    """
    import pandas as pd

    from ..pipeline.runner import write_tables
    from ..schema import validate

    res = load_resources()
    coords = _coordinates()
    rows: dict[str, list[dict]] = {"articles": [], "places": [], "casualty_claims": [], "attribution_claims": [],
                                   "events": [], "problems": []}
    texts = {}
    for number in range(n_incidents):
        inc = incident(res, seed, number)
        lat, lon = coords.get(inc.place, (33.3, 44.4))
        article_id, file = f"{number:012x}", f"syn_{number:06d}.txt"
        event_id = f"{inc.day.isoformat()}-{inc.place.lower().replace(' ', '-')}-{number}"
        sentence = f"The strike near {inc.place} killed {inc.killed} people and wounded {inc.wounded} others, officials said."
        at = len("The strike near ")
        stance_sentence = f"{inc.attacker_aliases[0]} said it carried out the strike on {inc.target}."
        text = f"{sentence}\n{stance_sentence}"
        texts[article_id] = text
        second = len(sentence) + 1
        rows["articles"].append({"article_id": article_id, "file": file, "outlet": res.outlets[number % len(res.outlets)],
                                 "title": f"Strike near {inc.place}", "url": "", "published": inc.day.isoformat(),
                                 "published_inferred": False, "n_words": len(text.split()), "sha256": f"{number:064x}",
                                 "flags": ""})
        rows["places"].append({"article_id": article_id, "file": file, "mention": inc.place, "start": at, "end": at + len(inc.place),
                               "canonical": inc.place, "kind": "city", "lat": lat, "lon": lon, "geocoder": "gazetteer",
                               "precision_km": 10.0, "in_scope": True, "country": inc.country, "status": "found",
                               "source": "synthetic", "sentence": sentence})
        for outcome, count in (("killed", inc.killed), ("wounded", inc.wounded)):
            rows["casualty_claims"].append({
                "claim_id": f"{article_id}-{outcome}", "article_id": article_id, "file": file, "event_id": event_id,
                "background": False, "outcome": outcome, "count_min": count, "count_max": count, "count_text": str(count),
                "victims": "people", "speaker": "officials", "via": "", "sentence": sentence, "start": 0,
                "end": len(sentence)})
        rows["attribution_claims"].append({
            "claim_id": f"{article_id}-claims", "article_id": article_id, "file": file, "event_id": event_id,
            "background": False, "actor": inc.attacker, "stance": "claims", "speaker": inc.attacker_aliases[0], "via": "",
            "sentence": stance_sentence, "start": second, "end": second + len(stance_sentence)})
        rows["events"].append({"event_id": event_id, "label": f"{inc.weapon} on {inc.target} {inc.site} near {inc.place}",
                               "date": inc.day.isoformat(), "place": inc.place, "lat": lat, "lon": lon, "n_articles": 1,
                               "killed_min": inc.killed, "killed_max": inc.killed, "wounded_min": inc.wounded,
                               "wounded_max": inc.wounded, "precision_km": 10.0, "articles": file,
                               "n_casualty_claims": 2, "n_attribution_claims": 1, "contradictions": ""})
    tables = {name: validate(pd.DataFrame(r), name) for name, r in rows.items()}
    out = Path(out)
    write_tables(tables, out, texts=texts)
    return out


def _coordinates() -> dict[str, tuple[float, float]]:
    found: dict[str, tuple[float, float]] = {}
    for path in sorted(GAZETTEER.glob("*.csv")):
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for row in csv.DictReader(handle):
                try:
                    found.setdefault(row["name"], (float(row["lat"]), float(row["lon"])))
                except (KeyError, TypeError, ValueError):
                    continue
    return found
