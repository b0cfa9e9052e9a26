"""Issue 18: one long line must not eat the machine. A 60 kB line of "killed 3 people in Baghdad
and ..." took 13 s, 2.2 GB and wrote a 116 MB casualty_claims.csv: every row stored the whole
sentence. Now an overlong "sentence" is read in pieces, rows keep the words around their cue, and
the cut is reported in problems.csv."""
from __future__ import annotations

import time

from kit.articles.sentences import MAX_SENTENCE_CHARS, Sentence, split_sentences
from kit.claims.shared import STORED_SENTENCE_CHARS, stored_sentence
from kit.pipeline.runner import run
from kit.tables.io import read_table

UNIT = "killed 3 people in Baghdad and "


def test_an_overlong_line_is_split_in_pieces_with_exact_offsets():
    text = "Title\n\n" + UNIT * 400 + "a reporter said.\nNext line."
    sentences = split_sentences(text)
    long = [s for s in sentences if s.cut]
    assert long and all(len(s.text) <= MAX_SENTENCE_CHARS for s in long)
    assert all(text[s.start:s.end] == s.text for s in sentences)
    assert "".join(s.text for s in long).replace(" ", "") == (UNIT * 400 + "a reporter said.").replace(" ", "")
    assert not any(s.cut for s in split_sentences("The strike killed three people, police said."))


def test_a_stored_sentence_is_bounded_and_exact():
    text = UNIT * 100
    sentence = Sentence(0, 5, 5 + len(text.strip()), text.strip())
    for cue in (5, 1500, sentence.end):
        stored, start, end = stored_sentence(sentence, cue)
        assert len(stored) <= STORED_SENTENCE_CHARS
        assert sentence.text[start - 5:end - 5] == stored and start <= cue <= end + 1
    short = Sentence(0, 0, 10, "Two died.")
    assert stored_sentence(short, 3) == ("Two died.", 0, 10)


def test_a_200_kb_line_gives_bounded_tables(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "long.txt").write_text("Strike report\n\n" + UNIT * (200_000 // len(UNIT)) + "the ministry said.\n", encoding="utf-8")
    out = tmp_path / "out"
    began = time.perf_counter()
    run([folder], out, cache_dir=tmp_path / "cache", corrections_dir=tmp_path / "corr", progress=False)
    took = time.perf_counter() - began
    claims = read_table(out / "casualty_claims.csv")
    assert len(claims) > 100, "the claims of the line are still read"
    assert (out / "casualty_claims.csv").stat().st_size < 5_000_000
    assert (out / "places.csv").stat().st_size < 10_000_000
    assert claims["sentence"].str.len().max() <= STORED_SENTENCE_CHARS
    from kit.articles.reading import load_articles
    analysed = load_articles([folder]).articles[0].text  # the offsets point into the analysed text
    for row in claims.head(50).itertuples():
        assert analysed[row.start:row.end] == row.sentence
    problems = read_table(out / "problems.csv")
    assert problems["problem"].str.contains("pieces").any(), problems
    assert took < 120, took


def test_a_name_repeated_beyond_the_cap_adds_no_rows_only_a_note(tmp_path):
    """5 MB of "... in Baghdad and ..." wrote 161,290 place rows (117 MB): one place name now gives at
    most `MAX_MENTIONS_PER_NAME` rows per article, the first ones, and problems.csv says how many more
    there were, on the first run and on a rerun from the snapshot."""
    from kit.places.mentions import MAX_MENTIONS_PER_NAME

    folder = tmp_path / "articles"
    folder.mkdir()
    repeats = 3 * MAX_MENTIONS_PER_NAME
    (folder / "long.txt").write_text("Strike report\n\n" + UNIT * repeats + "police said. A second strike hit Mosul.\n",
                                     encoding="utf-8")
    (folder / "short.txt").write_text("Strike report\n\nA drone strike in Baghdad killed three people, police said.\n",
                                      encoding="utf-8")
    out = tmp_path / "out"
    note = (f'"Baghdad" is named {repeats:,} times: places.csv lists its first {MAX_MENTIONS_PER_NAME} mentions '
            f'({repeats - MAX_MENTIONS_PER_NAME:,} more mentions of "Baghdad" not listed)')
    for attempt in ("first run", "rerun"):
        run([folder], out, cache_dir=tmp_path / "cache", corrections_dir=tmp_path / "corr", progress=False)
        places = read_table(out / "places.csv")
        long = places[places["file"] == "long.txt"]
        baghdad = long[long["mention"] == "Baghdad"]
        assert len(baghdad) == MAX_MENTIONS_PER_NAME, attempt
        assert baghdad["start"].tolist() == sorted(baghdad["start"]) and baghdad["start"].iloc[0] < 100  # the first ones
        assert "Mosul" in set(long["mention"]), "a name after the repeated one is still listed"
        assert places[places["file"] == "short.txt"]["mention"].tolist() == ["Baghdad"]
        problems = read_table(out / "problems.csv")
        assert problems[problems["problem"] == note]["file"].tolist() == ["long.txt"], (attempt, problems)
