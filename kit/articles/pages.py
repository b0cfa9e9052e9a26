"""What a fetched page is: an article the kit can read, or a page to report and skip.

`check_page` reads the page with the kit's own reader (`kit.articles.reading.read_article`), so a
page it keeps is one that ``kit run`` reads like any ``.html`` saved by hand. It skips, saying why:
an error status (404, 403...), a PDF or anything that is not HTML, an empty page, and a page with
too little text to be an article, explained by what the page shows instead:

- a paywall: the schema.org ``isAccessibleForFree: false`` mark that news sites give search
  engines (https://developers.google.com/search/docs/appearance/structured-data/paywalled-content),
  or a prompt from ``data/lexicons/page_signals.csv`` ("subscribe to continue reading");
- text that only scripts show: prose inside a ``<script>`` and little on the page, or a prompt
  such as "please enable JavaScript";
- a robot check ("checking your browser").

A long page marked as for subscribers is kept with a warning: check that the text is complete.

Example:
    >>> from kit.lexicons import load_lexicons
    >>> page = (b"<html><body><div id=app></div><script>render({body: 'The strike killed four people and wounded "
    ...         b"six others near the border crossing on Tuesday night, officials said in a statement to the press, "
    ...         b"adding that rescue teams were still searching the rubble of two houses for survivors'})</script></body></html>")
    >>> sorted(page_signals(page, load_lexicons()))
    ['script_text']
"""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from ..errors import ArticleError, LexiconError
from ..lexicons import Lexicons
from .polite import SAVE_BY_HAND, FetchFailed, Response

MIN_WORDS = 50  # fewer analysed words: not an article (a teaser, an app shell, a cookie wall)
TEASER_WORDS = 150  # with a paywall sign, fewer words than this are a teaser, not the article
HTML_TYPES = {"text/html", "application/xhtml+xml"}
SIGNALS = {"paywall", "javascript", "bot_check"}  # the lexicon's ``means``
_PROSE = re.compile(r"(?:[A-Za-z][a-z'\u2019]*[,;:.!?]?\s+){30}")  # 30 words in a row: text, not code
_FREE_FALSE = re.compile(r"""["']?isAccessibleForFree["']?\s*:\s*["']?false\b""", re.I)
_NOT_HTML = {"application/pdf": "a PDF", "application/json": "JSON data", "application/xml": "XML data",
             "text/xml": "XML data", "application/rss+xml": "an RSS feed", "application/atom+xml": "an Atom feed",
             "text/plain": "plain text", "application/zip": "a zip file", "application/msword": "a Word file"}
_HIDDEN = {"script", "style", "template", "svg", "head"}


