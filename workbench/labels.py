"""What the analyst reads, in Dutch or English: screen labels, field labels and profile words.

One catalogue: ``MESSAGES`` (key -> text per language) and ``FIELD_LABELS_NL`` (the Dutch label of
every field of :mod:`workbench.fields`; the English one is the field's own ``Target.label``).
Where a CRM layout is chosen, a field is called what that CRM's import wizard calls it
(``workbench/crm/*.yml``), so the screen speaks the analyst's CRM.
"""
from __future__ import annotations

from functools import lru_cache

from workbench.fields import MAX_VALUES, TARGET_BY_NAME
from workbench.output_sentences import SENTENCES
from workbench.screen_sentences import SCREEN_SENTENCES

LANGUAGES = ("en", "nl")
# English by default: the files and messages the workbench wrote so far are English, and a
# definition saved before this setting existed reads as it did; an analyst sets ``language: nl``.
DEFAULT_LANGUAGE = "en"

MESSAGES: dict[str, dict[str, str]] = {
    # the mapping screen
    "crm_field": {"en": "CRM field", "nl": "CRM-veld"},
    "file_column": {"en": "file column", "nl": "kolom in het bestand"},
    "fixed_value": {"en": "fixed value", "nl": "vaste waarde"},
    "default_new": {"en": "default (new records)", "nl": "standaard (nieuwe records)"},
    "default": {"en": "default", "nl": "standaard"},
    "preview": {"en": "preview", "nl": "voorbeeld"},
    "rows_columns": {"en": "{rows} rows, {columns} columns.",
                     "nl": "{rows} rijen, {columns} kolommen."},
    "mapping_intro": {
        "en": "required for the chosen keys and actions. A fixed value replaces the file's value "
              "on every row; a default fills the empty field of new records only.",
        "nl": "verplicht voor de gekozen sleutels en acties. Een vaste waarde vervangt de waarde "
              "uit het bestand op elke rij; een standaardwaarde vult alleen het lege veld van "
              "nieuwe records."},
    "matching_and_actions": {"en": "Matching and actions", "nl": "Koppelen en acties"},
    "org_keys": {"en": "Organisation keys", "nl": "Sleutels organisatie"},
    "tried_in_order": {"en": "(tried in this order)", "nl": "(in deze volgorde geprobeerd)"},
    "person_keys": {"en": "Person keys", "nl": "Sleutels persoon"},
    "actions": {"en": "Actions", "nl": "Acties"},
    "create_new": {"en": "create new if not found", "nl": "nieuw aanmaken als niet gevonden"},
    "update_existing": {"en": "update existing records", "nl": "bestaande records bijwerken"},
    "import_persons": {"en": "import contact persons", "nl": "contactpersonen importeren"},
    "lookup_city": {"en": "look up place from postcode", "nl": "plaats opzoeken bij postcode"},
    "postal_is_visiting": {"en": "postal address is visiting address",
                           "nl": "postadres is bezoekadres"},
    "update_policy": {"en": "update policy", "nl": "bijwerken"},
    "problems": {"en": "Problems", "nl": "Problemen"},
    "no_problems": {"en": "No problems: ready to run.",
                    "nl": "Geen problemen: klaar om te draaien."},
    "name": {"en": "name", "nl": "naam"},
    "save_definition": {"en": "Save definition", "nl": "Definitie opslaan"},
    "saved": {"en": "saved", "nl": "opgeslagen"},
    "load": {"en": "Load", "nl": "Laden"},
    # match keys and update policies, as the mapping screen names them
    "key.kvk": {"en": "KvK number", "nl": "KvK-nummer"},
    "key.name": {"en": "name", "nl": "naam"},
    "key.address": {"en": "address (postcode + number)", "nl": "adres (postcode + huisnummer)"},
    "key.fuzzy": {"en": "fuzzy (scored)", "nl": "bij benadering (met score)"},
    "key.email": {"en": "e-mail", "nl": "e-mail"},
    "key.bsn": {"en": "BSN", "nl": "BSN (burgerservicenummer)"},
    "key.person_id": {"en": "CRM person id", "nl": "persoonsnummer in het CRM"},
    "key.name_gender": {"en": "name + gender (in the organisation)",
                        "nl": "naam + geslacht (binnen de organisatie)"},
    "key.name_gender_email": {"en": "name + gender + e-mail", "nl": "naam + geslacht + e-mail"},
    "key.name_gender_birth_date": {"en": "name + gender + birth date",
                                   "nl": "naam + geslacht + geboortedatum"},
    "key.name_gender_mobile": {"en": "name + gender + mobile", "nl": "naam + geslacht + mobiel"},
    "key.name_gender_phone": {"en": "name + gender + phone", "nl": "naam + geslacht + telefoon"},
    "key.always_new": {"en": "always new", "nl": "altijd nieuw"},
    "policy.overwrite": {"en": "overwrite", "nl": "overschrijven"},
    "policy.fill_empty": {"en": "fill empty fields only", "nl": "alleen lege velden vullen"},
    "policy.leave": {"en": "leave alone", "nl": "ongemoeid laten"},
    # the profile
    "profile_of": {"en": "Profile of {file}", "nl": "Profiel van {file}"},
    "warnings": {"en": "Warnings", "nl": "Waarschuwingen"},
    "overview": {"en": "Overview", "nl": "Overzicht"},
    "read_as": {"en": "read as", "nl": "gelezen als"},
    "file": {"en": "file", "nl": "bestand"},
    "rows": {"en": "rows", "nl": "rijen"},
    "blank_rows": {"en": "blank rows", "nl": "lege rijen"},
    "columns": {"en": "columns", "nl": "kolommen"},
    "exact_duplicates": {"en": "exact duplicate rows", "nl": "rijen exact dubbel"},
    "normalised_duplicates": {"en": "duplicates ignoring case, spaces, punctuation",
                              "nl": "dubbel als hoofdletters, spaties en leestekens niet tellen"},
    "examples_source_rows": {"en": "Examples (source rows)", "nl": "Voorbeelden (bronrijen)"},
    "fill_rate": {"en": "Fill rate", "nl": "Vulling"},
    "confidence": {"en": "confidence", "nl": "betrouwbaarheid"},
    "filled": {"en": "filled", "nl": "gevuld"},
    "distinct": {"en": "distinct", "nl": "verschillend"},
    "length": {"en": "length", "nl": "lengte"},
    "values_masked": {"en": "values masked", "nl": "waarden afgeschermd"},
    "written": {"en": "written", "nl": "geschreven als"},
    "pattern": {"en": "pattern", "nl": "patroon"},
    "top_value": {"en": "top value", "nl": "meest voorkomende waarde"},
    "count": {"en": "count", "nl": "aantal"},
    "none": {"en": "none", "nl": "geen"},
    "invalid_for": {"en": "{count} invalid for {meaning}, each with its reason:",
                    "nl": "{count} ongeldig als {meaning}, elk met de reden:"},
    "doubtful_for": {"en": "{count} kept with a warning, for example:",
                     "nl": "{count} behouden met een waarschuwing, bijvoorbeeld:"},
}

