"""Casualty figures from a parsed article: how many were killed, injured, missing,
arrested, displaced, kidnapped or held hostage, with qualifier, place and date.

Functional core (no dagster). Importing this package registers the ``news_casualties``
spaCy factory. ``extract_casualties(doc, published_at)`` returns one :class:`Casualty`
per distinct figure.
"""

from news_etl.nlp.casualties.component import CasualtyComponent, news_casualties
from news_etl.nlp.casualties.extract import extract_casualties
from news_etl.nlp.casualties.records import Casualty

__all__ = ["Casualty", "CasualtyComponent", "extract_casualties", "news_casualties"]
