"""The fields an incoming row can be mapped to, and the CRM's canonical tables."""
from __future__ import annotations

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
            "address line", "address line 1", "vestigingsadres", "business street")),
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
            "bezoekadres plaats", "business city")),
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

# The canonical CRM tables of DESIGN.md, in column order.
CRM_TABLES: dict[str, tuple[str, ...]] = {
    "organisations": ("org_id", "name", "kvk_number", "street", "house_number",
                      "house_number_addition", "postcode", "city", "country", "phone", "email",
                      "website"),
    "persons": ("person_id", "initials", "first_name", "name_prefix", "last_name", "gender",
                "birth_date", "email", "phone", "mobile", "street", "house_number",
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
    "person_gender": "gender", "person_birth_date": "birth_date",
}
ADDRESS_FIELDS = ("street", "house_number", "house_number_addition", "postcode", "city",
                  "country")
ADDRESS_HISTORY_COLUMNS = ("entity", "record_id", *ADDRESS_FIELDS, "valid_from", "valid_to")

CONTACT_FIELDS: dict[str, str] = {
    "contact_job_title": "job_title", "contact_email": "email", "contact_phone": "phone",
    "contact_mobile": "mobile",
}
