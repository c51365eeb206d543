"""Language of an article: py3langid on the text, the page's declared language as fallback."""
from __future__ import annotations

import re
from typing import Any

from news_etl.clean.lexicon import ISO639_2_TO_1
from news_etl.clean.text import word_count

__all__ = ["detect_language", "norm_lang"]

_LANGID = None


def detect_language(text: str, *, min_words: int = 12, min_prob: float = 0.6) -> str | None:
    """ISO 639-1 code of ``text`` by py3langid, or ``None`` when too short/uncertain."""
    global _LANGID
    if word_count(text) < min_words:
        return None
    try:
        if _LANGID is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            # what py3langid's own (private) loader does for the bundled model
            _LANGID = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        lang, prob = _LANGID.classify(text[:5000])
    except ImportError:  # pragma: no cover - py3langid is a dependency
        return None
    return lang if prob >= min_prob else None


def norm_lang(value: Any) -> str | None:
    """ISO 639-1 code of a declared language ("en-US", "eng", "en_GB"), or ``None``."""
    if not value or not isinstance(value, str):
        return None
    m = re.match(r"\s*([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\s*$", value)
    if not m:
        return None
    code = m.group(1).lower()
    if len(code) == 3:
        code = ISO639_2_TO_1.get(code)
    return code
