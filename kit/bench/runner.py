"""Benchmark: speed and memory of the kit on a synthetic corpus, with a peer measured alongside.

``kit bench --articles 10000 --out bench-out --record BENCHMARKS.md`` builds a deterministic
corpus of seed-like articles (`kit.bench.synthetic`) and measures, each step in a fresh Python process
so that peak memory and cold caches are its own:

1. extraction (`kit.pipeline.extract.extract_article`) on one core and on every core: articles/s and MB/s
   of analysed text per core; reading the files (`kit.articles.reading.load_articles`) separately;
2. the peer: place extraction against geotext on the same texts (speed ratio, alternating rounds
   so the ratio holds on a noisy machine) and both against the seeds gold (tests/gold/places.csv);
3. the whole pipeline to all tables with an empty cache, its peak memory (main process and
   extraction workers, ``getrusage`` ``ru_maxrss``);
4. a rerun with nothing changed, then a rerun after adding one article (the cache must serve
   every other article);
5. a cProfile of reading and extracting 1,000 articles, and one of a rerun (top functions);
6. the report with 10,000 incidents, when `kit.present.report` can build one from tables;
7. grouping copies into independent sources (`kit.sources.copies.find_copies` on every article, and
   the pipeline's whole ``sources`` step on its tables) and its share of the pipeline's run.
8. one article of one line of 1 kB, 1 MB and 5 MB (issue 18: the 5 MB line under 30 s and 1 GB),
   each in a fresh process from an empty cache, the world index built in step 2 opened, not built.

The steps themselves are in `kit.bench.phases`. Results go to ``OUT/bench.json``; with ``record``
(BENCHMARKS.md) the run's figures are appended as rows of the CSV beside it (BENCHMARKS.csv: one
row per measure, with the date, commit and load) and its full section replaces the "latest run"
section of the Markdown file. There are no pass/fail assertions here: the targets are printed
next to the numbers.

Example:
    >>> results = run_benchmark(50, "bench-out/small")   # doctest: +SKIP
    >>> results["targets"]["kit_over_parse"]["value"]  # doctest: +SKIP
"""
from __future__ import annotations

import functools
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from ..paths import NOTEBOOKS, SEEDS
from ..pipeline.parallel import MIN_PARALLEL
from .phases import GOLD, REPO

TARGETS = {  # for a 2-core machine: (what, target, unit, test)
    # issue 14: sentences are parsed (spaCy), so extraction is measured against the parse itself
    "kit_over_parse": ("the kit's extraction / the bare spaCy parse of the same candidate sentences (CPU)", "<= 1.5", "x",
                       lambda v: v <= 1.5),
    "pipeline_seconds": ("10,000 articles to all tables, both cores", "< 180 s", "s", lambda v: v < 180),
    "peak_memory_mb": ("peak memory of that run (main + workers)", "< 2 GB", "MB", lambda v: v < 2048),
    "rerun_seconds": ("rerun after adding one article to 10,000", "< 3 s", "s", lambda v: v < 3),
    "report_mb": ("report with 10,000 incidents", "< 15 MB", "MB", lambda v: v < 15),
    # issue 15
    "gazetteer_build_s": ("world gazetteer built on first use", "< 60 s", "s", lambda v: v < 60),
    "gazetteer_load_s": ("world gazetteer opened afterwards", "< 1 s", "s", lambda v: v < 1),
    "gazetteer_memory_mb": ("memory of the gazetteer and its lookups (place extraction)", "< 300 MB", "MB",
                            lambda v: v < 300),
    "places_vs_geotext": ("place extraction time, kit / geotext, same texts (median)", "<= 1", "x", lambda v: v <= 1),
    # issue 16
    "sources_share": ("grouping copies into independent sources (the pipeline's sources step) / the whole run, "
                      "10,000 articles, empty cache", "< 10%", "%", lambda v: v < 10),
    # issue 18
    "long_line_seconds": ("one article of one 5 MB line to all tables", "< 30 s", "s", lambda v: v < 30),
    "long_line_memory_mb": ("peak memory of that run", "< 1 GB", "MB", lambda v: v < 1024),
}
TARGET_SIZE = 10_000  # the pipeline, rerun and report targets are stated for this many articles
LONG_LINE_CHARS = (1_000, 1_000_000, 5_000_000)
LONG_LINE_TARGET = 5_000_000  # the long-line targets are stated for a line this long