class _PageParts(HTMLParser):
    """The visible text (with ``<noscript>``), the scripts' text and the microdata free/paywalled mark."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.visible, self.scripts, self.marked_paywall, self._hidden = [], [], False, []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if (values.get("itemprop") or "").lower() == "isaccessibleforfree" and (values.get("content") or "").lower() == "false":
            self.marked_paywall = True
        if tag == "body" and "head" in self._hidden:  # a <head> left open ends where the body starts
            self._hidden.remove("head")
        if tag in _HIDDEN:
            self._hidden.append(tag)

    def handle_endtag(self, tag):
        if tag in self._hidden:
            del self._hidden[self._hidden.index(tag):]

    def handle_data(self, data):
        if not self._hidden:
            self.visible.append(data)
        elif self._hidden[-1] == "script":
            self.scripts.append(data)


def _signal_phrases(lex: Lexicons) -> list[tuple[str, str]]:
    def build(lexicons):
        phrases = []
        for row in lexicons.rows("page_signals"):
            means = row["means"].strip().lower()
            if means not in SIGNALS:
                raise LexiconError(lexicons.folder / "page_signals.csv", f"the row {row['phrase']!r} means {means!r}",
                                   f"write one of {', '.join(sorted(SIGNALS))} in the means column")
            phrases.append((" ".join(row["phrase"].lower().split()), means))
        return phrases

    return lex.compiled("page_signals", build)


def page_signals(body: bytes, lex: Lexicons) -> set[str]:
    """What the page shows instead of (or around) an article: ``paywall``, ``marked_paywall``
    (the schema.org mark), ``javascript``, ``script_text`` (prose inside a script), ``bot_check``."""
    parts = _PageParts()
    try:
        parts.feed(body.decode("utf-8", errors="replace"))
        parts.close()
    except (AssertionError, ValueError):  # html.parser on hopeless markup: keep what it read
        pass
    visible = " ".join(" ".join(parts.visible).lower().split())
    found = {means for phrase, means in _signal_phrases(lex) if phrase in visible}
    scripts = "\n".join(parts.scripts)
    if parts.marked_paywall or _FREE_FALSE.search(scripts):
        found |= {"marked_paywall", "paywall"}
    if _PROSE.search(scripts):
        found.add("script_text")
    return found


def _kind(response: Response) -> str:
    """"" for an HTML page, else what it is in words ("a PDF")."""
    head = response.body[:1024].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "a PDF"
    declared = response.content_type
    if declared in HTML_TYPES or (not declared and (head.startswith((b"<!doctype html", b"<html")) or b"<body" in head)):
        return ""
    if declared.startswith("image/"):
        return "an image"
    return _NOT_HTML.get(declared, f"a file of type {declared}" if declared else "a file that is not a web page")


def _refused(status: int) -> FetchFailed:
    if status in (404, 410):
        return FetchFailed(f"the page was not found (HTTP {status})", "check the link in a browser: the story may "
                           "have moved or been taken down (an archived copy may be at web.archive.org)", status)
    if status in (401, 402, 403, 451):
        return FetchFailed(f"the site refused the page (HTTP {status}): it may be for subscribers, or the site "
                           "blocks automatic tools", SAVE_BY_HAND, status)
    return FetchFailed(f"the site answered HTTP {status} instead of the page", "check the link in a browser; "
                       "if the page opens there, " + SAVE_BY_HAND, status)


def _too_little(signals: set[str], words: int, status: int, why: str = "") -> FetchFailed:
    shown = f"{words} words" if words else "no text"
    if "bot_check" in signals:
        return FetchFailed(f"the site showed a check for robots instead of the article ({shown})", SAVE_BY_HAND, status)
    if "paywall" in signals:
        return FetchFailed(f"the page shows only a teaser for subscribers ({shown})",
                           "log in with your subscription in a browser and save the page by hand (File > Save Page As)", status)
    if signals & {"javascript", "script_text"}:
        return FetchFailed(f"the page shows its text only when scripts run, which the kit does not do ({shown})",
                           "open it in a browser, wait for the article to appear, and save the page by hand "
                           "(File > Save Page As, 'Web Page, complete')", status)
    return FetchFailed(why or f"the page has too little text to be an article ({shown})",
                       "check the link in a browser; if it is the article, " + SAVE_BY_HAND, status)


def check_page(response: Response, lex: Lexicons):
    """``(article, warnings)`` for a page worth keeping; raises `FetchFailed` saying why it is not.

    ``article`` is the page as `kit.articles.reading.read_article` reads it.
    """
    from .reading import read_article

    if not 200 <= response.status < 300:
        raise _refused(response.status)
    what = _kind(response)
    if what:
        fix = ("download it, copy the article's text into a .txt file and put it in the articles folder"
               if what == "a PDF" else "link to the article's web page instead")
        raise FetchFailed(f"this link is {what}, not a web page", fix, response.status)
    if not response.body.strip():
        raise FetchFailed("the page is empty (the site sent nothing)", "check the link in a browser; if the page "
                          "opens there, " + SAVE_BY_HAND, response.status)
    signals = page_signals(response.body, lex)
    try:
        article, _ = read_article(Path("page.html"), response.final_url, None, lex, raw=response.body)
    except ArticleError as exc:
        raise _too_little(signals, 0, response.status, f"{exc.problem}") from None
    words = article.n_words
    if words < MIN_WORDS or ("paywall" in signals and words < TEASER_WORDS):
        raise _too_little(signals, words, response.status)
    warnings = []
    if "marked_paywall" in signals:
        warnings.append("the page is marked as for subscribers: check that the saved text is the whole article")
    return article, warnings
