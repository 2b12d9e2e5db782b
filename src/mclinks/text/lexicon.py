"""Words the recognisers know, in French and English, as data.

All patterns are written for *folded* text (see ``clean.fold``): no
accents, plain apostrophes and dashes. Keeping them here lets a reader
check coverage for a language at a glance.
"""
from __future__ import annotations

import re

from mclinks.text.clean import fold
from mclinks.text.trie import trie_pattern

_FR_UNITS = ["", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"]
_FR_TEENS = ["dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf"]
_EN_ORD = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
           "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
           "eighteenth", "nineteenth"]
_EN_TENS = {20: "twent", 30: "thirt", 40: "fort"}
_ES_ORD = ["primer", "segund", "tercer", "cuart", "quint", "sext", "septim", "octav", "noven", "decim",
           "decimoprimer", "decimosegund", "decimotercer", "decimocuart", "decimoquint", "decimosext",
           "decimoseptim", "decimoctav", "decimonoven", "vigesim"]
_EN_CARD = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def _fr_cardinal(n: int) -> str:
    if n < 10:
        return _FR_UNITS[n]
    if n < 20:
        return _FR_TEENS[n - 10]
    tens = {2: "vingt", 3: "trente", 4: "quarante"}[n // 10]
    unit = n % 10
    if unit == 0:
        return tens
    if unit == 1:
        return f"{tens} et un"
    return f"{tens}-{_FR_UNITS[unit]}"


def _fr_ordinal(n: int) -> str:
    card = _fr_cardinal(n)
    if card.endswith("cinq"):
        return card + "uieme"
    if card.endswith("neuf"):
        return card[:-1] + "vieme"
    if card.endswith("e"):
        return card[:-1] + "ieme"
    return card + "ieme"


def _en_ordinal(n: int) -> str:
    if n < 20:
        return _EN_ORD[n]
    tens, unit = divmod(n, 10)
    stem = _EN_TENS[tens * 10]
    if unit == 0:
        return stem + "ieth"
    return f"{stem}y-{_EN_ORD[unit]}"


def _ordinal_table() -> dict[str, int]:
    table: dict[str, int] = {}
    for n in range(1, 41):
        table[_fr_ordinal(n)] = n
        table[_en_ordinal(n)] = n
    table.update({"premier": 1, "premiere": 1, "second": 2, "seconde": 2, "1re": 1, "1ere": 1, "1er": 1})
    for n, stem in enumerate(_ES_ORD, start=1):
        table[stem + "a"] = table[stem + "o"] = n
    table.update({"primer": 1, "tercer": 3, "undecima": 11, "duodecima": 12})
    return table


ORDINALS: dict[str, int] = _ordinal_table()
_COMPACT_ORDINALS = {w.replace(" ", ""): n for w, n in ORDINALS.items()}  # as read: spaces dropped
# Longest first, so "dix-septieme" wins over "septieme"; OCR may split hyphens with spaces.
_ORD_WORDS = sorted(ORDINALS, key=len, reverse=True)
ORDINAL_RE = (
    r"(?:" + trie_pattern(_ORD_WORDS)
    + r"|\d{1,2}\s?(?:e|eme|ieme|er|re|ere|st|nd|rd|th)\b)"
)


def ordinal_value(word: str) -> int | None:
    """'deuxieme' → 2, 'twenty-first' → 21, '3rd' → 3; None when it is not an ordinal."""
    w = re.sub(r"\s+", "", word.lower()).replace("--", "-")
    if w in _COMPACT_ORDINALS:
        return _COMPACT_ORDINALS[w]
    m = re.match(r"(\d{1,2})", w)
    return int(m.group(1)) if m else None


# Instruments: names as they appear in running text. The short name alone is
# enough ("conventions de Bale, de Rotterdam et de Stockholm").
INSTRUMENT_PATTERNS: tuple[tuple[str, str], ...] = (
    ("saicm", r"Approche\s+strategique\s+de\s+la\s+gestion\s+internationale\s+des\s+produits\s+chimiques"
              r"|Strategic\s+Approach\s+to\s+International\s+Chemicals\s+Management|\bSAICM\b"),
    ("gfc", r"Cadre\s+mondial\s+(?:relatif\s+aux|sur\s+les)\s+produits\s+chimiques"
            r"|Global\s+Framework\s+on\s+Chemicals"),
    ("minamata", r"\bMinamata\b(?!\s*/)"),
    ("basel", r"\bConvention\s+de\s+Bale\b|\bBasel\b|\bBale\b(?=\s*(?:,|et\b|sur\b|\)|\.))"),
    ("rotterdam", r"\bRotterdam\b"),
    ("stockholm", r"\bStockholm\b(?!\s*,\s*(?:Sweden|Suede))"),
)
# "la Convention" / "the Convention" with no name after it: the source's own instrument.
ANAPHORIC_CONVENTION = re.compile(
    r"\b(?:de\s+la|a\s+la|la|the|this)\s+Convention\b(?!\s+(?:de|d'|sur|on|of|for)\b)(?!\s+(?-i:[A-Z]))",
    re.I,
)

# Bodies. Order matters: the more specific first.
BODY_PATTERNS: tuple[tuple[str, str], ...] = (
    ("brs-executive-secretary",
     r"(?:Secretaire|Secretary)[\s-]+execut\w+\s+(?:des|of\s+the)\s+(?:conventions\s+de\s+Bale|Basel)"
     r"|Executive\s+Secretary\s+of\s+the\s+Basel"),
    ("minamata-executive-secretary", r"(?:Secretaire\s+execut\w+|Executive\s+Secretary)"),
    ("unep-executive-director",
     r"(?:Directeur|Directrice|Director)[\s-]+(?:execut\w+|Executive)"
     r"|Executive\s+Director"),
    ("brs-secretariat",
     r"Secretariat\s+(?:des|of\s+the)\s+(?:conventions\s+de\s+Bale|Basel)"
     r"|secretariat\s+(?:des|of\s+the)\s+(?:conventions\s+de\s+Bale|Basel)"
     r"|(?:BRS|Basel,\s+Rotterdam\s+and\s+Stockholm\s+conventions)\s+Secretariat"),
    ("minamata-secretariat", r"\bsecretariat\b"),
    ("joint-task-force", r"equipe\s+speciale\s+commune|equipe\s+speciale\b|joint\s+task\s+force|task\s+force"),
    ("unep-chemicals-health-branch",
     r"Service\s+Substances\s+chimiques\s+et\s+sante|Chemicals\s+and\s+Health\s+Branch"),
    ("regional-centres", r"centres\s+regionaux|regional\s+centres|regional\s+centers"),
    ("gef", r"Fonds\s+pour\s+l'environnement\s+mondial|Global\s+Environment\s+Facility|\bFEM\b|\bGEF\b"),
    ("unea", r"Assemblee\s+des\s+Nations\s+Unies\s+pour\s+\S{0,3}\s?environnement|Environment\s+Assembly"),
    ("minamata-cop", r"Conference\s+des\s+Parties|Conference\s+of\s+the\s+Parties"),
    ("parties", r"(?-i:\bParties\b)"),
)

# Paragraph-opening words → action. Preambular forms (participles,
# adjectives) mark preamble paragraphs; finite verbs mark operative ones.
PREAMBLE_OPENERS: tuple[tuple[str, str], ...] = (
    ("recalls", r"Rappelant|Recalling|Rappelle|Recalls"
              r"|Recordando"),
    ("aware", r"Conscient(?:e|s|es)?|Sachant|Aware|Realizing|Realising|Mindful|Cognizant|Cognisant|Knowing|Soucieu(?:x|se)"
              r"|Convaincu(?:e|s|es)?|Convinced|Preoccupe(?:e|s|es)?|Concerned|Considerant|Considering"
              r"|Desireu(?:x|se)|Desiring|Tenant\s+compte|Taking\s+into\s+account|Bearing\s+in\s+mind"
              r"|Ayant\s+a\s+l'esprit|Gardant\s+a\s+l'esprit"
              r"|Consciente(?:s)?|Preocupad[ao]s?|Convencid[ao]s?|Considerando|Teniendo\s+presente|Teniendo\s+en\s+cuenta|Deseos[ao]s?"),
    ("takes-note", r"Prenant\s+note|Taking\s+note|Prenant\s+acte"
              r"|Tomando\s+nota"),
    ("notes", r"Notant|Noting|Constatant"
              r"|Observando|Senalando"),
    ("welcomes", r"Se\s+felicitant|Welcoming|Accueillant\s+avec\s+satisfaction|Saluant"
              r"|Acogiendo\s+con\s+(?:beneplacito|satisfaccion)"),
    ("reaffirms", r"Reaffirmant|Reaffirming|Reiterant|Reiterating"
              r"|Reafirmando|Reiterando"),
    ("acknowledges", r"Reconnaissant|Recognizing|Recognising|Acknowledging"
              r"|Reconociendo"),
    ("emphasizes", r"Soulignant|Emphasizing|Emphasising|Stressing|Underlining|Insistant|Highlighting|Mettant\s+en\s+avant"
              r"|Destacando|Subrayando|Poniendo\s+de\s+relieve|Haciendo\s+hincapie"),
    ("urges", r"Exhortant|Urging|Engageant\s+vivement|Demandant\s+instamment"
              r"|Instando|Exhortando"),
    ("encourages", r"Encourageant|Encouraging"
              r"|Alentando"),
    ("invites", r"Invitant"
              r"|Invitando"),
    ("requests", r"Demandant|Requesting"
              r"|Pidiendo|Solicitando"),
    ("decides", r"Ayant\s+decide|Having\s+decided"
              r"|Habiendo\s+decidido"),
    ("adopts", r"Ayant\s+adopte|Having\s+adopted"
              r"|Habiendo\s+aprobado|Habiendo\s+adoptado"),
    ("other", r"Ayant\s+examine|Having\s+considered|Having\s+examined|Guide(?:e|s|es)?\s+par|Guided\s+by"
              r"|Affirmant|Affirming|Accueillant|Appreciating|Appreciant|Expressing|Exprimant"
              r"|Determined|Determine(?:e|s|es)?|Resolu(?:e|s|es)?|Resolved|Confirming|Confirmant"
              r"|Habiendo\s+examinado|Habiendo\s+considerado|Guiad[ao]s?\s+por|Afirmando|Expresando|Decidid[ao]s?|Confirmando|Apreciando"),
)
OPERATIVE_OPENERS: tuple[tuple[str, str], ...] = (
    ("takes-note", r"Prend\s+note|Takes\s+note|Prend\s+acte|Take\s+note"
              r"|Toma\s+nota"),
    ("welcomes", r"Se\s+felicite|Accueille\s+avec\s+satisfaction|Welcomes|Salue|Accueille\s+favorablement"
              r"|Acoge\s+con\s+(?:beneplacito|satisfaccion)|Celebra"),
    ("reaffirms", r"Reaffirme|Reaffirms|Reitere|Reiterates"
              r"|Reafirma|Reitera"),
    ("recalls", r"Rappelle|Recalls"
              r"|Recuerda"),
    ("notes", r"Note|Notes|Constate"
              r"|Observa|Senala"),
    ("urges", r"Prie\s+instamment|Exhorte|Engage\s+vivement|Urges|Demande\s+instamment"
              r"|Insta|Exhorta"),
    ("requests", r"Prie|Demande|Requests|Charge"
              r"|Pide|Solicita|Encarga"),
    ("invites", r"Invite|Invites"
              r"|Invita"),
    ("decides", r"Decide|Decides|Convient|Agrees|Approuve|Approves|Autorise|Authorizes|Authorises"
              r"|Decide|Conviene|Acuerda|Aprueba|Autoriza"),
    ("adopts", r"Adopte|Adopts|Endorses|Fait\s+siens?|Enterine"
              r"|Adopta|Hace\s+suy[ao]s?|Respalda"),
    ("encourages", r"Encourage|Encourages"
              r"|Alienta"),
    ("emphasizes", r"Souligne|Emphasizes|Emphasises|Stresses|Underlines|Underscores|Highlights|Insiste"
              r"|Destaca|Subraya|Pone\s+de\s+relieve|Hace\s+hincapie"),
    ("acknowledges", r"Reconnait|Acknowledges|Recognizes|Recognises"
              r"|Reconoce"),
    ("other", r"Exprime|Expresses|Remercie|Thanks|Appelle|Calls|Affirme|Affirms|Designe|Designates"
              r"|Elit|Elects|Confirme|Confirms|Etablit|Establishes"
              r"|Hace\s+un\s+llamamiento|Expresa|Agradece|Designa|Elige|Confirma|Establece|Afirma"),
)
# A second action inside a paragraph: "..., et demande au secretariat ...".
LATER_ACTIONS: tuple[tuple[str, str], ...] = (
    ("requests", r"(?:et|and|,)\s+(?:prie|demande|requests)\s+(?:au|aux|a\s+la|a\s+l'|le|la|les|l'|the)\b"),
    ("invites", r"(?:et|and|,)\s+(?:invite|invites)\s+(?:les|le|la|l'|the|all|Parties)\b"),
    ("encourages", r"(?:et|and|,)\s+(?:encourage|encourages)\s+(?:les|le|la|l'|the|all|Parties)\b"),
    ("urges", r"(?:et|and|,)\s+(?:exhorte|urges)\s+(?:les|le|la|l'|the|all|Parties)\b"),
    ("decides", r"(?:et|and|,)\s+(?:decide|decides)\s+(?:de|d'|que|to|that)\b"),
)
# "Also requests", "Further recalling", "Further also decides": an adverb may open the paragraph.
OPENING_ADVERB = r"(?:(?:Also|Further|Furthermore|Moreover|Again|Further\s+also)\s+)"


def opener_pattern(words: str) -> str:
    """A paragraph opening: the action word capitalised, or any case after an adverb."""
    return rf"(?:{OPENING_ADVERB}(?i:{words})|(?:{words}))"
CONDITION_PATTERNS: tuple[tuple[str, str], ...] = (
    ("subject-to-resources",
     r"sous\s+reserve\s+(?:de\s+la\s+disponibilite|des)\s+(?:de\s+)?(?:ressources|fonds)"
     r"|subject\s+to\s+(?:the\s+)?availability\s+of\s+(?:resources|funding|funds)"),
    ("within-available-resources",
     r"dans\s+(?:la\s+)?limite\s+des\s+ressources\s+disponibles|within\s+(?:available|existing)\s+resources"),
    ("as-appropriate", r"selon\s+qu'il\s+(?:conviendra|convient)|as\s+appropriate"),
)
# Enacting formulas in Arabic, Chinese and Russian, written as printed and folded like the text.
_OTHER_SCRIPT_CHAPEAUX = ("Конференция Сторон", "缔约方大会", "إن مؤتمر الأطراف", "مؤتمر الأطراف")
CHAPEAU_RE = re.compile(
    r"^\s*(?:La\s+Conference\s+des\s+Parties|The\s+Conference\s+of\s+the\s+Parties"
    r"|L'Assemblee\s+des\s+Nations\s+Unies\s+pour\s+l'environnement|The\s+United\s+Nations\s+Environment\s+Assembly"
    r"|L'Assemblee\s+generale|The\s+General\s+Assembly|Le\s+Conseil\s+d'administration|The\s+Governing\s+Council"
    r"|Les\s+Conferences\s+des\s+Parties|The\s+Conferences\s+of\s+the\s+Parties"
    r"|Las?\s+Conferencias?\s+de\s+las\s+Partes|El\s+Consejo\s+de\s+Administracion|La\s+Asamblea\s+General"
    r"|La\s+Asamblea\s+de\s+las\s+Naciones\s+Unidas\s+sobre\s+el\s+Medio\s+Ambiente"
    + "|" + "|".join(r"\s+".join(fold(w) for w in phrase.split()) for phrase in _OTHER_SCRIPT_CHAPEAUX)
    + r")\s*,?\s*$",
    re.I,
)

# Words naming acts, per language (folded): "decision(s)", "resolution(s)", "decisión", "resoluciones".
ACT_KEYWORDS: dict[str, str] = {
    "decision": r"decisions?|decisiones",
    "resolution": r"resolutions?|resolucion(?:es)?",
}
# Words that open what a listed act is about ("decisions 24/3 on chemicals management and 25/5").
# "In response to" in the languages of the texts (folded): what makes a paragraph say that the
# acts it cites next answer each other (text/responses.py).
RESPONSE_RE = re.compile(r"\b(?:en\s+reponse\s+(?:a|aux?)|in\s+response\s+to|comme\s+suite\s+aux?|pursuant\s+to)\b",
                         re.I)
ACT_TOPIC_WORDS = r"on|concerning|entitled|relating\s+to|regarding|sur|concernant|relative\s+a|intitulee|sobre|relativa\s+a|titulada"
# The same act named again: "the same decision", "cette decision", "dicha resolucion".
# Alone, only a determiner that points back counts; after a part ("annex I to the decision") any does.
ACT_ANAPHORA = r"(?:the\s+same|that|the\s+said|said|la\s+meme|cette|ladite|la\s+misma|dicha|esa)\s+"
ACT_ANAPHORA_AFTER_PART = r"(?:the\s+same|that|the\s+said|said|the|la\s+meme|cette|ladite|la\s+misma|dicha|esa|la|le|el)\s+"
# Words that name a part of an act, a document or an annex, normalised to the English label.
PART_WORDS: dict[str, str] = {
    "paragraph": "paragraph", "paragraphs": "paragraph", "paragraphe": "paragraph", "paragraphes": "paragraph",
    "parrafo": "paragraph", "parrafos": "paragraph",
    "section": "section", "sections": "section", "seccion": "section", "secciones": "section",
    "annex": "annex", "annexes": "annex", "annexe": "annex", "anexo": "annex", "anexos": "annex",
    "part": "part", "parts": "part", "partie": "part", "parties": "part", "parte": "part", "partes": "part",
    "appendix": "appendix", "appendice": "appendix", "apendice": "appendix",
}
_PART_NUMBER = r"(?:[IVXL]{1,6}|\d{1,3})(?:\s?\([a-z]\))?"
# "paragraph 6", "paragraphs 3 and 4", "sections II, III and IV": one reference per number.
PART_RE = (r"(?P<pword>" + trie_pattern(PART_WORDS) + r")\s+"
           r"(?P<pnum>[IVXL]{1,6}|\d{1,3})(?:\s?\([a-z]\))?"
           r"(?P<pmore>(?:(?:\s*,\s*(?:and\s+|et\s+|y\s+)?|\s+(?:and|et|y)\s+)" + _PART_NUMBER + r")*)")
# Between a part and the act it belongs to: "of", "to", "de la", "du", "del".
PART_LINK = r"\s+(?:of|to|in|de\s+la|de\s+l'|du|de|del|a\s+la|au)\s+(?:the\s+)?"

# Page furniture of web exports, in the six languages (folded): never a title nor a paragraph.
# Written as printed; folded like the text when the pattern is built.
_OTHER_SCRIPT_FURNITURE = ("Перейти к основному содержанию", "跳转到主要内容", "跳到主要内容",
                           "انتقل إلى المحتوى الرئيسي", "الانتقال إلى المحتوى الرئيسي", "تجاوز إلى المحتوى الرئيسي")
FURNITURE = (
    r"skip\s+to\s+(?:main\s+)?content|aller\s+au\s+contenu(?:\s+principal)?|pasar\s+al\s+contenido\s+principal"
    r"|ir\s+al\s+contenido(?:\s+principal)?|share\s+(?:this\s+)?(?:meeting|page|decision|document)"
    r"|partager\s+(?:cette\s+)?(?:reunion|page|decision)|compartir\s+(?:esta\s+)?(?:reunion|pagina|decision)"
    r"|get\s+regular\s+updates\b.*|subscribe\b.*|s'abonner\b.*|suscribirse\b.*|full\s+text|texte\s+integral"
    r"|texto\s+completo"
    + "|" + "|".join(r"\s+".join(fold(w) for w in phrase.split()) for phrase in _OTHER_SCRIPT_FURNITURE)
)
# A catalogue record's labels printed on lines of their own ("Type" / "Decision" / "Status" / "Active"):
# a unit that opens with one is a heading of the preface, never the title.
_OTHER_SCRIPT_LABELS = ("الكلمات المفتاحية", "Ключевые слова", "关键词")
RECORD_LABEL_LINE = (
    r"(?:Type|Status|Keywords?|Subject|Date|Statut|Mots?[\s-]cles?|Tipo|Estado|Palabras?\s+clave"
    + "|" + "|".join(r"\s+".join(fold(w) for w in phrase.split()) for phrase in _OTHER_SCRIPT_LABELS)
    + r")\s*$"
)

# Fields of a catalogue record (ecolex, InforMEA) printed before the text itself, per language.
# Each opens a heading of the preface; a summary field is followed by the text.
RECORD_FIELDS: dict[str, str] = {
    "en": r"Document\s+type|Reference\s+number|Date|Source|Status|Subject|Keyword|Treaty|Meeting|Website|Full\s+text|Summary",
    "fr": r"Type\s+de\s+document|Numero\s+de\s+reference|Date|Source|Statut|Matiere|Mot[\s-]cle|Traite|Reunion|Site\s+web"
          r"|Texte\s+integral|Resume",
    "es": r"Tipo\s+de\s+documento|Numero\s+de\s+referencia|Fecha|Fuente|Estado|Materia|Palabra\s+clave|Tratado|Reunion"
          r"|Pagina\s+web|Texto\s+completo|Resumen",
}
RECORD_SUMMARY = r"Summary|Resume|Resumen|Abstract"
# Boilerplate of catalogue sites that says where the record comes from.
RECORD_DISCLAIMER = r"(?:\S\s*)?Information\s+on\s+this\s+section\s+of\s+ECOLEX\b.*?\bprevails\."

# Column names of tables in web pages (folded), per language; a column that holds article
# numbers makes each row's cell a reference to that article of the source's instrument.
TABLE_COLUMNS = (
    r"Article|Adopted|Title|File|Further\s+Information|Decision|Meeting|Date|Document|Status|Description"
    r"|Titre|Fichier|Adopte|Reunion|Articulo|Titulo|Archivo|Adoptado|Reunion|Fecha"
)
ARTICLE_COLUMN = r"Article|Articulo|Artikel"

# Words after which a line cannot end a heading: the sentence runs on ("… (UNEP, 2017) and").
CONTINUING_WORDS = r"and|or|of|the|in|to|for|as|a|an|by|with|et|ou|de|du|des|la|le|les|au|aux|y|o|el|los|las|del|en|con|por"

# Bodies that hold meetings but issue no acts of the table: "the Open-ended Working Group at its
# seventh meeting" is that group's meeting, not a COP's (folded, per language).
OTHER_BODIES = (
    r"Working\s+Group|Committee|Bureau|Board|Panel|Commission|Expert\s+Group|Group\s+of\s+(?:Technical\s+)?Experts"
    r"|Groupe\s+de\s+travail|Comite|Commission|Groupe\s+d'experts|Grupo\s+de\s+trabajo|Comite|Mesa|Grupo\s+de\s+expertos"
)

# Meetings named relative to a body (folded): "its/sa/su <ordinal> meeting", "the next session",
# "the Conference of the Parties" (whose COP: the convention named after it, else the adopting one).
POSSESSIVES = ("its", "their", "sa", "son", "leur", "su", "sus")
DETERMINERS = ("the", "la", "le", "el", r"at\s+the", r"a\s+la")
NEXT_WORDS = ("next", "prochaine", "prochain", "following", "suivante", "proxima", "proximo", "siguiente")
COP_NAME = r"Conference\s+of\s+the\s+Parties|Conference\s+des\s+Parties|Conferencia\s+de\s+las\s+Partes"