# the review screen (workbench/widgets/review.py, workbench/review/*) and the decisions view
REVIEW_MESSAGES: dict[str, dict[str, str]] = {
    "review.same": {"en": "Same", "nl": "Dezelfde"},
    "review.different": {"en": "Not the same", "nl": "Niet dezelfde"},
    "review.same_org_other_person": {"en": "Same organisation, other person",
                                     "nl": "Zelfde organisatie, andere persoon"},
    "review.skip": {"en": "Skip", "nl": "Overslaan"},
    "review.back": {"en": "Back", "nl": "Terug"},
    "review.score": {"en": "score", "nl": "score"},
    "review.all_scores": {"en": "all scores ({n})", "nl": "alle scores ({n})"},
    "review.progress": {"en": "{decided} of {total} pairs decided · question {shown} of {asked}",
                        "nl": "{decided} van {total} paren beslist · vraag {shown} van {asked}"},
    "review.keys": {
        "en": "<b>keys</b>, with the pointer over this screen (blue frame): s same · d not the "
              "same · o same organisation, other person (person pairs) · k skip · b back",
        "nl": "<b>toetsen</b>, met de muis boven dit scherm (blauwe rand): s dezelfde · d niet "
              "dezelfde · o zelfde organisatie, andere persoon (personen) · k overslaan · b terug"},
    "review.changeset_after": {"en": "Change set after review",
                               "nl": "Wijzigingenset na beoordeling"},
    "review.update_preview": {"en": "Update change set preview",
                              "nl": "Voorbeeld wijzigingenset bijwerken"},
    "review.updating": {"en": "updating…", "nl": "bijwerken…"},
    "review.open_decisions": {"en": "Show decisions", "nl": "Beslissingen tonen"},
    "review.close_decisions": {"en": "Hide decisions", "nl": "Beslissingen verbergen"},
    "review.earlier": {"en": "{n} stored decisions apply to this list ({total} in the state file)",
                       "nl": "{n} opgeslagen beslissingen gelden voor deze lijst ({total} in het "
                             "statusbestand)"},
    "review.nothing_left": {
        "en": "No pairs left to decide: {n} earlier decisions apply to this list (listed below, "
              "each can be reopened)",
        "nl": "Geen paren meer te beslissen: {n} eerdere beslissingen gelden voor deze lijst "
              "(hieronder, elk kan worden heropend)"},
    "review.all_seen": {"en": "All pairs under this filter have been seen.",
                        "nl": "Alle paren onder dit filter zijn bekeken."},
    "review.decided_earlier": {"en": "decided earlier: {answer}", "nl": "eerder beslist: {answer}"},
    "review.crm_organisation": {"en": "organisation vs CRM", "nl": "organisatie tegen het CRM"},
    "review.file_organisation": {"en": "organisation, twice in the file",
                                 "nl": "organisatie, twee keer in het bestand"},
    "review.crm_person": {"en": "person vs CRM", "nl": "persoon tegen het CRM"},
    "review.file_person": {"en": "person, twice in the file",
                           "nl": "persoon, twee keer in het bestand"},
    "review.field": {"en": "field", "nl": "veld"},
    "review.incoming_row": {"en": "incoming row {row}", "nl": "binnenkomende rij {row}"},
    "review.crm_record": {"en": "CRM {id}", "nl": "CRM {id}"},
    "review.file_row": {"en": "row {row} of this file", "nl": "rij {row} van dit bestand"},
    "review.comparison": {"en": "comparison", "nl": "vergelijking"},
    "review.points": {"en": "points", "nl": "punten"},
    "review.row": {"en": "row {row}", "nl": "rij {row}"},
    "review.rows_pair": {"en": "rows {a} – {b}", "nl": "rijen {a} – {b}"},
    "review.pair": {"en": "pair", "nl": "paar"},
    "review.why": {"en": "why", "nl": "waarom"},
    "review.organisation": {"en": "organisation", "nl": "organisatie"},
    "review.person": {"en": "person", "nl": "persoon"},
    "review.cluster": {
        "en": "{level}: {rows} rows of this file look like one</b> · {pairs} pairs, one decision "
              "for all of them",
        "nl": "{level}: {rows} rijen van dit bestand lijken één</b> · {pairs} paren, één "
              "beslissing voor allemaal"},
    # what surrounds a pair (workbench/review/pair_context.py)
    "review.ctx.organisation": {"en": "Organisation", "nl": "Organisatie"},
    "review.ctx.job_title": {"en": "Job title", "nl": "Functie"},
    "review.ctx.email": {"en": "Email", "nl": "E-mail"},
    "review.ctx.phone": {"en": "Phone", "nl": "Telefoon"},
    "review.ctx.mobile": {"en": "Mobile", "nl": "Mobiel"},
    "review.ctx.contact_person": {"en": "Contact person", "nl": "Contactpersoon"},
    "review.ctx.persons": {"en": "Persons at this organisation",
                           "nl": "Personen bij deze organisatie"},
    "review.ctx.more_persons": {"en": "and {n} more", "nl": "en nog {n}"},
    "review.ctx.none": {"en": "(none known)", "nl": "(geen bekend)"},
    "review.ctx.context": {"en": "Around this pair", "nl": "Rond dit paar"},
    # the decisions view (workbench/review/decisions.py, workbench/widgets/decisions.py)
    "decisions.this_list": {"en": "this list", "nl": "deze lijst"},
    "decisions.other_list": {"en": "another list", "nl": "een andere lijst"},
    "decisions.unnamed": {"en": "(pair without names: decided before names were kept)",
                          "nl": "(paar zonder namen: beslist voordat namen werden bewaard)"},
    "decisions.run": {"en": "run {run}", "nl": "run {run}"},
    "decisions.search": {"en": "search", "nl": "zoeken"},
    "decisions.search_hint": {"en": "name of an organisation or person",
                              "nl": "naam van een organisatie of persoon"},
    "decisions.count": {"en": "{shown} of {total} decisions shown · {here} of this list",
                        "nl": "{shown} van {total} beslissingen getoond · {here} van deze lijst"},
    "decisions.none": {"en": "No decisions stored yet.", "nl": "Nog geen beslissingen opgeslagen."},
    "decisions.pick": {"en": "Pick a decision to reopen it.",
                       "nl": "Kies een beslissing om die te heropenen."},
    "decisions.change_to": {"en": "Change to:", "nl": "Wijzigen in:"},
    "decisions.changed": {"en": "Changed to <b>{answer}</b>; the change set preview below is updated.",
                          "nl": "Gewijzigd in <b>{answer}</b>; het voorbeeld van de wijzigingenset "
                                "hieronder is bijgewerkt."},
}
MESSAGES.update(REVIEW_MESSAGES)
# the screens' sentences (profile warnings and reasons, mapping problems, counts): their own module
MESSAGES.update(SCREEN_SENTENCES)
MESSAGES.update(SENTENCES)

