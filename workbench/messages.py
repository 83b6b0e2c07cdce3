"""The sentences the output files say to the analyst, in English or Dutch: the standardisers'
problems (``problems.csv``), the reasons a row is refused (``rejects.xlsx``, the CRM's rejects)
and the outcome explanations (``row_outcomes.csv``, ``list_outcomes.csv``).

One entry per sentence in ``output_sentences.SENTENCES`` (key -> English and Dutch template with
the same named placeholders; part of the one catalogue in ``labels.py``); every sentence is made
by :func:`say` in the run's language. The language is the run's, not an argument of every standardiser: the steps that make sentences (``prepare``,
``build``, ``export``) run inside :func:`speaking` with the definition's ``language``, and
outside it everything is English, as it always was.
"""
from __future__ import annotations

import string
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from workbench.labels import DEFAULT_LANGUAGE, LANGUAGES, MESSAGES, label, language_of

_LANGUAGE: ContextVar[str] = ContextVar("workbench_language", default=DEFAULT_LANGUAGE)


def sentence(key: str, /, lang: str | None = None, **values: object) -> str:
    """The sentence of ``key`` in ``lang`` (English when not given), its placeholders filled."""
    return label(key, lang, **values)


def say(key: str, /, **values: object) -> str:
    """The sentence of ``key`` in the run's language (see :func:`speaking`)."""
    return sentence(key, _LANGUAGE.get(), **values)


def spoken_language() -> str:
    """The language sentences are made in now (``en`` outside :func:`speaking`)."""
    return _LANGUAGE.get()


@contextmanager
def speaking(lang: str | None) -> Iterator[None]:
    """Make every sentence inside the block in ``lang`` (a definition's ``language``)."""
    token = _LANGUAGE.set(language_of(lang))
    try:
        yield
    finally:
        _LANGUAGE.reset(token)


def placeholders(text: str) -> set[str]:
    """The named placeholders of a template (``{value}``; ``{{`` is no placeholder)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def in_every_language(key: str, **values: object) -> tuple[str, ...]:
    """The sentence of ``key`` in each language: to recognise it whatever the run spoke."""
    return tuple(sentence(key, lang, **values) for lang in LANGUAGES)


def leads(key: str) -> tuple[str, ...]:
    """The text of ``key`` before its first placeholder, per language: counts find it by this."""
    return tuple(MESSAGES[key][lang].split("{", 1)[0] for lang in LANGUAGES)
