"""The pages' interface language: English or French, chosen by ``?lang=`` or the
browser's ``Accept-Language``, and the words of the interface in each.

Texts keep their own language (``lang`` on every text and paragraph); this is
only what the pages say around them. Keys are the English words, so a missing
translation shows English rather than a key.
"""
from __future__ import annotations

LANGUAGES = ("en", "fr")
_FR = {
    "Text": "Texte", "Citations": "Citations", "Lineage": "Filiation", "Paragraphs": "Paragraphes",
    "Cites": "Cite", "Cited by": "Cité par", "Properties": "Propriétés", "Referred to by": "Mentionné par",
    "Timeline": "Chronologie", "Every link and the words that make it": "Chaque lien et les mots qui le fondent",
    "Answered by (responds to this act)": "Réponses (actes qui répondent à celui-ci)",
    "words": "mots", "kind": "type", "points to": "renvoie à", "part": "partie", "cited": "cité",
    "paragraph": "paragraphe", "action": "action", "act": "acte", "link": "lien", "to": "vers", "source": "source",
    "data": "données", "The family is larger than a page shows: the nearest acts are here; `mclinks lineage` traces it whole.":
    "La famille dépasse ce qu'une page montre : les actes les plus proches sont ici ; `mclinks lineage` la trace en entier.", "Read from": "Lu dans", "an excerpt of a longer original": "un extrait d'un original plus long", "query": "requête", "search": "recherche", "changes": "modifications", "ontology": "ontologie", "date unknown": "date inconnue",
    "known only by citation": "connu seulement par citation", "Browse": "Parcourir", "by instrument": "par instrument",
    "Cited but without text here": "Cités mais sans texte ici", "Most-cited first: the texts to add next.":
    "Les plus cités d'abord : les textes à ajouter ensuite.", "citations": "citations", "by meeting": "par réunion", "by body": "par organe", "Acts by adopting body": "Actes par organe qui les adopte", "by year": "par année", "by topic": "par thème",
    "Acts by instrument": "Actes par instrument", "Meetings": "Réunions", "Acts by year": "Actes par année",
    "Acts by topic": "Actes par thème", "symbol": "symbole", "title": "titre", "meeting date": "date de la réunion",
    "text": "texte", "cited only": "cité seulement", "dates": "dates", "meeting": "réunion", "place": "lieu",
    "acts": "actes", "unconfirmed": "non confirmé", "No topics recognised yet.": "Aucun thème reconnu pour l'instant.",
    "acts with their text here": "actes dont le texte est ici", "known only because a text cites them":
    "connus seulement parce qu'un texte les cite", "Dumps": "Exports", "Notes and documents": "Notes et documents",
    "Bodies": "Organes", "Secretariats": "Secrétariats", "Governing bodies": "Organes directeurs", "Offices": "Bureaux",
    "Instruments": "Instruments", "Articles": "Articles", "Annexes": "Annexes",
}
STRINGS = {"en": {}, "fr": _FR}


def choose_language(asked: str | None, accept_language: str | None) -> str:
    """``asked`` (the ``lang`` parameter) if it is one of ours, else the browser's first
    language of ours by q-value, else English.

    >>> choose_language(None, "fr-CH, fr;q=0.9, en;q=0.8"), choose_language("en", "fr"), choose_language(None, "de")
    ('fr', 'en', 'en')
    """
    if asked in LANGUAGES:
        return asked  # type: ignore[return-value]
    best, best_q = "en", 0.0
    for part in (accept_language or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        code = fields[0].lower().split("-")[0]
        q = 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if code in LANGUAGES and q > best_q:
            best, best_q = code, q
    return best


def translator(lang: str):  # type: ignore[no-untyped-def]
    """``t(words)``: the interface words in ``lang`` (English when not translated)."""
    table = STRINGS.get(lang, {})
    return lambda words: table.get(words, words)
