from dataclasses import dataclass, asdict
import pandas as pd


@dataclass
class Incident:
    date: str = ""

    def as_dict(self):
        return asdict(self)


def describe_incident(article, places, lex):
    return Incident(article.published)


def link_events(articles, results, places):
    return pd.DataFrame(), pd.DataFrame(), pd.DataFrame()
