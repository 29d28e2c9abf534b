"""Turn a result's ``key`` and ``args`` into text, in English or Korean."""

import os

from nnscratch.checker import messages_en, messages_ko

CATALOGS = {"en": messages_en, "ko": messages_ko}
LANGUAGES = tuple(CATALOGS)


class _Keep(dict):
    """Leave a placeholder as it is when a message has no value for it."""

    def __missing__(self, key):
        return "{" + key + "}"


def default_language():
    """ "ko" when the locale says Korean (LC_ALL, LC_MESSAGES, LANG), else "en"."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"


def check_language(lang):
    """``lang`` if supported (None means the locale's), else a ValueError naming the choices."""
    if lang is None:
        return default_language()
    if lang not in CATALOGS:
        raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
    return lang


def parts(result, lang):
    """The message as a tuple: one sentence for a pass, (saw, why, where) otherwise."""
    catalog = CATALOGS[lang]
    args = _Keep(result["args"])
    if "what" in args:
        args["what"] = catalog.WORDS.get(args["what"], args["what"])
    key = result["key"]
    if key in catalog.PASSES:
        return (_capitalised(catalog.PASSES[key].format_map(args)),)
    template = catalog.MISTAKES.get(key) or catalog.PROBLEMS[key]
    return tuple(_capitalised(part.format_map(args)) for part in template)


def _capitalised(text):
    # English sentences that open with a placeholder ("the loss ...") still start with a capital.
    return "The" + text[3:] if text.startswith("the ") else text


def render(result, lang):
    """The message as one string, each part after its label."""
    pieces = parts(result, lang)
    if len(pieces) == 1:
        return pieces[0]
    labels = CATALOGS[lang].LABELS
    return " ".join(f"{label}: {piece}" for label, piece in zip(labels, pieces, strict=True))