# The comparisons that score a pair (workbench.match.compare, the ``label`` of each).
COMPARISON_LABELS: dict[str, dict[str, str]] = {
    "kvk_number": {"en": "KvK number", "nl": "KvK-nummer"},
    "name": {"en": "name", "nl": "naam"},
    "address": {"en": "address", "nl": "adres"},
    "phone": {"en": "phone", "nl": "telefoon"},
    "domain": {"en": "e-mail or web domain", "nl": "domein van e-mail of website"},
    "contact": {"en": "phone and domain", "nl": "telefoon en domein"},
    "email": {"en": "e-mail", "nl": "e-mail"},
    "last_name": {"en": "last name", "nl": "achternaam"},
    "initials": {"en": "initials", "nl": "voorletters"},
    "first_name": {"en": "first name", "nl": "voornaam"},
    "gender": {"en": "gender", "nl": "geslacht"},
    "mobile": {"en": "mobile", "nl": "mobiel"},
    "birth_date": {"en": "birth date", "nl": "geboortedatum"},
    "organisation": {"en": "organisation", "nl": "organisatie"},
}

# The meanings the profile finds in a column (workbench.profile.meanings.MEANINGS).
MEANING_LABELS: dict[str, dict[str, str]] = {
    "postcode": {"en": "postcode", "nl": "postcode"},
    "house_number": {"en": "house number", "nl": "huisnummer"},
    "street_house_number": {"en": "street and house number", "nl": "straat en huisnummer"},
    "city": {"en": "place", "nl": "plaats"},
    "kvk_number": {"en": "KvK number", "nl": "KvK-nummer"},
    "vestigingsnummer": {"en": "establishment number", "nl": "vestigingsnummer"},
    "bsn": {"en": "BSN", "nl": "BSN"},
    "iban": {"en": "IBAN", "nl": "IBAN"},
    "phone": {"en": "phone number", "nl": "telefoonnummer"},
    "mobile": {"en": "mobile number", "nl": "mobiel nummer"},
    "email": {"en": "e-mail address", "nl": "e-mailadres"},
    "url": {"en": "website", "nl": "website"},
    "date": {"en": "date", "nl": "datum"},
    "gender": {"en": "gender", "nl": "geslacht"},
    "salutation": {"en": "salutation", "nl": "aanhef"},
    "initials": {"en": "initials", "nl": "voorletters"},
    "first_name": {"en": "first name", "nl": "voornaam"},
    "last_name": {"en": "last name", "nl": "achternaam"},
    "name_prefix": {"en": "surname prefix", "nl": "tussenvoegsel"},
    "organisation_name": {"en": "organisation name", "nl": "organisatienaam"},
    "legal_form": {"en": "legal form", "nl": "rechtsvorm"},
    "free_text": {"en": "free text", "nl": "vrije tekst"},
    "empty": {"en": "empty", "nl": "leeg"},
}

