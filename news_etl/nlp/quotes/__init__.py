"""Quotes with their speakers, and the outlets an article credits.

Importing the package registers the ``news_citations`` and ``news_quotes`` spaCy factories.
"""

from news_etl.nlp.quotes.component import QuotesComponent, extract_citations, extract_quotes, news_quotes
from news_etl.nlp.quotes.outlets import CitationsComponent, news_citations, outlet_key
from news_etl.nlp.quotes.records import Citation, Quote
from news_etl.nlp.quotes.spans import QuoteSpan, find_quote_spans

__all__ = [
    "Citation", "CitationsComponent", "Quote", "QuoteSpan", "QuotesComponent", "extract_citations",
    "extract_quotes", "find_quote_spans", "news_citations", "news_quotes", "outlet_key",
]
