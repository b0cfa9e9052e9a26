"""`kit fetch` against a real HTTP server on loopback (`fetch_server`): pages saved exactly, with
their proof, politely (spacing per host on a fake clock, robots.txt, retries, Retry-After, a size
cap), the bad pages reported and skipped, and nothing the journalist has overwritten."""
from __future__ import annotations

import csv
import hashlib
import os
import re
import stat

import pytest
from click.testing import CliRunner

from fetch_server import PAGES, serve
from kit.articles.fetch import fetch_links
from kit.articles.fetchlog import LOG, LOG_COLUMNS
from kit.articles.pages import check_page
from kit.articles.polite import FetchFailed, PoliteClient, Response
from kit.articles.reading import load_articles
from kit.cli import cli
from kit.errors import FetchError
from kit.lexicons import load_lexicons

AGENT = "Test Desk (desk@example.org)"


@pytest.fixture
def site():
    with serve() as (site, port):
        site.base = f"http://127.0.0.1:{port}"
        site.other = f"http://localhost:{port}"
        yield site


def client(site, **options) -> PoliteClient:
    return PoliteClient(user_agent=AGENT, clock=site.clock.clock, sleep=site.clock.sleep, **options)


def fetch(site, tmp_path, links, folder=None, **options):
    links_file = tmp_path / "links.txt"
    links_file.write_text("\n".join(links) + "\n", encoding="utf-8")
    with client(site, **options) as polite:
        return fetch_links(links_file, folder or tmp_path / "articles", client=polite)


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def problem_for(report, line):
    [problem] = [p for p in report.problems if p.file.endswith(f"line {line}")]
    return problem


