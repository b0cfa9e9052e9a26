"""The benchmark's steps, each run in a fresh Python process by `kit.bench.runner` (``python -m kit.bench.phases STEP JSON``).

A fresh process per step gives each its own peak memory (``getrusage``) and cold caches. Every
step prints one line of JSON: what it measured.
"""
from __future__ import annotations

import copy
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path

from ..paths import PACKAGE, SEEDS

REPO = PACKAGE.parent  # the benchmark is a developer tool: it runs in a checkout of the repository
GOLD = REPO / "tests" / "gold"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> dict:
    """Peak resident memory of this process and of its largest finished child, in MB (Linux: KB units)."""
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / 1024 / 1024
    return {"self_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, 1),
            "largest_child_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * scale, 1)}


# --------------------------------------------------------------------------- phases (each in its own process)


def phase_extract(corpus: str, one_core_articles: int) -> dict:
    """Read the corpus, then extract on one core (a sample) and on every core (all articles)."""
    from ..articles.reading import load_articles
    from ..memos import forget
    from ..pipeline.extract import default_resources, extract_article
    from ..pipeline.parallel import extract_many, usable_cores

    clock = time.perf_counter()
    lex, gaz = default_resources()
    resources_s = time.perf_counter() - clock
    clock = time.perf_counter()
    articles = load_articles([corpus], lex).articles
    read_s = time.perf_counter() - clock
    sizes = [len(a.text.encode("utf-8")) for a in articles]
    sample = articles[:one_core_articles]
    for article in articles[-20:] if len(articles) > len(sample) + 20 else articles[:20]:
        extract_article(article, lex, gaz)  # warm-up: compile the lexicons' patterns once, as any run does
    rounds, cpu_rounds = [], []
    for _ in range(3):  # the best of three rounds: the least disturbed by other work on the machine
        # neither answers remembered from the round before (phrases, sentence splits kept on the
        # articles) may flatter the rounds after the first: fresh articles, emptied memos
        sample = copy.deepcopy(sample)  # as a worker gets them: without the memos (`Article.__getstate__`)
        forget()
        clock, cpu = time.perf_counter(), time.process_time()
        for article in sample:
            extract_article(article, lex, gaz)
        rounds.append(time.perf_counter() - clock)
        cpu_rounds.append(time.process_time() - cpu)
    one_s = min(rounds)
    cores = usable_cores()
    children_cpu = _children_cpu()
    clock = time.perf_counter()
    extract_many(articles, lex, gaz, workers=cores)
    all_s = time.perf_counter() - clock
    workers_cpu = _children_cpu() - children_cpu  # CPU seconds the pool's workers used (0 when it ran here)
    sample_mb, all_mb = sum(sizes[:len(sample)]) / 1e6, sum(sizes) / 1e6
    return {"articles": len(articles), "mean_kb": round(sum(sizes) / len(sizes) / 1e3, 2), "analysed_mb": round(all_mb, 2),
            "resources_s": round(resources_s, 3), "read_s": round(read_s, 3),
            "read_per_s": round(len(articles) / read_s, 1),
            "one_core": {"articles": len(sample), "seconds": round(one_s, 3), "articles_per_s": round(len(sample) / one_s, 1),
                         "mb_per_s": round(sample_mb / one_s, 3),
                         "rounds_articles_per_s": [round(len(sample) / r, 1) for r in rounds],
                         "articles_per_cpu_s": round(len(sample) / min(cpu_rounds), 1)},
            "all_cores": {"cores": cores, "articles": len(articles), "seconds": round(all_s, 3),
                          "articles_per_s": round(len(articles) / all_s, 1),
                          "mb_per_s_per_core": round(all_mb / all_s / cores, 3),
                          "workers_cpu_s": round(workers_cpu, 3),
                          "articles_per_worker_cpu_s": round(len(articles) / workers_cpu, 1) if workers_cpu else None},
            "memory": _peak_mb()}


def phase_parse_ratio(corpus: str, sample: int, rounds: int = 3) -> dict:
    """The kit's whole per-article extraction against the bare spaCy parse of the same candidate
    sentences, in alternating rounds in one process (issue 14: the kit at most 1.5 times the parse)."""
    import copy

    from ..articles.datelines import blank_dateline
    from ..articles.reading import load_articles
    from ..claims.grammar import load_parser, parser_id
    from ..claims.shared import candidate_sentences
    from ..memos import forget
    from ..pipeline.extract import default_resources, extract_article

    lex, gaz = default_resources()
    articles = load_articles([corpus], lex).articles[:sample]
    texts = [blank_dateline(r.sentence.text)[:3000] for a in copy.deepcopy(articles) for r in candidate_sentences(a, lex)[1]]
    nlp = load_parser()
    for article in articles[:20]:
        extract_article(article, lex, gaz)  # warm-up, as any run does
    list(nlp.pipe(texts[:200], batch_size=256))
    kit_rounds, parse_rounds = [], []
    for _ in range(rounds):
        fresh = copy.deepcopy(articles)
        forget()
        cpu = time.process_time()
        for article in fresh:
            extract_article(article, lex, gaz)
        kit_rounds.append(time.process_time() - cpu)
        cpu = time.process_time()
        list(nlp.pipe(texts, batch_size=256))
        parse_rounds.append(time.process_time() - cpu)
    kit_s, parse_s = min(kit_rounds), min(parse_rounds)
    words = sum(len(t.split()) for t in texts)
    return {"articles": len(articles), "parser": parser_id(), "candidate_sentences": len(texts), "candidate_words": words,
            "kit_cpu_s": round(kit_s, 3), "parse_cpu_s": round(parse_s, 3), "ratio": round(kit_s / parse_s, 3),
            "kit_ms_per_article": round(1000 * kit_s / len(articles), 2),
            "parse_ms_per_article": round(1000 * parse_s / len(articles), 2),
            "parse_words_per_cpu_s": round(words / parse_s), "rounds_ratio": [round(k / p, 3) for k, p in zip(kit_rounds, parse_rounds)]}


def _geotext_rows(articles) -> list[dict]:
    from geotext import GeoText

    rows = []
    for article in articles:
        found = GeoText(article.text)
        rows += [{"file": article.file, "mention": m} for m in found.cities + found.countries]
    return rows


DEV_CORPUS = REPO.parent / "shared" / "dev-corpus"  # beside the repository, when it is there


def _score_places(rows: list[dict], gold_csv: Path = GOLD / "places.csv") -> dict | None:
    """Precision, recall and F1 of place mentions against a gold places.csv (None without the gold)."""
    import csv
    import importlib.util

    if not (GOLD / "score.py").exists() or not Path(gold_csv).exists():
        return None
    spec = importlib.util.spec_from_file_location("kit_gold_score", GOLD / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    with open(gold_csv, encoding="utf-8", newline="") as handle:
        gold = list(csv.DictReader(handle))
    out: dict = {}
    score.places_report(gold, [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in rows], out)
    return {k: out["places"][k] for k in ("precision", "recall", "f1", "required_found", "required", "kit_mentions")}


def phase_peer(corpus: str, sample: int, rounds: int) -> dict:
    """Kit place extraction against geotext, same texts, alternating rounds; both scored on the seeds gold."""
    import statistics

    from ..articles.reading import load_articles
    from ..pipeline.extract import default_resources
    from ..places.mentions import find_places

    clock = time.perf_counter()
    import geotext  # noqa: F401 - its index is built at import; timed separately
    geotext_import_s = time.perf_counter() - clock
    from geotext import GeoText

    lex, gaz = default_resources()
    articles = load_articles([corpus], lex).articles[:sample]
    for article in articles[:20]:
        find_places(article, gaz, lex)
    kit_times, peer_times = [], []
    for _ in range(rounds):
        clock = time.perf_counter()
        for article in articles:
            find_places(article, gaz, lex)
        kit_times.append(time.perf_counter() - clock)
        clock = time.perf_counter()
        for article in articles:
            GeoText(article.text)
        peer_times.append(time.perf_counter() - clock)
    ratios = [k / p for k, p in zip(kit_times, peer_times)]
    seeds = load_articles([SEEDS], lex).articles
    kit_rows = [dict(row, file=a.file) for a in seeds for row in (p.as_row() for p in find_places(a, gaz, lex))]
    dev = load_articles([DEV_CORPUS / "articles"], lex).articles if (DEV_CORPUS / "articles").is_dir() else []
    dev_rows = [dict(row, file=a.file) for a in dev for row in (p.as_row() for p in find_places(a, gaz, lex))]
    dev_gold = DEV_CORPUS / "gold" / "places.csv"
    return {"articles": len(articles), "rounds": rounds, "geotext_import_s": round(geotext_import_s, 3),
            "kit_articles_per_s": round(len(articles) / min(kit_times), 1),
            "geotext_articles_per_s": round(len(articles) / min(peer_times), 1),
            "kit_over_geotext_time": {"median": round(statistics.median(ratios), 3),
                                      "min": round(min(ratios), 3), "max": round(max(ratios), 3)},
            "seeds_gold": {"kit": _score_places(kit_rows), "geotext": _score_places(_geotext_rows(seeds))},
            "dev_gold": {"kit": _score_places(dev_rows, dev_gold), "geotext": _score_places(_geotext_rows(dev), dev_gold)}
            if dev else {}}


def phase_pipeline(corpus: str, out: str, cache: str, fresh: bool) -> dict:
    """The whole pipeline to all tables (the Python API, as a notebook calls it)."""
    from ..pipeline.extract import code_fingerprint
    from ..pipeline.runner import run

    if fresh:
        shutil.rmtree(cache, ignore_errors=True)
    clock = time.perf_counter()
    result = run([corpus], out, cache_dir=cache, progress=False)
    seconds = time.perf_counter() - clock
    return {"seconds": round(seconds, 3), "timings": result.timings, "cache_hits": result.cache_hits,
            "rows": {name: len(frame) for name, frame in result.tables.items()},
            "code_fingerprint": code_fingerprint(), "memory": _peak_mb()}


def _article_events(tables: Path | None, articles) -> tuple[list[str], str]:
    """Each article's incident: from the pipeline's ``events.csv`` in ``tables`` (its ``articles``
    column names the files), else from a synthetic corpus's manifest notes ("incident 12")."""
    import re

    if tables is not None and (tables / "events.csv").exists():
        import pandas as pd

        events = pd.read_csv(tables / "events.csv", usecols=["event_id", "articles"], dtype=str, keep_default_na=False)
        by_file = {f.strip(): e for e, files in zip(events["event_id"], events["articles"]) for f in files.split(";") if f.strip()}
        return [by_file.get(a.file, "") for a in articles], "events.csv of the pipeline's run"
    found = [re.search(r"\bincident (\d+)", a.notes or "") for a in articles]
    return [f"synthetic-{m.group(1)}" if m else "" for m in found], "the synthetic manifest's incident numbers"


def phase_sources(corpus: str, tables: str = "", rounds: int = 3) -> dict:
    """Grouping copies (`kit.sources.copies.find_copies`, what the pipeline's ``sources`` step runs
    on every article) on the corpus, best of ``rounds``; with ``tables`` (a folder the pipeline
    wrote from this corpus) also the whole step (`kit.sources.grades.add_sources`: claim groups,
    independent sources and grades) on those tables (issue 16: under 10% of the run)."""
    from ..articles.reading import load_articles
    from ..lexicons import load_lexicons
    from ..sources.copies import Source, find_copies

    lex = load_lexicons()
    clock = time.perf_counter()
    articles = load_articles([corpus], lex).articles
    read_s = time.perf_counter() - clock
    folder = Path(tables) if tables else None
    events, events_from = _article_events(folder, articles)
    sources = [Source(a.article_id, a.outlet or "", a.published or "", a.text, "\n".join(line.text for line in a.furniture), e)
               for a, e in zip(articles, events)]
    find_copies(sources[:200], lex)  # warm-up: the credit patterns compiled once, as any run does
    times = []
    for _ in range(rounds):
        clock = time.perf_counter()
        found = find_copies(sources, lex)
        times.append(time.perf_counter() - clock)
    answer = {"articles": len(articles), "read_s": round(read_s, 3), "events_from": events_from,
              "find_copies_s": round(min(times), 3), "rounds_s": [round(t, 3) for t in times],
              "copies": sum(bool(c) for c in found.copy_of), "groups": len(set(found.group)), "memory": _peak_mb()}
    if folder is not None and (folder / "articles.csv").exists():
        from .. import read_tables
        from ..sources.grades import add_sources

        frames = read_tables(folder)
        text = {a.article_id: a.text for a in articles}
        by_id = dict(zip((a.article_id for a in articles), events))
        ids = frames["articles"]["article_id"].astype(str)
        clock = time.perf_counter()
        add_sources(frames, [text.get(i, "") for i in ids], [by_id.get(i, "") for i in ids], lex)
        answer["add_sources_s"] = round(time.perf_counter() - clock, 3)
    return answer


def phase_rerun_in_kernel(corpus: str, out: str, cache: str, seed: int, number: int) -> dict:
    """A notebook's rerun: one run (as when the notebook was first run), then a new article is
    dropped into the folder and the run is repeated in the same process (imports done, patterns
    compiled, as in a Jupyter kernel). The new article is synthetic article ``number`` (not in
    the corpus) under a name of its own; it is removed again at the end."""
    from ..pipeline.runner import run
    from .synthetic import article_text, load_resources

    run([corpus], out, cache_dir=cache, progress=False)
    added = Path(corpus) / f"dropped_in_{number}.txt"
    added.write_text(article_text(load_resources(), seed, number)[0], encoding="utf-8")
    try:
        clock = time.perf_counter()
        result = run([corpus], out, cache_dir=cache, progress=False)
        seconds = time.perf_counter() - clock
    finally:
        added.unlink()
    return {"seconds": round(seconds, 3), "timings": result.timings, "cache_hits": result.cache_hits,
            "articles": len(result.tables["articles"])}


def _top(stats, key: str, top: int) -> list[dict]:
    """The ``top`` functions of a `pstats.Stats` by own (``tottime``) or cumulative time, with short paths."""
    entries = sorted(stats.stats.items(), key=lambda item: item[1][2 if key == "tottime" else 3], reverse=True)
    table = []
    for (path, line, func), (_, calls, tottime, cumtime, _) in entries[:top]:
        where = Path(path).name if path != "~" else ""
        if "site-packages" in path:
            where = path.split("site-packages/")[1]
        elif "/kit/" in path:
            where = "kit/" + path.rsplit("/kit/", 1)[1]
        table.append({"function": f"{where}:{line}({func})" if where else func, "calls": calls,
                      "tottime_s": round(tottime, 3), "cumtime_s": round(cumtime, 3)})
    return table


def phase_profile_rerun(corpus: str, out: str, cache: str, top: int) -> dict:
    """cProfile of a rerun with nothing changed (every article from the cache): where a rerun's time goes."""
    import cProfile
    import pstats

    from ..pipeline.runner import run

    profiler = cProfile.Profile()
    profiler.enable()
    result = run([corpus], out, cache_dir=cache, progress=False)
    profiler.disable()
    stats = pstats.Stats(profiler)
    return {"cache_hits": result.cache_hits, "timings": result.timings, "total_s": round(stats.total_tt, 3),
            "by_cumtime": _top(stats, "cumtime", top)}


def phase_profile(corpus: str, out: str, top: int) -> dict:
    """cProfile of reading and extracting the corpus on one core; the full listing goes to OUT/profile.txt."""
    import cProfile
    import io
    import pstats

    from ..articles.reading import load_articles
    from ..pipeline.extract import default_resources, extract_article

    lex, gaz = default_resources()
    profiler = cProfile.Profile()
    clock = time.perf_counter()
    profiler.enable()
    articles = load_articles([corpus], lex).articles
    for article in articles:
        extract_article(article, lex, gaz)
    profiler.disable()
    seconds = time.perf_counter() - clock
    profiler.dump_stats(str(Path(out) / "profile.prof"))
    listing = io.StringIO()
    stats = pstats.Stats(profiler, stream=listing)
    stats.sort_stats("tottime").print_stats(40)
    stats.sort_stats("cumulative").print_stats(60)
    (Path(out) / "profile.txt").write_text(listing.getvalue(), encoding="utf-8")

    return {"articles": len(articles), "seconds_profiled": round(seconds, 3), "total_s": round(stats.total_tt, 3),
            "by_tottime": _top(stats, "tottime", top), "by_cumtime": _top(stats, "cumtime", top)}


CHROMIUM = Path(os.environ.get("KIT_CHROMIUM", "/usr/bin/chromium"))


def _open_in_browser(pages: dict[str, Path]) -> dict:
    """Seconds until each page's load event in headless Chromium, with the network blocked, and its script errors."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"status": "not measured: playwright is not installed"}
    if not CHROMIUM.exists():
        return {"status": f"not measured: no Chromium at {CHROMIUM} (set KIT_CHROMIUM)"}
    found = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        try:
            for name, path in pages.items():
                page = browser.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)[:200]))
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:", "blob:", "about:"))
                           else route.abort())
                clock = time.perf_counter()
                page.goto(Path(path).resolve().as_uri(), wait_until="load", timeout=120_000)
                found[name] = {"load_s": round(time.perf_counter() - clock, 2), "script_errors": errors[:3]}
                page.close()
        finally:
            browser.close()
    return {"status": "measured", **found}


def phase_report(out: str, n_incidents: int) -> dict:
    """The map and the report from a table set with ``n_incidents`` incidents (`kit.bench.synthetic.incident_tables`)."""
    from .. import read_tables
    from .synthetic import incident_tables

    tables_dir = Path(out) / f"tables-{n_incidents}-incidents"
    incident_tables(n_incidents, tables_dir)
    tables = read_tables(tables_dir)
    answer: dict = {"incidents": n_incidents}
    try:
        from ..present.maps import incident_map, save_map
    except ImportError:
        answer["map"] = {"status": "not measured yet: kit.present.maps does not exist"}
    else:
        clock = time.perf_counter()
        path = Path(save_map(incident_map(tables), Path(out) / f"map-{n_incidents}.html"))
        answer["map"] = {"status": "measured", "seconds": round(time.perf_counter() - clock, 3),
                         "mb": round(path.stat().st_size / 1e6, 2), "path": str(path)}
    try:
        from ..present.report import build_report
    except ImportError:
        answer["report"] = {"status": "not measured yet: kit.present.report does not exist"}
        return answer
    target = Path(out) / f"report-{n_incidents}"
    shutil.rmtree(target, ignore_errors=True)
    clock = time.perf_counter()
    try:
        built = build_report([], target, tables=tables, progress=False)
    except Exception as exc:  # noqa: BLE001 - a benchmark records a failure, it does not stop at it
        answer["report"] = {"status": f"failed: {type(exc).__name__}: {exc}"[:300]}
        return answer
    seconds = time.perf_counter() - clock
    pages = [built.report_path, *built.pages.values(), *sorted((target / "pages").glob("kit-*"))]  # with the shared plotly.js
    answer["report"] = {"status": "measured" if built.report_path.exists() else "failed: no report.html",
                        "seconds": round(seconds, 3), "timings": built.timings,
                        "mb": round(built.report_path.stat().st_size / 1e6, 2) if built.report_path.exists() else None,
                        "all_pages_mb": round(sum(p.stat().st_size for p in pages if p.exists()) / 1e6, 2),
                        "problems": [str(p) for p in built.problems][:5], "path": str(built.report_path)}
    answer["memory"] = _peak_mb()
    opened = {"map": answer["map"].get("path"), "report": answer["report"].get("path")}
    answer["browser"] = _open_in_browser({k: Path(v) for k, v in opened.items() if v and Path(v).exists()})
    return answer


LONG_LINE_UNIT = "killed 3 people in Baghdad and "  # the line of issue 18


def phase_long_line(chars: int, out: str, cache: str | None = None, index: str | None = None) -> dict:
    """One article of one line of ``chars`` characters ("killed 3 people in Baghdad and ..."), run
    to all tables in this process: seconds, peak memory and the tables' sizes (issue 18: goal, a
    5 MB line under 30 s and 1 GB).

    Every call starts from new tables and an empty cache (``OUT/cache``; ``cache``: a folder of
    yours instead, used as it is), so the line is analysed, never served from an earlier call. The
    world place index comes from ``index`` (a built ``gazetteer.sqlite``), else ``KIT_WORLD_INDEX``,
    else it is built once into ``OUT/index`` in a process of its own: neither its build's time nor
    its memory is in the figures."""
    import subprocess

    from ..pipeline.runner import run
    from ..places.index import NAME, SHARED_ENV

    root = Path(out)
    for own in ("articles", "tables", *(() if cache else ("cache",))):
        shutil.rmtree(root / own, ignore_errors=True)
    index_path = Path(index or os.environ.get(SHARED_ENV) or root / "index" / NAME)
    if not index_path.exists():
        subprocess.run([sys.executable, "-m", "kit.bench.phases", "gazetteer_build", json.dumps({"cache": str(index_path.parent)})],
                       check=True, capture_output=True)
    os.environ[SHARED_ENV] = str(index_path)
    folder = root / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "long.txt").write_text("Strike report\n\n" + LONG_LINE_UNIT * (chars // len(LONG_LINE_UNIT)) + "police said.\n",
                                     encoding="utf-8")
    clock = time.perf_counter()
    result = run([folder], root / "tables", cache_dir=Path(cache) if cache else root / "cache",
                 corrections_dir=root / "corrections", progress=False)
    seconds = time.perf_counter() - clock
    sizes = {p.name: round(p.stat().st_size / 1e6, 2) for p in sorted((root / "tables").iterdir()) if p.is_file() and p.stat().st_size}
    return {"chars": chars, "seconds": round(seconds, 2), "memory": _peak_mb(), "tables_mb": sizes,
            "rows": {name: len(frame) for name, frame in result.tables.items()}}


PHASES = {"extract": phase_extract, "long_line": phase_long_line, "parse_ratio": phase_parse_ratio, "peer": phase_peer, "pipeline": phase_pipeline, "profile": phase_profile,
          "profile_rerun": phase_profile_rerun, "report": phase_report, "rerun_in_kernel": phase_rerun_in_kernel,
          "sources": phase_sources}


def _gazetteer_phases() -> dict:
    from .gazetteer_phases import phase_gazetteer_build, phase_gazetteer_use

    return {"gazetteer_build": phase_gazetteer_build, "gazetteer_use": phase_gazetteer_use}



def main(argv: list[str]) -> None:
    answer = {**PHASES, **_gazetteer_phases()}[argv[0]](**json.loads(argv[1]))
    print(json.dumps(answer))


if __name__ == "__main__":
    main(sys.argv[1:])