# Dutch labels of the fields of workbench.fields (the numbered ones "... 2" follow their first).
FIELD_LABELS_NL: dict[str, str] = {
    "org_name": "Organisatienaam",
    "org_kvk_number": "KvK-nummer",
    "org_address_line": "Adres (straat + huisnummer)",
    "org_street": "Straat",
    "org_house_number": "Huisnummer",
    "org_house_number_addition": "Toevoeging huisnummer",
    "org_postcode": "Postcode",
    "org_city": "Plaats",
    "org_country": "Land",
    "org_phone": "Telefoon (organisatie)",
    "org_email": "E-mail (organisatie)",
    "org_website": "Website",
    "org_move_date": "Verhuisdatum (nieuw adres geldig vanaf)",
    "person_salutation": "Aanhef",
    "person_initials": "Voorletters",
    "person_first_name": "Voornaam",
    "person_name_prefix": "Tussenvoegsel",
    "person_last_name": "Achternaam",
    "person_full_name": "Volledige naam (één kolom)",
    "person_crm_id": "Persoonsnummer in het CRM (om op te koppelen)",
    "person_gender": "Geslacht",
    "person_birth_date": "Geboortedatum",
    "person_bsn": "BSN (burgerservicenummer)",
    "department_name": "Afdeling",
    "delivery_address_line": "Afleveradres (straat + huisnummer)",
    "delivery_postcode": "Postcode afleveradres",
    "delivery_city": "Plaats afleveradres",
    "contact_job_title": "Functie",
    "contact_email": "E-mail (contactpersoon)",
    "contact_phone": "Telefoon (contactpersoon)",
    "contact_mobile": "Mobiel (contactpersoon)",
}
# What standardising does to a field, in Dutch (the English is workbench.mapping.TRANSFORMS).
TRANSFORMS_NL: dict[str, str] = {
    "org_name": "spaties en hoofdletters netjes; rechtsvorm (B.V., V.O.F.) herkend",
    "org_kvk_number": "8 cijfers; een verloren voorloopnul hersteld",
    "org_address_line": "gesplitst in straat, huisnummer, toevoeging",
    "org_street": "spaties en hoofdletters netjes",
    "org_house_number": "nummer; een toevoeging (12a, 12-3) apart gezet",
    "org_house_number_addition": "hoofdletters, zonder scheidingstekens",
    "org_postcode": "1234 AB",
    "org_city": "officiële plaatsnaam ('s-Gravenhage voor Den Haag)",
    "org_country": "ISO-code (NL)",
    "org_phone": "E.164 (+31…), standaardland uit de definitie",
    "org_email": "kleine letters, gecontroleerd",
    "org_website": "hostnaam, zonder http:// of slash aan het eind",
    "person_salutation": "geslacht uit de aanhef (Dhr. → M, Mevr. → F)",
    "person_initials": "J.P.",
    "person_first_name": "spaties en hoofdletters netjes",
    "person_name_prefix": "kleine letters (van der)",
    "person_last_name": "tussenvoegsel apart gezet (de Vries → de + Vries)",
    "person_full_name": "gesplitst in voorletters, voornaam, tussenvoegsel, achternaam",
    "person_gender": "M / F / X",
    "person_birth_date": "ISO-datum (afgeschermd in rapporten)",
    "person_bsn": "negen cijfers, elfproef (afgeschermd in rapporten)",
    "contact_job_title": "spaties netjes",
    "contact_email": "kleine letters, gecontroleerd",
    "contact_phone": "E.164 (+31…)",
    "contact_mobile": "E.164 (+316…)",
}
_NUMBERED = {f"{base}_{k}": (base, k) for base in FIELD_LABELS_NL for k in range(2, MAX_VALUES + 1)}
_ENTITY_PREFIX = {"organisation": "org", "person": "person", "contact": "contact"}
_ENTITY_TABLE = {"organisation": "organisations", "person": "persons", "contact": "contacts"}


