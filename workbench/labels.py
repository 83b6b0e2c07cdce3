"""What the analyst reads, in Dutch or English: screen labels, field labels and profile words.

One catalogue: ``MESSAGES`` (key -> text per language) and ``FIELD_LABELS_NL`` (the Dutch label of
every field of :mod:`workbench.fields`; the English one is the field's own ``Target.label``).
Where a CRM layout is chosen, a field is called what that CRM's import wizard calls it
(``workbench/crm/*.yml``), so the screen speaks the analyst's CRM.
"""
from __future__ import annotations

from functools import lru_cache

from workbench.fields import MAX_VALUES, TARGET_BY_NAME

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


def label(key: str, lang: str | None = None, **values: object) -> str:
    """The text of one catalogue key in ``lang`` (``{name}`` parts filled from ``values``)."""
    texts = MESSAGES[key]
    text = texts.get(language_of(lang), texts[DEFAULT_LANGUAGE])
    return text.format(**values) if values else text


def meaning_label(meaning: str, lang: str | None = None) -> str:
    """What the profile calls a column's meaning (``kvk_number`` -> ``KvK number``)."""
    texts = MEANING_LABELS.get(meaning)
    return texts[language_of(lang)] if texts else meaning.replace("_", " ")


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
