"""Command line: ``kit init``, ``kit fetch``, ``kit run``, ``kit report`` and ``kit bench`` (also ``python -m kit``).

Exit status: 0 when every file (or link) was used, 1 when one was skipped (the messages say which and
what to do), 2 when the run could not start (a missing folder of lexicons, a locked output).
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import KitError

ARTICLES_OPTION = click.option("--articles", "articles", multiple=True, required=True,
                               type=click.Path(path_type=Path),
                               help="Folder of articles (.txt, .md, .html). Repeat, or list several after one --articles.")


def _articles(values: tuple[Path, ...], extra: tuple[str, ...]) -> list[Path]:
    return list(values) + [Path(e) for e in extra]


FOLLOW_OPTION = click.option("--follow-symlinks", is_flag=True,
                              help="Also read links that lead out of the articles folder (skipped by default).")


def _follow(flag: bool) -> None:
    import os

    from .articles.reading import FOLLOW_SYMLINKS_ENV

    if flag:  # an environment variable, so the report's notebooks read the folder the same way
        os.environ[FOLLOW_SYMLINKS_ENV] = "1"


def _report_problems(problems) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


@click.group()
@click.version_option(package_name="strike-notebook-kit")
def cli():
    """Investigative notebook kit: strike articles in, claim tables, map and report out."""


@cli.command()
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--example", is_flag=True, help="Copy the kit's five seed articles into FOLDER/articles to try it out.")
def init(folder, example):
    """Make a project folder: notebooks, articles/, data/corrections, data/lexicons and a README.

    Nothing already in FOLDER is overwritten.

    \b
    Example:
        kit init kerman-bombing && cd kerman-bombing && kit report --articles articles --out out
    """
    from .new_project import init_project

    try:
        project = init_project(folder, example=example)
    except KitError as exc:
        click.echo(f"ERROR {exc.message}", err=True)
        sys.exit(2)
    click.echo(f"project ready in {project.root}\n"
               f"  put your articles into {project.articles[0]}, then run:\n"
               f"  cd {project.root} && kit report --articles articles --out out")


@cli.command()
@click.argument("links", type=click.Path(path_type=Path))
@click.option("--into", required=True, type=click.Path(path_type=Path),
              help="Articles folder to save the pages into (created if missing; nothing in it is overwritten).")
@click.option("--user-agent", default=None, help="Your newsroom's name and contact, sent with every request (required).")
@click.option("--timeout", default=20.0, show_default=True, help="Seconds to wait for a site to answer.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def fetch(links, into, user_agent, timeout, quiet):
    """Save the web pages of a list of links (one a line) as articles, politely and once each.

    At most one request per second per site, robots.txt respected, retries when a site is busy.
    Each page is saved exactly as the site sent it; where and when it came from goes into
    fetched.csv beside it, and its address into manifest.csv. Error pages, PDFs, empty pages and
    pages whose text needs JavaScript or a subscription are listed and skipped.

    \b
    Example:
        kit fetch links.txt --into articles --user-agent "Example Desk (desk@example.org)"
        kit report --articles articles --out out
    """
    from .articles.fetch import fetch_links
    from .articles.polite import PoliteClient

    try:
        with PoliteClient(user_agent=user_agent, timeout=timeout) as client:
            result = fetch_links(links, into, client=client, progress=not quiet)
    except KitError as exc:
        click.echo(f"ERROR {exc.message}", err=True)
        sys.exit(2)
    for outcome in result.outcomes:
        if outcome.status == "saved":
            click.echo(f"saved {outcome.file}  <- {outcome.url}")
    _report_problems(result.problems)
    click.echo(result.summary())
    sys.exit(1 if result.skipped else 0)


@cli.command(context_settings={"allow_extra_args": True})
@ARTICLES_OPTION
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder for the tables (created if missing).")
@click.option("--online", is_flag=True, help="Ask the online geocoder (Nominatim) for places the gazetteer lacks.")
@click.option("--user-agent", default=None, help="User agent for the online geocoder (use your newsroom's contact).")
@click.option("--scheduler", default=None, help="Dask scheduler address (tcp://host:8786) to extract on a cluster.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=None, help="Cache folder (default: the project's data/cache).")
@click.option("--corrections", "corrections_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of your corrections (default: the project's data/corrections).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@FOLLOW_OPTION
@click.pass_context
def run(ctx, articles, out, online, user_agent, scheduler, cache_dir, corrections_dir, quiet, follow_symlinks):
    """Extract the tables from articles.

    \b
    Example:
        kit run --articles seeds --out out/seeds
    """
    from .pipeline.runner import run as run_pipeline

    _follow(follow_symlinks)
    try:
        geocoder = None
        if online:
            from .places.online import OnlineGeocoder
            geocoder = OnlineGeocoder(user_agent=user_agent)
            geocoder.check()  # refuse at once, not at the first place the gazetteer lacks
        result = run_pipeline(_articles(articles, tuple(ctx.args)), out, offline=not online, geocoder=geocoder,
                              scheduler=scheduler, cache_dir=cache_dir, corrections_dir=corrections_dir,
                              progress=not quiet)
    except KitError as exc:
        click.echo(f"ERROR {exc.message}", err=True)
        sys.exit(2)
    _report_problems(result.problems)
    click.echo(result.summary())
    sys.exit(1 if result.skipped else 0)


@cli.command(context_settings={"allow_extra_args": True})
@ARTICLES_OPTION
@click.option("--out", required=True, type=click.Path(path_type=Path), help="Folder for the tables and report.html.")
@click.option("--online", is_flag=True, help="Use the online geocoder and online map tiles when reachable.")
@click.option("--user-agent", default=None, help="User agent for the online geocoder.")
@click.option("--cache", "cache_dir", type=click.Path(path_type=Path), default=None, help="Cache folder (default: the project's data/cache).")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@FOLLOW_OPTION
@click.pass_context
def report(ctx, articles, out, online, user_agent, cache_dir, quiet, follow_symlinks):
    """Run the pipeline, execute the notebooks and write OUT/report.html.

    \b
    Example:
        kit report --articles seeds --out out/seeds
    """
    from .present.report import build_report

    _follow(follow_symlinks)
    try:
        result = build_report(_articles(articles, tuple(ctx.args)), out, offline=not online,
                              user_agent=user_agent, progress=not quiet, cache_dir=cache_dir)
    except KitError as exc:
        click.echo(f"ERROR {exc.message}", err=True)
        sys.exit(2)
    _report_problems(result.problems)
    click.echo(f"{result.summary()}\nreport: {result.report_path}")
    sys.exit(1 if result.skipped else 0)


@cli.command()
@click.option("--articles", "n_articles", default=10000, show_default=True, help="Size of the synthetic corpus.")
@click.option("--out", type=click.Path(path_type=Path), default=Path("bench-out"), show_default=True)
@click.option("--record", type=click.Path(path_type=Path), default=None, help="Append the results to this Markdown file.")
def bench(n_articles, out, record):
    """Measure speed and memory on a synthetic corpus (see BENCHMARKS.md)."""
    from .bench.runner import run_benchmark

    run_benchmark(n_articles, out, record)


def main():  # console entry point
    cli(prog_name="kit")


if __name__ == "__main__":  # pragma: no cover
    main()
