"""Standardise values Dutch-first: postcodes, addresses, places, phones, e-mail, names, ids.

Every standardiser takes a Series of str-or-None and returns a DataFrame on the same index with
its output column(s) plus ``problem`` (a sentence quoting the value, or None) and ``severity``
("error" / "warning" / None). Errors leave the output empty; warnings keep a value.
"""
from __future__ import annotations

from ._common import kept_without_problem, map_joined, shared_parses
from .address import addition, split_address, split_house_number, street_key
from .country import country
from .dates import DATE_FORMATS, birth_date, date_parts, infer_date_format, parse_date
from .email import GENERIC_MAIL_DOMAINS, email
from .frame import (
    ADDRESS_EXTRA_FIELDS,
    ADDRESS_EXTRA_INPUTS,
    EXTRA_FIELDS,
    MULTI_VALUED,
    StandardiseOptions,
    standardise_frame,
)
from .identifiers import bare_bsns, bsn, btw, iban, kvk_number, valid_kvk_numbers, vestigingsnummer
from .names import (
    DEFAULT_PREFIXES,
    gender,
    gender_from_salutation,
    initials,
    is_gender_word,
    is_name_prefix,
    last_name_key,
    salutation,
    split_person_name,
    split_prefix,
    surname_without_prefix,
)
from .organisation import has_legal_form, is_legal_form, org_name
from .phone import phone, phone_types
from .place import (
    city,
    city_for_pc4,
    city_key,
    is_known_place,
    pc4_places,
    prefer_crm_spelling,
    resolve_by_pc4,
)
from .postcode import postcode, valid_postcodes
from .website import website

__all__ = [
    "ADDRESS_EXTRA_FIELDS", "ADDRESS_EXTRA_INPUTS", "DATE_FORMATS", "infer_date_format", "DEFAULT_PREFIXES", "EXTRA_FIELDS",
    "GENERIC_MAIL_DOMAINS", "MULTI_VALUED", "StandardiseOptions", "addition", "birth_date",
    "bare_bsns", "bsn", "btw", "city", "city_for_pc4", "city_key", "country", "date_parts", "email",
    "gender", "gender_from_salutation", "has_legal_form", "iban", "initials", "is_gender_word", "is_known_place",
    "is_legal_form", "is_name_prefix", "kept_without_problem", "kvk_number", "last_name_key", "map_joined", "org_name", "parse_date",
    "pc4_places", "phone", "phone_types", "postcode", "prefer_crm_spelling", "resolve_by_pc4",
    "salutation", "shared_parses", "split_address", "split_house_number", "split_person_name", "split_prefix",
    "standardise_frame", "street_key", "surname_without_prefix", "valid_kvk_numbers",
    "valid_postcodes", "vestigingsnummer", "website",
]