def test_pages_are_saved_exactly_with_their_proof_and_read_like_any_html(site, tmp_path):
    levant = f"{site.base}/news/levant-daily.html"
    report = fetch(site, tmp_path, [levant, f"{site.base}/news/gulf-monitor.html"])
    assert [o.status for o in report.outcomes] == ["saved", "saved"] and report.problems == []
    folder = tmp_path / "articles"
    files = sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))
    assert files == ["127-0-0-1-news-gulf-monitor.html", "127-0-0-1-news-levant-daily.html", LOG, "manifest.csv"]
    saved = folder / "127-0-0-1-news-levant-daily.html"
    assert saved.read_bytes() == (PAGES / "levant-daily.html").read_bytes()
    assert not saved.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), "a fetched page is read-only"
    log = rows(folder / LOG)
    assert list(log[0]) == list(LOG_COLUMNS)
    first = log[0]
    assert first["url"] == first["final_url"] == levant and first["http_status"] == "200"
    assert first["sha256"] == hashlib.sha256(saved.read_bytes()).hexdigest()
    assert first["bytes"] == str(saved.stat().st_size) and first["content_type"].startswith("text/html")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["fetched_at"])
    assert re.fullmatch(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT", first["server_date"])  # the site's clock
    manifest = rows(folder / "manifest.csv")
    assert [(r["file"], r["url"]) for r in manifest] == [(r["file"], r["final_url"]) for r in log]
    assert manifest[0]["outlet"] == manifest[0]["title"] == manifest[0]["published"] == ""  # from the page itself
    loaded = load_articles([folder])
    assert loaded.problems == []
    by_file = {a.file: a for a in loaded.articles}
    article = by_file[saved.name]
    assert (article.outlet, article.published, article.url) == ("Levant Daily", "2025-03-10", levant)
    assert article.sha256 == first["sha256"] and article.metadata_source["url"] == "manifest"
    assert article.title == "Drone strike on convoy near Albu Kamal kills five, monitor says"


def test_compressed_page_is_saved_as_the_page_and_a_redirect_records_both_addresses(site, tmp_path):
    short, final = f"{site.base}/short/levant", f"{site.base}/news/levant-daily.html"
    report = fetch(site, tmp_path, [short, final, f"{site.other}/gz/levant"])
    assert [o.status for o in report.outcomes] == ["saved", "already", "already"]
    [row] = rows(tmp_path / "articles" / LOG)
    assert (row["url"], row["final_url"]) == (short, final)
    assert report.outcomes[1].file == report.outcomes[2].file == row["file"]
    assert "already in the folder" in report.outcomes[2].problem  # same bytes, another address
    assert (tmp_path / "articles" / row["file"]).read_bytes() == (PAGES / "levant-daily.html").read_bytes()
    assert site.paths(host="127.0.0.1").count("/news/levant-daily.html") == 1  # the second link was not fetched


def test_at_most_one_request_per_second_per_host(site, tmp_path):
    names = ["levant-daily.html", "gulf-monitor.html", "members-only.html"]
    links = [f"{base}/news/{name}" for name in names for base in (site.base, site.other)]
    report = fetch(site, tmp_path, links)
    assert [o.status for o in report.outcomes] == ["saved", "already"] * 3  # same bytes from the second host
    for host in ("127.0.0.1", "localhost"):
        hits = [h for h in site.hits if h.host == host]
        assert hits[0].path == "/robots.txt" and [h.path for h in hits].count("/robots.txt") == 1
        gaps = [b.at - a.at for a, b in zip(hits, hits[1:])]
        assert gaps and min(gaps) >= 1.0, gaps
    assert all(h.agent.startswith(AGENT + " strike-notebook-kit/") for h in site.hits)
    # the two hosts are not spaced from each other: eight requests took less than seven seconds
    assert len(site.hits) == 8 and sum(site.clock.slept) < 7


def test_retry_after_is_honoured_then_the_page_is_saved(site, tmp_path):
    report = fetch(site, tmp_path, [f"{site.base}/busy"])
    assert [o.status for o in report.outcomes] == ["saved"]
    assert site.paths().count("/busy") == 2 and 7.0 in site.clock.slept


def test_server_errors_are_retried_with_backoff_then_reported(site, tmp_path):
    report = fetch(site, tmp_path, [f"{site.base}/broken"])
    assert site.paths().count("/broken") == 4
    assert site.clock.slept[-3:] == [2.0, 4.0, 8.0]
    problem = problem_for(report, 1)
    assert problem.severity == "skipped" and "HTTP 500 (4 tries)" in problem.problem and "again later" in problem.fix
    assert not (tmp_path / "articles" / LOG).exists() and not (tmp_path / "articles" / "manifest.csv").exists()


def test_a_long_retry_after_leaves_the_site_alone_for_the_run(site, tmp_path):
    links = [f"{site.base}/very-busy", f"{site.base}/news/levant-daily.html", f"{site.other}/news/gulf-monitor.html"]
    report = fetch(site, tmp_path, links)
    assert [o.status for o in report.outcomes] == ["skipped", "skipped", "saved"]
    assert "wait 3600 s" in report.outcomes[0].problem and "not fetched" in report.outcomes[1].problem
    assert site.paths(host="127.0.0.1") == ["/robots.txt", "/very-busy"] and max(site.clock.slept) < 60


def test_a_slow_site_times_out(site, tmp_path):
    report = fetch(site, tmp_path, [f"{site.base}/slow"], timeout=0.3, max_retries=1)
    assert "did not answer within 0.3 s (2 tries)" in problem_for(report, 1).problem


@pytest.mark.parametrize("path", ["/huge", "/huge-stream"])
def test_a_20_mb_body_is_not_kept(site, tmp_path, path):
    report = fetch(site, tmp_path, [site.base + path])
    assert "larger" in problem_for(report, 1).problem and "than 5 MB" in problem_for(report, 1).problem
    assert list((tmp_path / "articles").iterdir()) == [tmp_path / "articles" / ".kit-fetch.lock"]


def test_pages_that_are_not_articles_are_reported_and_skipped(site, tmp_path):
    expected = {
        "/missing": "the page was not found (HTTP 404)",
        "/report.pdf": "this link is a PDF, not a web page",
        "/empty": "the page is empty",
        "/news/app-shell.html": "the page shows its text only when scripts run",
        "/news/teaser.html": "the page shows only a teaser for subscribers",
        "/loop/a": "the link redirects in a loop",
        "/private/story": "robots.txt asks automatic tools not to fetch this page",
    }
    report = fetch(site, tmp_path, [site.base + path for path in expected])
    assert report.skipped == len(expected) and report.count("saved") == 0
    for line, (path, words) in enumerate(expected.items(), 1):
        problem = problem_for(report, line)
        assert words in problem.problem and problem.problem.startswith(site.base + path) and problem.fix, problem
    assert not any(p.startswith("/private/") for p in site.paths()), "robots.txt was not respected"
    assert site.paths().count("/loop/a") == 1 and site.paths().count("/loop/b") == 1


def test_a_page_marked_for_subscribers_is_kept_with_a_warning(site, tmp_path):
    report = fetch(site, tmp_path, [f"{site.base}/news/members-only.html"])
    [outcome] = report.outcomes
    assert outcome.status == "saved" and "marked as for subscribers" in outcome.problem
    assert [p.severity for p in report.problems] == ["warning"] and report.skipped == 0


@pytest.mark.parametrize("robots, fetched", [(404, True), (403, True), (503, False)])
def test_robots_txt_missing_means_no_rules_unreachable_means_keep_off(site, tmp_path, robots, fetched):
    site.robots = robots
    report = fetch(site, tmp_path, [f"{site.base}/news/levant-daily.html"])
    assert (report.count("saved") == 1) is fetched
    if not fetched:
        assert "robots.txt could not be read" in report.outcomes[0].problem
        assert site.paths() == ["/robots.txt"] * 4  # asked again with backoff, never the page


def test_crawl_delay_of_robots_txt_spaces_the_requests(site, tmp_path):
    site.robots = "User-agent: *\nCrawl-delay: 3\nDisallow: /private/\n"
    fetch(site, tmp_path, [f"{site.base}/news/levant-daily.html", f"{site.base}/news/gulf-monitor.html"])
    times = [h.at for h in site.hits]
    assert [b - a for a, b in zip(times, times[1:])] == [3.0, 3.0]


def test_a_link_already_fetched_is_not_fetched_again(site, tmp_path):
    links = [f"{site.base}/news/levant-daily.html", f"{site.base}/missing"]
    first = fetch(site, tmp_path, links)
    log_before = (tmp_path / "articles" / LOG).read_bytes()
    site.hits.clear()
    second = fetch(site, tmp_path, links + [links[0] + "#comments"])
    assert [o.status for o in second.outcomes] == ["already", "skipped", "already"]
    assert second.outcomes[0].file == first.outcomes[0].file
    assert site.paths() == ["/robots.txt", "/missing"]  # a skipped link is tried again
    assert (tmp_path / "articles" / LOG).read_bytes() == log_before


def test_the_journalists_manifest_and_files_are_kept(site, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    mine = "\ufeffnotes,file,outlet,url,tags\r\nmy own words,mine.txt,Reuters,https://example.org/mine,kerman\r\n" \
           "listed but not yet saved,127-0-0-1-news-gulf-monitor.html,,,\r\nsaved by hand,levant.html,Levant Daily," \
           f"{site.base}/news/levant-daily.html,"  # no line break at the end
    (folder / "manifest.csv").write_bytes(mine.encode("utf-8"))
    (folder / "mine.txt").write_text("A strike hit a base near Baghdad on Friday, killing two people, police said.\n")
    (folder / "127-0-0-1-news-members-only.html").write_bytes(b"<html><body><p>my notes</p></body></html>")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    links = [f"{site.base}/news/levant-daily.html", f"{site.base}/news/gulf-monitor.html",
             f"{site.base}/news/members-only.html"]
    report = fetch(site, tmp_path, links, folder=folder)
    assert [o.status for o in report.outcomes] == ["already", "saved", "saved"]
    assert report.outcomes[0].file == "levant.html" and "/news/levant-daily.html" not in site.paths()
    new = [o.file for o in report.outcomes[1:]]
    assert all(re.fullmatch(r"127-0-0-1-news-(gulf-monitor|members-only)-[0-9a-f]{8}\.html", n) for n in new), new
    for name, data in before.items():
        after = (folder / name).read_bytes()
        assert after.startswith(data) if name == "manifest.csv" else after == data, name
    added = (folder / "manifest.csv").read_bytes()[len(before["manifest.csv"]):].decode()
    assert added.startswith("\r\n") and added.count("\r\n") == 3 and "\n" not in added.replace("\r\n", "")
    manifest = rows(folder / "manifest.csv")
    assert [r["file"] for r in manifest] == ["mine.txt", "127-0-0-1-news-gulf-monitor.html", "levant.html", *new]
    assert manifest[3]["tags"] == "" and manifest[3]["notes"].startswith("fetched by kit fetch on ")


def test_a_broken_manifest_stops_before_any_request(site, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "manifest.csv").write_text("name,outlet\nmine.txt,Reuters\n")
    with pytest.raises(FetchError, match="manifest.csv: the header lacks the column"):
        fetch(site, tmp_path, [f"{site.base}/news/levant-daily.html"], folder=folder)
    assert site.hits == [] and (folder / "manifest.csv").read_text() == "name,outlet\nmine.txt,Reuters\n"


def test_a_user_agent_is_required(site, tmp_path):
    links = tmp_path / "links.txt"
    links.write_text(f"{site.base}/news/levant-daily.html\n")
    with pytest.raises(FetchError, match="user agent"):
        fetch_links(links, tmp_path / "articles")
    with pytest.raises(FetchError, match="plain letters"):
        PoliteClient(user_agent="Le Desk \u2014 desk@example.org")
    result = CliRunner().invoke(cli, ["fetch", str(links), "--into", str(tmp_path / "articles")])
    assert result.exit_code == 2 and "--user-agent" in result.output
    assert site.hits == [] and not (tmp_path / "articles").exists()


def test_the_list_of_links_and_the_folder_are_checked(site, tmp_path):
    links = tmp_path / "links.txt"
    links.write_text(f"# from the desk\n\nsee {site.base}/missing.\nnot a link\nftp://example.org/x\n")
    report = fetch_links(links, tmp_path / "articles", client=client(site))
    assert [(o.line, o.status) for o in report.outcomes] == [(3, "skipped")]
    assert [p.problem[:19] for p in report.problems] == ["line 4 holds no lin", "line 5 holds no lin",
                                                         f"{site.base}/missing"[:19]]
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / ".kit-output").touch()
    with pytest.raises(FetchError, match="tables into"):
        fetch_links(links, tmp_path / "out", client=client(site))
    with pytest.raises(FetchError, match="does not exist"):
        fetch_links(tmp_path / "nope.txt", tmp_path / "articles", client=client(site))


def test_two_fetches_into_one_folder_are_refused(site, tmp_path):
    import filelock

    folder = tmp_path / "articles"
    folder.mkdir()
    with filelock.FileLock(str(folder / ".kit-fetch.lock")):
        with pytest.raises(FetchError, match="another kit fetch"):
            fetch(site, tmp_path, [f"{site.base}/news/levant-daily.html"], folder=folder)
    assert site.hits == []


def test_a_new_page_signals_row_takes_effect(tmp_path):
    page = (b"<html><body><article><h1>Convoy hit</h1><p>A convoy was hit near the border on Sunday. "
            b"Read the full story in the Ledger app.</p></article></body></html>")
    response = Response("https://example.org/a", "https://example.org/a", 200, {"content-type": "text/html"}, page, "")
    with pytest.raises(FetchFailed, match="too little text"):
        check_page(response, load_lexicons())
    (tmp_path / "page_signals.csv").write_text("phrase,means,note\nread the full story in,paywall,app-only story\n")
    with pytest.raises(FetchFailed, match="teaser for subscribers"):
        check_page(response, load_lexicons(extra=tmp_path))
    (tmp_path / "page_signals.csv").write_text("phrase,means,note\nread the full story in,app,\n")
    with pytest.raises(Exception, match="write one of bot_check, javascript, paywall"):
        check_page(response, load_lexicons(extra=tmp_path))


def test_kit_fetch_then_kit_run(site, tmp_path):
    """The command line, with the real clock: two hosts, one page each (two seconds of spacing)."""
    links = tmp_path / "links.txt"
    links.write_text(f"{site.base}/news/levant-daily.html\n{site.other}/news/gulf-monitor.html\n{site.base}/missing\n")
    folder, out = tmp_path / "articles", tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["fetch", str(links), "--into", str(folder), "--user-agent", AGENT, "--quiet"])
    assert result.exit_code == 1, result.output  # one link skipped
    assert result.output.count("\nsaved ") == 1 and result.output.startswith("saved ")
    assert "SKIPPED links.txt, line 3" in result.output
    assert "2 page(s) saved" in result.output and "1 link(s) skipped" in result.output
    result = runner.invoke(cli, ["run", "--articles", str(folder), "--out", str(out), "--cache", str(tmp_path / "c"),
                                 "--quiet"])
    assert result.exit_code == 0, result.output
    articles = rows(out / "articles.csv")
    log = {r["file"]: r for r in rows(folder / LOG)}
    assert sorted(a["outlet"] for a in articles) == ["Gulf Monitor", "Levant Daily"]
    for article in articles:
        assert article["sha256"] == log[article["file"]]["sha256"] and article["url"] == log[article["file"]]["final_url"]
    claims = rows(out / "casualty_claims.csv")
    assert {(c["outcome"], c["count_min"]) for c in claims} >= {("killed", "5"), ("killed", "7")}
    assert os.path.getsize(out / "problems.csv") < 100  # the header only
