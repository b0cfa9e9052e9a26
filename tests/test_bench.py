"""The benchmark harness runs end to end and writes its record (speed targets live in BENCHMARKS.md, not here)."""
import json

import pytest

from kit.bench.runner import run_benchmark


@pytest.mark.slow
def test_benchmark_harness_writes_results_and_record(tmp_path):
    record = tmp_path / "BENCHMARKS.md"
    results = run_benchmark(200, tmp_path / "bench", record, peer_articles=50, peer_rounds=1, parse_articles=30,
                            profile_articles=50, report_incidents=200, long_line_chars=(1_000, 20_000))
    saved = json.loads((tmp_path / "bench" / "bench.json").read_text())
    assert saved["n_articles"] == 200 and saved["extract"]["articles"] == 200
    assert results["cold"]["cache_hits"] == 0 and results["warm"]["cache_hits"] == 200
    assert results["rerun"]["cache_hits"] == 200 and results["rerun"]["rows"]["articles"] == 201
    kernel = results["rerun_kernel"]  # the same process, a new article dropped in
    assert kernel["articles"] == 201 and kernel["cache_hits"] == 200
    assert not list((tmp_path / "bench" / "corpus").glob("dropped_in_*")), "the dropped-in article was left behind"
    assert set(results["targets"]) == {"kit_over_parse", "pipeline_seconds", "peak_memory_mb", "rerun_seconds", "report_mb",
                                       "gazetteer_build_s", "gazetteer_load_s", "gazetteer_memory_mb", "places_vs_geotext",
                                       "sources_share", "long_line_seconds", "long_line_memory_mb"}
    assert results["sources"]["articles"] == 200 and results["sources"]["add_sources_s"] >= 0
    assert "grouping copies (`find_copies`) on 200 articles" in record.read_text()
    assert [r["chars"] for r in results["long_line"]] == [1_000, 20_000]
    assert results["targets"]["long_line_seconds"]["verdict"] == "not measured"  # the 5 MB line is too long for a test
    assert results["measures"]["long_line_20000_seconds"][1] == results["long_line"][1]["seconds"]
    gazetteer = results["gazetteer"]
    assert gazetteer["build"]["entries"] > 180_000 and gazetteer["use"]["articles"] == 50
    assert gazetteer["use"]["load_s"] > 0 and gazetteer["use"]["gazetteer_and_lookups_mb"] > 0
    assert "World gazetteer: built in" in record.read_text()
    assert "| 20,000 characters |" in record.read_text()
    text = record.read_text()
    assert text.startswith("# Benchmarks") and "200 synthetic articles" in text and "Command: `kit bench" in text
    assert "in the same process (a notebook kernel" in text
    assert (tmp_path / "bench" / "profile.txt").exists()
    import csv
    rows = list(csv.DictReader(open(tmp_path / "BENCHMARKS.csv", encoding="utf-8")))
    assert {r["measure"] for r in rows} >= set(results["targets"]) and {r["n_articles"] for r in rows} == {"200"}
    run_benchmark(200, tmp_path / "bench", record, peer_articles=50, peer_rounds=1, profile_articles=50, report_incidents=200,
                  long_line_chars=(1_000, 20_000))
    assert record.read_text().count("200 synthetic articles") == 1, "the latest run replaces the one before"
    assert len(list(csv.DictReader(open(tmp_path / "BENCHMARKS.csv", encoding="utf-8")))) == 2 * len(rows)
