"""The fields an incoming row can be mapped to, the header words that name them, the CRM's tables.

This is the one home of the header vocabulary: which header means which CRM field (each
target's synonyms, folded by :func:`header_key` into :data:`HEADER_TARGETS`), which detected
value meaning points to which field (:data:`MEANING_TARGET`), and which header words hint at a
meaning (:data:`MEANING_HEADER_WORDS`, used by the profile to break ties), and the exact
headers known contact exports write (:data:`OUTLOOK_COLUMNS`, :data:`GOOGLE_COLUMNS`,
:data:`VCARD_FIELDS`). A new header word belongs here, not in the readers or the profile.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_VALUES = 5  # e-mails, phones, mobiles and addresses a row may give: <field>, <field>_2 .. _5


@dataclass(frozen=True)
class Target:
    """One field an incoming column can be mapped to."""

    name: str  # column name in the mapped frame, e.g. "org_name"
    entity: str  # "organisation", "person" or "contact"
    crm_column: str | None  # column of the canonical CRM table it lands in (None: input only)
    label: str  # what the analyst sees
    synonyms: tuple[str, ...] = ()  # header names (nl/en) that mean this field


TARGETS: tuple[Target, ...] = (
    Target("org_name", "organisation", "name", "Organisation name",
           ("bedrijfsnaam", "bedrijf", "organisatie", "organisatienaam", "naam organisatie",
            "company", "company name", "organisation", "organization", "firma", "handelsnaam",
            "statutaire naam", "account name", "relatie")),
    Target("org_kvk_number", "organisation", "kvk_number", "KvK number",
           ("kvk", "kvk nummer", "kvk-nummer", "kvknummer", "kamer van koophandel",
            "chamber of commerce", "coc number", "coc", "kvk nr")),
    Target("org_address_line", "organisation", None, "Address (street + number)",
           ("adres", "bezoekadres", "straat en huisnummer", "address", "street address",
            "address line", "address line 1", "address 1", "vestigingsadres", "business street")),
    Target("org_street", "organisation", "street", "Street",
           ("straat", "straatnaam", "street", "bezoekadres straat")),
    Target("org_house_number", "organisation", "house_number", "House number",
           ("huisnummer", "huisnr", "nr", "nummer", "house number", "housenumber", "number")),
    Target("org_house_number_addition", "organisation", "house_number_addition",
           "House number addition",
           ("toevoeging", "huisnummer toevoeging", "huisnummertoevoeging", "addition",
            "house number addition", "toev")),
    Target("org_postcode", "organisation", "postcode", "Postcode",
           ("postcode", "post code", "postal code", "zip", "zip code", "zipcode",
            "bezoekadres postcode", "business postal code")),
    Target("org_city", "organisation", "city", "City",
           ("plaats", "woonplaats", "vestigingsplaats", "stad", "city", "town", "place",
            "bezoekadres plaats", "business city", "suburb")),
    Target("org_country", "organisation", "country", "Country",
           ("land", "country", "landcode", "country code")),
    Target("org_phone", "organisation", "phone", "Phone (organisation)",
           ("telefoon", "telefoonnummer", "tel", "telefoon bedrijf", "phone", "phone number",
            "company phone", "business phone", "algemeen telefoonnummer")),
    Target("org_email", "organisation", "email", "E-mail (organisation)",
           ("e-mail", "email", "e-mailadres", "emailadres", "e-mail bedrijf", "company email",
            "algemeen e-mailadres")),
    Target("org_website", "organisation", "website", "Website",
           ("website", "web", "url", "internet", "homepage", "www", "web page")),
    Target("org_move_date", "organisation", None, "Move date (new address valid from)",
           ("verhuisdatum", "datum verhuizing", "verhuisd", "move date", "moving date",
            "moved on", "adres geldig vanaf")),
    Target("person_salutation", "person", None, "Salutation",
           ("aanhef", "titel aanhef", "salutation", "title", "aanspreekvorm")),
    Target("person_initials", "person", "initials", "Initials",
           ("voorletters", "initialen", "initials", "voorletter")),
    Target("person_first_name", "person", "first_name", "First name",
           ("voornaam", "roepnaam", "first name", "firstname", "given name", "voornamen")),
    Target("person_name_prefix", "person", "name_prefix", "Surname prefix (tussenvoegsel)",
           ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "prefix", "middle name",
            "name prefix")),
    Target("person_last_name", "person", "last_name", "Last name",
           ("achternaam", "familienaam", "geslachtsnaam", "last name", "lastname", "surname",
            "family name")),
    Target("person_full_name", "person", None, "Full name (one column)",
           ("naam", "contactpersoon", "naam contactpersoon", "name", "full name", "contact",
            "contact person", "contact name")),
    Target("person_crm_id", "person", None, "CRM person id (to match on)",
           ("persoonsnummer", "persoon id", "person id", "crm person id", "nummer persoon",
            "contactpersoonnummer")),
    Target("person_gender", "person", "gender", "Gender",
           ("geslacht", "gender", "sekse", "sex")),
    Target("person_birth_date", "person", "birth_date", "Birth date",
           ("geboortedatum", "birth date", "birthdate", "date of birth", "birthday", "dob")),
    Target("person_bsn", "person", "bsn", "BSN (burgerservicenummer)",
           ("bsn", "burgerservicenummer", "bsn nummer", "bsn-nummer", "sofinummer",
            "sofi nummer", "citizen service number")),
    Target("department_name", "contact", "department_name", "Department",
           ("afdeling", "afdelingsnaam", "naam afdeling", "department", "department name",
            "divisie")),
    Target("delivery_address_line", "contact", None, "Delivery address (street + number)",
           ("afleveradres", "leveradres", "afleveradres straat", "delivery address",
            "shipping address", "ship to address")),
    Target("delivery_postcode", "contact", "postcode", "Delivery postcode",
           ("afleverpostcode", "postcode afleveradres", "leverpostcode", "delivery postcode",
            "shipping postal code", "ship to postcode")),
    Target("delivery_city", "contact", "city", "Delivery city",
           ("afleverplaats", "plaats afleveradres", "leverplaats", "delivery city",
            "shipping city", "ship to city")),
    Target("contact_job_title", "contact", "job_title", "Job title",
           ("functie", "functietitel", "job title", "jobtitle", "title function", "position",
            "rol", "role")),
    Target("contact_email", "contact", "email", "E-mail (contact person)",
           ("e-mail contactpersoon", "email contactpersoon", "e-mailadres contactpersoon",
            "contact email", "e-mail address", "email address", "persoonlijk e-mailadres",
            "e-mail werk")),
    Target("contact_phone", "contact", "phone", "Phone (contact person)",
           ("telefoon contactpersoon", "doorkiesnummer", "direct", "contact phone",
            "direct phone", "telefoon werk")),
    Target("contact_mobile", "contact", "mobile", "Mobile (contact person)",
           ("mobiel", "mobiel nummer", "mobielnummer", "mobiele telefoon", "gsm", "06",
            "mobile", "mobile phone", "cell", "cell phone")),
)

# Second to last e-mail / phone / mobile (columns "E-mail 2", "Telefoon 3" ...), kept in order.
_MULTI = {
    "org_phone": ("Phone (organisation)", ("telefoon", "tel", "phone", "telefoonnummer")),
    "org_email": ("E-mail (organisation)", ("e-mail", "email", "e-mailadres")),
    "contact_email": ("E-mail (contact person)", ("e-mail contactpersoon", "email contactpersoon",
                                                   "contact email")),
    "contact_phone": ("Phone (contact person)", ("telefoon contactpersoon", "contact phone")),
    "contact_mobile": ("Mobile (contact person)", ("mobiel", "mobile", "gsm", "mobiel nummer")),
}
TARGETS = TARGETS + tuple(
    Target(f"{name}_{k}", "organisation" if name.startswith("org_") else "contact",
           f"{TARGETS[[t.name for t in TARGETS].index(name)].crm_column}_{k}", f"{label} {k}",
           tuple(f"{syn} {k}" for syn in synonyms))
    for name, (label, synonyms) in _MULTI.items() for k in range(2, MAX_VALUES + 1))

# Second to last address ("Adres 2", "Postcode 2", "Plaats 2" ...), split and checked like the first.
TARGETS = TARGETS + tuple(
    Target(f"{name}_{k}", "organisation", None, f"{label} {k}", tuple(f"{syn} {k}" for syn in syns))
    for k in range(2, MAX_VALUES + 1)
    for name, label, syns in (
        ("org_address_line", "Address (street + number)", ("adres", "address", "bezoekadres")),
        ("org_postcode", "Postcode", ("postcode", "postal code", "zip")),
        ("org_city", "City", ("plaats", "woonplaats", "city")),
    ))

TARGET_BY_NAME: dict[str, Target] = {t.name: t for t in TARGETS}


def header_key(header: str) -> str:
    """Fold a header for synonym lookup: lowercase, accents and punctuation removed."""
    text = unicodedata.normalize("NFKD", str(header)).encode("ascii", "ignore").decode()
    text = re.sub(r"[_\-./:()]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


# Folded header -> target: every target's name, label and synonyms (the first target wins).
HEADER_TARGETS: dict[str, str] = {}
for _target in TARGETS:
    for _word in (_target.name, _target.label, *_target.synonyms):
        HEADER_TARGETS.setdefault(header_key(_word), _target.name)


def target_for_header(header: str) -> str | None:
    """The target a header names exactly (after folding), or None."""
    return HEADER_TARGETS.get(header_key(header))


# Profile meanings that point to a target when the header says nothing useful.
MEANING_TARGET: dict[str, str] = {
    "postcode": "org_postcode", "street_house_number": "org_address_line",
    "house_number": "org_house_number", "city": "org_city", "kvk_number": "org_kvk_number",
    "email": "contact_email", "phone": "org_phone", "mobile": "contact_mobile",
    "url": "org_website", "organisation_name": "org_name", "salutation": "person_salutation",
    "gender": "person_gender", "initials": "person_initials", "first_name": "person_first_name",
    "last_name": "person_last_name", "name_prefix": "person_name_prefix", "bsn": "person_bsn",
}

# Header words per profile meaning, only used to break ties between what the values look like
# (compared with the header lower case and without punctuation or spaces).
MEANING_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "postcode": ("postcode", "zip", "postal", "pc"),
    "house_number": ("huisnummer", "huisnr", "nr", "nummer", "housenumber", "number",
                     "toevoeging"),
    "street_house_number": ("adres", "address", "straat", "street"),
    "city": ("plaats", "woonplaats", "stad", "city", "town", "vestigingsplaats", "gemeente"),
    "kvk_number": ("kvk", "coc", "kamervankoophandel", "chamberofcommerce"),
    "vestigingsnummer": ("vestigingsnummer", "vestigingsnr", "branchnumber"),
    "bsn": ("bsn", "burgerservicenummer", "sofinummer"),
    "iban": ("iban", "rekening", "bankrekening", "account"),
    "mobile": ("mobiel", "mobile", "gsm", "06", "cell"),
    "phone": ("telefoon", "tel", "phone", "telefoonnummer", "fax", "doorkies"),
    "email": ("email", "mail", "emailadres"),
    "url": ("website", "web", "url", "homepage", "www", "internet"),
    "date": ("datum", "date", "geboortedatum", "birth", "dob", "sinds", "since"),
    "gender": ("geslacht", "gender", "sekse", "sex"),
    "salutation": ("aanhef", "salutation", "titel", "title", "aanspreek"),
    "initials": ("voorletters", "initialen", "initials", "voorletter"),
    "first_name": ("voornaam", "roepnaam", "firstname", "givenname", "voornamen"),
    "last_name": ("achternaam", "familienaam", "lastname", "surname", "geslachtsnaam",
                  "familyname"),
    "name_prefix": ("tussenvoegsel", "voorvoegsel", "prefix", "middlename"),
    "organisation_name": ("bedrijf", "organisatie", "company", "organisation", "organization",
                          "firma", "handelsnaam", "relatie", "account", "klant"),
    "legal_form": ("rechtsvorm", "legalform"),
}
_NOT_WORD = re.compile(r"[\W_]+", re.U)


def header_meanings(header: str) -> set[str]:
    """The profile meanings a header hints at (``MEANING_HEADER_WORDS``)."""
    key = _NOT_WORD.sub("", str(header).casefold())
    hints = set()
    for meaning, words in MEANING_HEADER_WORDS.items():
        for word in words:
            # Short words must match the whole header ("nr", "tel"), long ones may be a part.
            if key == word or (len(word) >= 4 and word in key):
                hints.add(meaning)
    return hints

# Known contact exports: the header each writes for a field (exact, in the export's words).
# Header -> field, per export. Dutch Outlook writes its headers in Dutch; both are listed.
# Outlook's "Middle Name" is where Dutch users keep the tussenvoegsel.
OUTLOOK_COLUMNS: dict[str, tuple[str, ...]] = {
    "person_salutation": ("Title", "Titel"),
    "person_first_name": ("First Name", "Voornaam"),
    "person_name_prefix": ("Middle Name", "Middelste naam"),
    "person_last_name": ("Last Name", "Achternaam"),
    "person_initials": ("Initials", "Initialen"),
    "person_gender": ("Gender", "Geslacht"),
    "person_birth_date": ("Birthday", "Verjaardag"),
    "org_name": ("Company", "Bedrijf"),
    "contact_job_title": ("Job Title", "Functie"),
    "org_address_line": ("Business Street", "Werkadres, straat"),
    "org_city": ("Business City", "Werkadres, plaats"),
    "org_postcode": ("Business Postal Code", "Werkadres, postcode"),
    "org_country": ("Business Country/Region", "Business Country", "Werkadres, land/regio"),
    "org_phone": ("Company Main Phone", "Hoofdtelefoon bedrijf"),
    "contact_phone": ("Business Phone", "Telefoon op werk"),
    "contact_mobile": ("Mobile Phone", "Mobiele telefoon"),
    "contact_email": ("E-mail Address", "E-mailadres"),
    "contact_email_2": ("E-mail 2 Address", "E-mailadres 2"),
    "contact_email_3": ("E-mail 3 Address", "E-mailadres 3"),
    "contact_phone_2": ("Business Phone 2", "Telefoon op werk 2"),
    "contact_mobile_2": ("Car Phone", "Autotelefoon"),
    # a private person's own numbers, after the business ones (kept, not dropped)
    "contact_phone_3": ("Home Phone", "Telefoon thuis"),
    "contact_phone_4": ("Home Phone 2", "Telefoon thuis 2"),
    "contact_phone_5": ("Other Phone", "Andere telefoon"),
    "department_name": ("Department", "Afdeling"),
    "org_website": ("Web Page", "Webpagina"),
}
# Google Contacts: the current export ("First Name", "E-mail 1 - Value", "Phone 1 - Label") and
# the older one ("Given Name", "Organization 1 - Name", "Phone 1 - Type"). Google labels phones
# per row ("Mobile", "Work", "* Mobile"): the phones are mapped as the contact's phones and
# workbench.multivalue sends those labelled Mobile to the mobiles, and splits the cells that
# hold several values ("a ::: b") over the 2nd-5th e-mails and phones.
GOOGLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "person_salutation": ("Name Prefix",),
    "person_initials": ("Initials",),
    "person_first_name": ("First Name", "Given Name"),
    "person_name_prefix": ("Middle Name", "Additional Name"),
    "person_last_name": ("Last Name", "Family Name"),
    "person_full_name": ("Name",),
    "person_gender": ("Gender",),
    "person_birth_date": ("Birthday",),
    "org_name": ("Organization Name", "Organization 1 - Name"),
    "contact_job_title": ("Organization Title", "Organization 1 - Title"),
    "org_address_line": ("Address 1 - Street",),
    "org_city": ("Address 1 - City",),
    "org_postcode": ("Address 1 - Postal Code",),
    "org_country": ("Address 1 - Country",),
    "contact_phone": ("Phone 1 - Value",),
    "contact_email": ("E-mail 1 - Value",),
    **{f"contact_email_{k}": (f"E-mail {k} - Value",) for k in range(2, MAX_VALUES + 1)},
    **{f"contact_phone_{k}": (f"Phone {k} - Value",) for k in range(2, MAX_VALUES + 1)},
    "department_name": ("Organization Department", "Organization 1 - Department"),
    "org_website": ("Website 1 - Value",),
}
# The columns vcard_records writes, with the field each one maps to.
VCARD_FIELDS: dict[str, str] = {
    "Naam": "person_full_name", "Aanhef": "person_salutation", "Voornaam": "person_first_name",
    "Tussenvoegsel": "person_name_prefix", "Achternaam": "person_last_name",
    "Bedrijfsnaam": "org_name", "Functie": "contact_job_title", "E-mail": "contact_email",
    "Telefoon": "contact_phone", "Mobiel": "contact_mobile", "Adres": "org_address_line",
    "Postcode": "org_postcode", "Plaats": "org_city", "Land": "org_country",
    "Website": "org_website", "Geboortedatum": "person_birth_date",
}

# The canonical CRM tables of DESIGN.md, in column order.
CRM_TABLES: dict[str, tuple[str, ...]] = {
    "organisations": ("org_id", "name", "kvk_number", "street", "house_number",
                      "house_number_addition", "postcode", "city", "country", "phone", "email",
                      "website"),
    "persons": ("person_id", "initials", "first_name", "name_prefix", "last_name", "gender",
                "birth_date", "bsn", "email", "phone", "mobile", "street", "house_number",
                "house_number_addition", "postcode", "city", "country"),
    "contacts": ("contact_id", "org_id", "person_id", "contact_type", "job_title", "email",
                 "phone", "mobile", "department_name", "street", "house_number",
                 "house_number_addition", "postcode", "city", "country"),
}

# Columns of the standardised frame that feed each CRM table (mapped name -> CRM column).
ORG_FIELDS: dict[str, str] = {
    "org_name": "name", "org_kvk_number": "kvk_number", "org_street": "street",
    "org_house_number": "house_number", "org_house_number_addition": "house_number_addition",
    "org_postcode": "postcode", "org_city": "city", "org_country": "country",
    "org_phone": "phone", "org_email": "email", "org_website": "website",
}
PERSON_FIELDS: dict[str, str] = {
    "person_initials": "initials", "person_first_name": "first_name",
    "person_name_prefix": "name_prefix", "person_last_name": "last_name",
    "person_gender": "gender", "person_birth_date": "birth_date", "person_bsn": "bsn",
}
ADDRESS_FIELDS = ("street", "house_number", "house_number_addition", "postcode", "city",
                  "country")
ADDRESS_HISTORY_COLUMNS = ("entity", "record_id", *ADDRESS_FIELDS, "valid_from", "valid_to")

CONTACT_FIELDS: dict[str, str] = {
    "contact_job_title": "job_title", "contact_email": "email", "contact_phone": "phone",
    "contact_mobile": "mobile",
}