def language_of(lang: str | None) -> str:
    """``lang`` when it is one of ``LANGUAGES``, else the default (``en``)."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def label(key: str, /, lang: str | None = None, **values: object) -> str:
    """The text of one catalogue key in ``lang`` (``{name}`` parts filled from ``values``)."""
    texts = MESSAGES[key]
    text = texts.get(language_of(lang), texts[DEFAULT_LANGUAGE])
    return text.format(**values) if values else text


def number(n: int, lang: str | None = None) -> str:
    """A count as the analyst writes it: ``1,234`` in English, ``1.234`` in Dutch."""
    text = f"{n:,}"
    return text.replace(",", ".") if language_of(lang) == "nl" else text


def meaning_label(meaning: str, lang: str | None = None) -> str:
    """What the profile calls a column's meaning (``kvk_number`` -> ``KvK number``)."""
    texts = MEANING_LABELS.get(meaning)
    return texts[language_of(lang)] if texts else meaning.replace("_", " ")


def comparison_label(name: str, lang: str | None = None) -> str:
    """What the review screen calls one comparison of a pair (``kvk_number`` -> ``KvK number``)."""
    texts = COMPARISON_LABELS.get(name)
    return texts[language_of(lang)] if texts else name.replace("_", " ")


def field_label(field: str, lang: str | None = None, crm: str | None = None) -> str:
    """The analyst's name of a field: the CRM's own when ``crm`` names a layout that has it."""
    if crm and crm != "workbench":
        named = crm_field_names(crm).get(field)
        if named:
            return named
    if language_of(lang) == "nl":
        if field in FIELD_LABELS_NL:
            return FIELD_LABELS_NL[field]
        if field in _NUMBERED:
            base, k = _NUMBERED[field]
            return f"{FIELD_LABELS_NL[base]} {k}"
    target = TARGET_BY_NAME.get(field)
    return target.label if target is not None else field.replace("_", " ")


def transform_label(field: str, lang: str | None = None) -> str:
    """What standardising does to a field, in ``lang`` ("" when it is taken as it is)."""
    from workbench.mapping import TRANSFORMS  # mapping builds on the definition, which needs us

    if language_of(lang) == "nl" and field in TRANSFORMS_NL:
        return TRANSFORMS_NL[field]
    return TRANSFORMS.get(field, "")


@lru_cache(maxsize=16)
def crm_field_names(crm: str) -> dict[str, str]:
    """Field -> the column name the CRM's import wizard (else its export) gives it."""
    from workbench.crm import load_layout

    layout = load_layout(crm)
    by_source = {source: header for header, source in reversed(list(
        layout.output.columns.items()))}
    out: dict[str, str] = {}
    for name, target in TARGET_BY_NAME.items():
        prefix = _ENTITY_PREFIX[target.entity]
        own = name.removeprefix(f"{prefix}_")
        for source in (f"{prefix}.{own}", f"{prefix}.{target.crm_column}"):
            if source in by_source:
                out[name] = by_source[source]
                break
        else:
            intake = layout.intake.get(_ENTITY_TABLE[target.entity])
            if intake is not None and target.crm_column in intake.columns:
                out[name] = intake.columns[target.crm_column]
    return out