def _say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def freeze_code(target: Path) -> Path:
    """Copy the kit's code and data (not its caches) to ``target``, so the phases run one fixed version.

    Someone saving a kit file in the middle of a benchmark would otherwise change the code
    fingerprint between the first run and the rerun, and the rerun would (rightly) miss the cache.
    """
    shutil.rmtree(target, ignore_errors=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "cache")
    shutil.copytree(REPO / "kit", target / "kit", ignore=ignore, symlinks=True)  # kit/data etc. link to the copies below
    shutil.copytree(REPO / "data", target / "data", ignore=ignore)
    shutil.copytree(SEEDS, target / "seeds", ignore=ignore)
    if NOTEBOOKS.is_dir():  # the report executes them
        shutil.copytree(NOTEBOOKS, target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    if GOLD.is_dir():
        shutil.copytree(GOLD, target / "tests" / "gold", ignore=ignore)
    return target


def _phase(name: str, timeout: float = 1800, code: Path | None = None, **kwargs) -> dict:
    """Run one phase in a fresh Python process (on the frozen ``code`` when given); its JSON answer is
    the last line of its output."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(code)] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    clock = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "kit.bench.phases", name, json.dumps(kwargs)], capture_output=True,
                          text=True, timeout=timeout, cwd=code or REPO, env=env)
    wall = time.perf_counter() - clock
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"benchmark phase {name!r} failed:\n{tail}")
    answer = json.loads(proc.stdout.strip().splitlines()[-1])
    answer["process_wall_s"] = round(wall, 3)
    return answer


# --------------------------------------------------------------------------- the whole benchmark


def _load() -> str:
    try:
        return " / ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


def machine() -> dict:
    """What the numbers were measured on (and how busy it was: other work skews timings)."""
    from ..pipeline.parallel import usable_cores

    info = {"cores": usable_cores(), "cpu_count": os.cpu_count(), "python": platform.python_version(),
            "load_average_start": _load(),
            "platform": platform.platform(), "date_utc": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    for key, cmd in (("nproc", ["nproc"]), ("free_h", ["free", "-h"]),
                     ("git", ["git", "-C", str(REPO), "describe", "--always", "--dirty"])):
        try:
            info[key] = subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip("\n").rstrip()
        except (OSError, subprocess.SubprocessError):
            info[key] = ""
    try:
        changed = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "kit", "data", "notebooks"],
                                 capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        changed = ""
    if info.get("git") and changed:
        info["git"] += f" + {len(changed.splitlines())} uncommitted or new file(s) in kit/, data/, notebooks/"
    return info


def _check(name: str, value, applies: bool) -> dict:
    what, target, unit, ok = TARGETS[name]
    if value is None:
        verdict = "not measured"
    elif not applies:
        verdict = f"n/a (target is for {TARGET_SIZE:,} articles)"
    else:
        verdict = "met" if ok(value) else "NOT met"
    return {"what": what, "target": target, "value": value, "unit": unit, "verdict": verdict}


def run_benchmark(n_articles: int, out, record=None, *, seed: int = 0, one_core_articles: int = 2000, parse_articles: int = 500,
                  peer_articles: int = 1000, peer_rounds: int = 5, profile_articles: int = 1000,
                  report_incidents: int = 10_000, long_line_chars: tuple = LONG_LINE_CHARS, command: str | None = None,
                  freeze: bool = True) -> dict:
    """Measure the kit on ``n_articles`` synthetic articles under ``out``; append the results to ``record``.

    With ``freeze`` (the default) the phases run on a copy of the kit's code and data taken at the
    start (``OUT/code``), so edits made meanwhile do not mix two versions in one measurement.
    """
    from .synthetic import make_corpus

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    corpus, cache, tables = out / "corpus", out / "cache", out / "tables"
    results: dict = {"n_articles": n_articles, "seed": seed, "machine": machine(),
                     "command": command or f"kit bench --articles {n_articles} --out {out.name}"
                                           + (f" --record {Path(record).name}" if record else "")}
    _say(f"writing {n_articles:,} synthetic articles to {corpus}")
    clock = time.perf_counter()
    make_corpus(n_articles, corpus, seed=seed)
    results["corpus_seconds"] = round(time.perf_counter() - clock, 2)

    code = freeze_code(out / "code") if freeze else None
    results["frozen_code"] = bool(code)
    if code is not None:
        _say(f"measuring a frozen copy of the kit's code and data in {code}")
    phase = functools.partial(_phase, code=code)
    _say("extraction on one core and on every core")
    results["extract"] = phase("extract", corpus=str(corpus), one_core_articles=min(one_core_articles, n_articles))
    _say("extraction against the bare parse of the same sentences")
    results["parse_ratio"] = phase("parse_ratio", corpus=str(corpus), sample=min(parse_articles, n_articles))
    _say("place extraction against geotext")
    try:
        results["peer"] = phase("peer", corpus=str(corpus), sample=min(peer_articles, n_articles), rounds=peer_rounds)
    except RuntimeError as exc:
        results["peer"] = {"error": str(exc).splitlines()[-1]}
    _say("world gazetteer: built on first use, then opened and used")
    gazetteer_cache = out / "gazetteer-cache"
    shutil.rmtree(gazetteer_cache, ignore_errors=True)
    results["gazetteer"] = {"build": phase("gazetteer_build", cache=str(gazetteer_cache)),
                            "use": phase("gazetteer_use", cache=str(gazetteer_cache), corpus=str(corpus),
                                         sample=min(peer_articles, n_articles))}
    results["long_line"] = []
    for chars in long_line_chars:
        _say(f"one article of one line of {chars:,} characters")
        results["long_line"].append(phase("long_line", chars=chars, out=str(out / f"long-line-{chars}"),
                                          index=str(gazetteer_cache / "gazetteer.sqlite")))
    _say("whole pipeline, empty cache")
    results["cold"] = phase("pipeline", corpus=str(corpus), out=str(tables), cache=str(cache), fresh=True)
    _say("grouping copies into independent sources, alone and as the pipeline's step")
    try:
        results["sources"] = phase("sources", corpus=str(corpus), tables=str(tables))
    except RuntimeError as exc:
        results["sources"] = {"error": str(exc).splitlines()[-1]}
    _say("rerun, nothing changed")
    results["warm"] = phase("pipeline", corpus=str(corpus), out=str(tables), cache=str(cache), fresh=False)
    _say("rerun after adding one article")
    for attempt in range(2):  # another engineer saving a kit file mid-benchmark changes the code fingerprint
        make_corpus(n_articles + 1, corpus, seed=seed)
        rerun = phase("pipeline", corpus=str(corpus), out=str(tables), cache=str(cache), fresh=False)
        make_corpus(n_articles, corpus, seed=seed)
        if rerun["cache_hits"] == n_articles or attempt:
            break
        _say("the cache did not serve every unchanged article (kit code changed meanwhile?); warming and repeating")
        phase("pipeline", corpus=str(corpus), out=str(tables), cache=str(cache), fresh=False)
    results["rerun"] = rerun
    _say("rerun after adding one article, in the same process (a notebook kernel)")
    results["rerun_kernel"] = phase("rerun_in_kernel", corpus=str(corpus), out=str(tables), cache=str(cache),
                                    seed=seed, number=n_articles + 1000)
    _say("profile of a rerun with nothing changed")
    results["profile_rerun"] = phase("profile_rerun", corpus=str(corpus), out=str(tables), cache=str(cache), top=15)
    _say(f"profile of {min(profile_articles, n_articles):,} articles")
    sub = out / f"corpus-{min(profile_articles, n_articles)}"
    make_corpus(min(profile_articles, n_articles), sub, seed=seed)
    results["profile"] = phase("profile", corpus=str(sub), out=str(out), top=12)
    _say(f"map and report with {report_incidents:,} incidents")
    try:
        results["report"] = phase("report", out=str(out), n_incidents=report_incidents)
    except RuntimeError as exc:
        failed = {"status": f"failed: {str(exc).splitlines()[-1]}"}
        results["report"] = {"incidents": report_incidents, "map": failed, "report": failed}
    results["machine"]["load_average_end"] = _load()

    full = n_articles >= TARGET_SIZE
    cold_mem = results["cold"]["memory"]
    workers = results["extract"]["all_cores"]["cores"]
    pooled = n_articles >= MIN_PARALLEL and workers > 1  # extraction workers ran beside the main process
    peak = cold_mem["self_mb"] + (workers * cold_mem["largest_child_mb"] if pooled else 0)
    report_mb = results["report"]["report"].get("mb")
    # the targets' line, if it was measured; the other lines are measures (below)
    target_line = next((r for r in results["long_line"] if r["chars"] == LONG_LINE_TARGET), None)
    results["targets"] = {
        "kit_over_parse": _check("kit_over_parse", results["parse_ratio"]["ratio"], True),
        "pipeline_seconds": _check("pipeline_seconds", results["cold"]["seconds"], full),
        "peak_memory_mb": _check("peak_memory_mb", round(peak), full),
        "rerun_seconds": _check("rerun_seconds", results["rerun"]["seconds"], full),
        "report_mb": _check("report_mb", report_mb, report_incidents >= TARGET_SIZE),
        "gazetteer_build_s": _check("gazetteer_build_s", results["gazetteer"]["build"]["seconds"], True),
        "gazetteer_load_s": _check("gazetteer_load_s", results["gazetteer"]["use"]["load_s"], True),
        "gazetteer_memory_mb": _check("gazetteer_memory_mb", results["gazetteer"]["use"]["gazetteer_and_lookups_mb"], True),
        "places_vs_geotext": _check("places_vs_geotext", results["peer"].get("kit_over_geotext_time", {}).get("median"),
                                    True),
        "sources_share": _check("sources_share", sources_share(results), full),
        "long_line_seconds": _check("long_line_seconds", target_line and target_line["seconds"], True),
        "long_line_memory_mb": _check("long_line_memory_mb", target_line and target_line["memory"]["self_mb"], True),
    }
    e, ratio = results["extract"], results.get("peer", {}).get("kit_over_geotext_time", {})
    results["measures"] = {
        "extract_per_cpu_s": ("extraction on one core, per CPU second", e["one_core"]["articles_per_cpu_s"], "articles/s"),
        "extract_all_cores": ("extraction on every core", e["all_cores"]["articles_per_s"], "articles/s"),
        "rerun_nothing_seconds": ("rerun with nothing changed", results["warm"]["seconds"], "s"),
        "rerun_kernel_seconds": ("rerun after adding one article, same process", results["rerun_kernel"]["seconds"], "s"),
        "kit_over_geotext": ("place extraction time, kit / geotext (median)", ratio.get("median"), "x"),
    }
    for run in results["long_line"]:  # the lines the targets do not cover (1 kB, 1 MB)
        if run is not target_line:
            results["measures"][f"long_line_{run['chars']}_seconds"] = (
                f"one article of one {run['chars']:,}-character line to all tables", run["seconds"], "s")
            results["measures"][f"long_line_{run['chars']}_memory_mb"] = ("peak memory of that run", run["memory"]["self_mb"], "MB")
    (out / "bench.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = markdown(results)
    print(text)
    if record:
        write_record(results, Path(record), text)
    return results


def sources_share(results: dict) -> float | None:
    """Per cent of the empty-cache pipeline run spent grouping copies: its ``sources`` step, else the
    phase's `add_sources` time on the same tables (None when neither was measured).

    >>> sources_share({"cold": {"seconds": 400.0, "timings": {"sources": 6.0}}})
    1.5
    """
    cold = results.get("cold") or {}
    seconds = cold.get("seconds")
    spent = (cold.get("timings") or {}).get("sources", (results.get("sources") or {}).get("add_sources_s"))
    return round(100 * spent / seconds, 2) if seconds and spent is not None else None


LATEST_START, LATEST_END = "<!-- latest run: written by kit bench --record -->", "<!-- end of latest run -->"
HISTORY_COLUMNS = ("date_utc", "git", "code_fingerprint", "load_start", "load_end", "n_articles", "measure", "what",
                   "value", "unit", "target", "verdict")


def history_rows(r: dict) -> list[dict]:
    """One row per measure of a run: the targets (with their verdicts) and the other headline figures.

    >>> rows = history_rows({"machine": {"date_utc": "d"}, "n_articles": 5, "cold": {},
    ...                      "targets": {"x": {"what": "w", "value": 1.5, "unit": "s", "target": "< 2 s", "verdict": "met"}}})
    >>> [(row["measure"], row["value"], row["verdict"]) for row in rows]
    [('x', 1.5, 'met')]
    """
    m = r["machine"]
    base = {"date_utc": m.get("date_utc", ""), "git": m.get("git", ""), "code_fingerprint": r["cold"].get("code_fingerprint", ""),
            "load_start": str(m.get("load_average_start", "")).split(" /")[0],
            "load_end": str(m.get("load_average_end", "")).split(" /")[0], "n_articles": r["n_articles"]}
    rows = [{**base, "measure": name, "what": t["what"], "value": t["value"], "unit": t["unit"], "target": t["target"],
             "verdict": t["verdict"]} for name, t in r["targets"].items()]
    for name, (what, value, unit) in r.get("measures", {}).items():
        rows.append({**base, "measure": name, "what": what, "value": value, "unit": unit, "target": "", "verdict": ""})
    return rows


def write_record(results: dict, record: Path, text: str) -> None:
    """Append the run to ``record``'s CSV (same name, ``.csv``) and make ``text`` its latest-run section."""
    import csv

    history = record.with_suffix(".csv")
    new = not history.exists()
    with open(history, "a", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=HISTORY_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerows(history_rows(results))
    page = record.read_text(encoding="utf-8") if record.exists() else RECORD_HEADER
    if LATEST_START not in page:
        page = page.rstrip() + f"\n\n## Latest run\n\n{LATEST_START}\n{LATEST_END}\n"
    head, rest = page.split(LATEST_START, 1)
    tail = rest.split(LATEST_END, 1)[1] if LATEST_END in rest else "\n"
    record.write_text(f"{head}{LATEST_START}\n{text.replace('## ', '### ', 1)}{LATEST_END}{tail}", encoding="utf-8")


RECORD_HEADER = """# Benchmarks

Measured with `kit bench` (see docs/performance.md). Every run is a set of rows in the CSV beside
this file; the latest one is shown in full below.
"""


def _parse_lines(pr: dict | None) -> list[str]:
    if not pr:
        return []
    return [f"| extraction against the bare parse ({pr['parser']}), same {pr['candidate_sentences']:,} candidate sentences of "
            f"{pr['articles']:,} articles, CPU, best of rounds {pr['rounds_ratio']} | kit {pr['kit_ms_per_article']} ms per "
            f"article, parse {pr['parse_ms_per_article']} ms ({pr['parse_words_per_cpu_s']:,} words per CPU-second): "
            f"{pr['ratio']}x |"]


def _long_line_lines(runs: list | None) -> list[str]:
    """The long-line runs (issue 18) as a table: one article of one line of N characters."""
    if not runs:
        return []
    lines = ["", 'One article of one line of "killed 3 people in Baghdad and ..." (issue 18), to all tables, '
                 "each from an empty cache in a process of its own (the world index opened, not built):", "",
             "| line | seconds | peak memory | place rows | casualty claim rows | places.csv | kit.sqlite |",
             "|---|---|---|---|---|---|---|"]
    for run in runs:
        mb = run["tables_mb"]
        lines.append(f"| {run['chars']:,} characters | {run['seconds']} | {run['memory']['self_mb']:,} MB | "
                     f"{run['rows']['places']:,} | {run['rows']['casualty_claims']:,} | {mb.get('places.csv', 0)} MB | "
                     f"{mb.get('kit.sqlite', 0)} MB |")
    return lines


def markdown(r: dict) -> str:
    """The results as a Markdown section for BENCHMARKS.md."""
    m, e, c, w, rr = r["machine"], r["extract"], r["cold"], r["warm"], r["rerun"]
    lines = [f"## {m['date_utc']}: {r['n_articles']:,} synthetic articles", "",
             f"- Command: `{r['command']}`",
             f"- Machine: `nproc` {m.get('nproc') or m['cores']} ({m.get('cpu', '?')}), {m.get('memory_gb', '?')} GB RAM, "
             f"Python {m['python']}, {m['platform']}; `free -h`:", "",
             *[f"      {line}" for line in (m.get("free_h") or "?").splitlines()], "",
             f"- Code: git `{m.get('git') or '?'}`, kit code fingerprint `{c['code_fingerprint']}`"
             + (" (a frozen copy taken at the start)" if r.get("frozen_code") else ""),
             f"- Load average (1/5/15 min) at start {m.get('load_average_start')}, at end {m.get('load_average_end')} "
             f"(other work on the machine slows every number)",
             f"- Corpus: seed {r['seed']}, mean {e['mean_kb']} KB of analysed text per article "
             f"({e['analysed_mb']} MB in all), written in {r['corpus_seconds']} s", "",
             "| target | measured | target | verdict |", "|---|---|---|---|"]
    for t in r["targets"].values():
        value = "-" if t["value"] is None else f"{t['value']:,} {t['unit']}"
        lines.append(f"| {t['what']} | {value} | {t['target']} | {t['verdict']} |")
    lines += ["", "| measure | value |", "|---|---|",
              f"| extraction, one core | {e['one_core']['articles_per_s']:,} articles/s, {e['one_core']['mb_per_s']} MB/s "
              f"(best of 3 rounds of {e['one_core']['articles']:,} articles: "
              f"{', '.join(str(x) for x in e['one_core']['rounds_articles_per_s'])}) |",
              f"| extraction, one core, per CPU second (robust to other work on the machine) | "
              f"{e['one_core']['articles_per_cpu_s']:,} articles per CPU-second |",
              *_parse_lines(r.get("parse_ratio")),
              f"| extraction, {e['all_cores']['cores']} cores (process pool, all articles) | {e['all_cores']['articles_per_s']:,} articles/s, "
              f"{e['all_cores']['mb_per_s_per_core']} MB/s per core; workers used {e['all_cores']['workers_cpu_s']} CPU-s "
              f"({e['all_cores']['articles_per_worker_cpu_s']} articles per CPU-second) |",
              f"| reading the files (`load_articles`), one core | {e['read_per_s']:,} articles/s ({e['read_s']} s) |",
              f"| whole pipeline to all tables, empty cache | {c['seconds']} s (process {c['process_wall_s']} s) |",
              f"| peak memory of that run | main {c['memory']['self_mb']} MB, largest worker {c['memory']['largest_child_mb']} MB |",
              f"| rerun, nothing changed | {w['seconds']} s ({w['cache_hits']:,} cache hits) |",
              f"| rerun after adding one article (`kit run`, a new process) | {rr['seconds']} s ({rr['cache_hits']:,} cache hits; "
              f"process {rr['process_wall_s']} s with Python's start and imports) |"]
    rk = r.get("rerun_kernel")
    if rk:
        lines.append(f"| rerun after adding one article, in the same process (a notebook kernel that ran once) | "
                     f"{rk['seconds']} s ({rk['cache_hits']:,} of {rk['articles']:,} articles from the last run) |")
    so = r.get("sources") or {}
    if "find_copies_s" in so:
        lines.append(f"| grouping copies (`find_copies`) on {so['articles']:,} articles, incidents from {so['events_from']} | "
                     f"{so['find_copies_s']} s (best of rounds {so['rounds_s']}; {so['copies']:,} copies in {so['groups']:,} "
                     f"groups)" + (f"; the whole sources step on the run's tables {so['add_sources_s']} s" if "add_sources_s" in so else "")
                     + (f"; in the run: {c['timings']['sources']} s of {c['seconds']} s" if "sources" in c["timings"] else "") + " |")
    elif so:
        lines.append(f"| grouping copies | failed: {so.get('error')} |")
    incidents = r["report"]["incidents"]
    for what in ("map", "report"):
        rep = r["report"][what]
        if rep.get("status") == "measured":
            extra = (f" (all pages {rep['all_pages_mb']} MB; {len(rep['problems'])} problem(s)"
                     + (f": {rep['problems'][0]}" if rep["problems"] else "") + ")") if what == "report" else ""
            lines.append(f"| {what} with {incidents:,} incidents | {rep['mb']} MB, built in {rep['seconds']} s{extra} |")
        else:
            lines.append(f"| {what} with {incidents:,} incidents | {rep.get('status')} |")
    browser = r["report"].get("browser", {})
    if browser.get("status") == "measured":
        opened = "; ".join(f"{k} loads in {v['load_s']} s with {len(v['script_errors'])} script error(s)"
                           for k, v in browser.items() if k != "status")
        lines.append(f"| opened in headless Chromium, network blocked | {opened} |")
    elif browser:
        lines.append(f"| opened in a browser | {browser.get('status')} |")
    lines += ["", "Stage timings (s), empty cache / rerun after adding one article:", "",
              "| stage | " + " | ".join(c["timings"]) + " |", "|---|" + "---|" * len(c["timings"]),
              "| empty cache | " + " | ".join(str(v) for v in c["timings"].values()) + " |",
              "| rerun +1 | " + " | ".join(str(rr["timings"].get(k, "")) for k in c["timings"]) + " |",
              *(["| rerun +1, same process | " + " | ".join(str(rk["timings"].get(k, "")) for k in c["timings"]) + " |"]
                if rk else []),
              "", "Rows written (empty-cache run): " + ", ".join(f"{k} {v:,}" for k, v in c["rows"].items())]
    p = r.get("peer", {})
    if "kit_over_geotext_time" in p:
        ratio, gold = p["kit_over_geotext_time"], p["seeds_gold"]
        lines += ["", f"Peer: place extraction, kit (`kit.places.mentions.find_places`) against geotext 0.4 on the same "
                      f"{p['articles']:,} articles, {p['rounds']} alternating rounds:", "",
                  "| | articles/s (best round) | precision | recall | F1 (seeds gold) |", "|---|---|---|---|---|"]
        for name, speed in (("kit", p["kit_articles_per_s"]), ("geotext", p["geotext_articles_per_s"])):
            g = gold.get(name) or {}
            lines.append(f"| {name} | {speed:,} | {g.get('precision', '-')} | {g.get('recall', '-')} | {g.get('f1', '-')} |")
        dev = p.get("dev_gold") or {}
        if dev:
            lines += ["", "On the development corpus (../shared/dev-corpus, six incidents outside Iraq): "
                      + "; ".join(f"{name} precision {(dev.get(name) or {}).get('precision', '-')}, recall "
                                  f"{(dev.get(name) or {}).get('recall', '-')}, F1 {(dev.get(name) or {}).get('f1', '-')}"
                                  for name in ("kit", "geotext"))]
        lines += ["", f"Kit time / geotext time: median {ratio['median']} (min {ratio['min']}, max {ratio['max']}); "
                      f"geotext's import (index build) takes {p['geotext_import_s']} s once."]
    g = r.get("gazetteer")
    if g:
        b, u = g["build"], g["use"]
        lines += ["", f"World gazetteer: built in {b['seconds']} s on first use ({b['entries']:,} places, "
                      f"{b['file_mb']} MB of SQLite, peak {b['memory']['self_mb']} MB while building); opened in "
                      f"{u['load_s']} s afterwards; finding the places of {u['articles']:,} articles "
                      f"({u['places_articles_per_s']:,} articles/s, a first pass) took the process {u['gazetteer_and_lookups_mb']} MB "
                      f"more than it held before opening it (resident; peak {u['memory']['self_mb']} MB)."]
    elif p:
        lines += ["", f"Peer comparison failed: {p.get('error')}"]
    lines += _long_line_lines(r.get("long_line"))
    prof = r["profile"]
    lines += ["", f"Profile (cProfile, reading + extracting {prof['articles']:,} articles on one core, "
                  f"{prof['total_s']} s under the profiler; full listing in OUT/profile.txt), top by own time:", "",
              "| function | calls | own s | cumulative s |", "|---|---|---|---|"]
    lines += [f"| `{row['function']}` | {row['calls']:,} | {row['tottime_s']} | {row['cumtime_s']} |" for row in prof["by_tottime"][:10]]
    lines += ["", "Top by cumulative time:", "", "| function | calls | own s | cumulative s |", "|---|---|---|---|"]
    lines += [f"| `{row['function']}` | {row['calls']:,} | {row['tottime_s']} | {row['cumtime_s']} |" for row in prof["by_cumtime"][:12]]
    pr = r.get("profile_rerun")
    if pr:
        lines += ["", f"Profile of a rerun with nothing changed ({pr['cache_hits']:,} cache hits, {pr['total_s']} s under "
                      "the profiler), top by cumulative time:", "",
                  "| function | calls | own s | cumulative s |", "|---|---|---|---|"]
        lines += [f"| `{row['function']}` | {row['calls']:,} | {row['tottime_s']} | {row['cumtime_s']} |" for row in pr["by_cumtime"]]
    return "\n".join(lines) + "\n"
