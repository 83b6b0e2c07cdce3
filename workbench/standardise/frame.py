"""The orchestrator: standardise every mapped column of an incoming frame, collect problems."""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.fields import CONTACT_FIELDS, MAX_VALUES, ORG_FIELDS, PERSON_FIELDS
from workbench.messages import say
from workbench.privacy import mask_value

from ._common import clean_many, clean_text, distinct_texts, ok, per_distinct, tidy_case
from .address import addition, split_address_in, split_house_number, street_key
from .country import country, country_code
from .dates import birth_date
from .email import email
from .identifiers import bare_bsns, bsn, kvk_number
from .names import (
    DEFAULT_PREFIXES,
    _key,
    gender,
    initials,
    initials_from_first_name,
    salutation,
    split_person_name,
    split_prefix,
)
from .organisation import org_name
from .phone import phone, phone_table
from .place import city, city_for_pc4, city_key, prefer_crm_spelling, resolve_by_pc4
from .postcode import postcode_in
from .website import website

PROBLEM_FRAME_COLUMNS = ("source_row", "field", "value", "problem", "severity")
DERIVED_ORG = ("org_legal_form", "org_name_key", "org_pc4", "org_po_box", "org_city_key",
               "org_street_key")
DERIVED_PERSON = ("person_salutation", "person_title", "person_last_name_key")
_PO_BOX_STREETS = frozenset({"postbus", "antwoordnummer"})
# Fields a list may give up to MAX_VALUES times ("E-mail 2", "Telefoon 3"): <field>_2, <field>_3 ...
MULTI_VALUED = ("org_phone", "org_email", "contact_email", "contact_phone", "contact_mobile")
EXTRA_FIELDS = tuple(f"{field}_{k}" for field in MULTI_VALUED for k in range(2, MAX_VALUES + 1))
# Up to MAX_VALUES addresses ("Adres 2", "Postcode 3"): mapped as <field>_2, <field>_3 ...
ADDRESS_INPUTS = ("org_address_line", "org_postcode", "org_city")
ADDRESS_EXTRA_INPUTS = tuple(f"{field}_{k}" for k in range(2, MAX_VALUES + 1)
                             for field in ADDRESS_INPUTS)
# ... and standardised into these columns, per address in order
ADDRESS_OUTPUTS = ("org_street", "org_house_number", "org_house_number_addition", "org_postcode",
                   "org_city")
ADDRESS_EXTRA_FIELDS = tuple(f"{field}_{k}" for k in range(2, MAX_VALUES + 1)
                             for field in ADDRESS_OUTPUTS)


@dataclass(frozen=True)
class StandardiseOptions:
    """How ``standardise_frame`` treats the values it cannot decide from the data alone."""

    default_region: str = "NL"  # phone numbers without a country code are read as this country
    # the country of a row that names none (the definition's default org_country; a name or
    # code in any language): it decides how the row's address and postcode are read
    default_country: str | None = None
    lookup_city_from_postcode: bool = False  # fill/replace city from the PC4 table
    name_prefixes: tuple[str, ...] = DEFAULT_PREFIXES
    blocked_prefixes: tuple[str, ...] = ()
    # PC4 -> the CRM's most common spelling of the place there; that spelling wins for the same
    # place, so loading a list does not bring a second spelling into the CRM
    crm_places: Mapping[str, str] | None = None
    # date field -> how the file writes its dates (dates.DATE_FORMATS); inferred when left out
    date_formats: Mapping[str, str] = dataclasses.field(default_factory=dict)


def _present(s: pd.Series) -> np.ndarray:
    """Boolean mask of the cells that hold a value (empty strings and placeholders do not)."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    table = np.append(pd.notna(clean_many(uniques)), False)
    return table[codes]


def _tidy(s: pd.Series, case: bool = True) -> pd.Series:
    """Trim and collapse whitespace (and tidy ALL-CAPS/all-lower case) per distinct value."""
    def parse(text: str) -> tuple:
        return ok(tidy_case(text) if case else text)
    return per_distinct(s, parse, ("value",))["value"]


class _Collector:
    """Gathers one problem row per bad value, naming the mapped field it came from."""

    def __init__(self, mapped: pd.DataFrame, source_row: pd.Series) -> None:
        self.mapped = mapped
        self.source_row = source_row
        self.parts: list[pd.DataFrame] = []

    def add(self, field: str, result: pd.DataFrame, rows: np.ndarray | None = None,
            values: pd.Series | None = None) -> None:
        """Record the problems of ``result`` (optionally only on ``rows``) for ``field``."""
        has = result["problem"].notna().to_numpy()
        if rows is not None:
            has &= rows
        if not has.any():
            return
        original = values if values is not None else self.mapped[field]
        part = pd.DataFrame({
            "source_row": self.source_row[has].to_numpy(),
            "field": field,
            "value": original[has].to_numpy(),
            "problem": result["problem"][has].to_numpy(),
            "severity": result["severity"][has].to_numpy(),
        })
        self.parts.append(part)

    def frame(self) -> pd.DataFrame:
        """All problems, ordered by source row (fields in the order they were checked)."""
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_FRAME_COLUMNS})
        out = pd.concat(self.parts, ignore_index=True)
        return out.sort_values("source_row", kind="stable").reset_index(drop=True)


def standardise_frame(
    mapped: pd.DataFrame, options: StandardiseOptions = StandardiseOptions()
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Standardise a mapped frame; return the standardised frame and its problems.

    Besides the fields of ``workbench.fields``, the mapped columns ``EXTRA_FIELDS``
    (``contact_email_2`` .. ``org_phone_5``) are standardised like their first column and kept
    in their own columns, in order; problems name the column they came from. Addresses 2 .. 5
    (mapped ``ADDRESS_EXTRA_INPUTS``: ``org_address_line_k``, ``org_postcode_k``,
    ``org_city_k``) come out as ``ADDRESS_EXTRA_FIELDS`` (``org_street_k`` .. ``org_city_k``).
    """
    index = mapped.index
    empty = pd.Series(None, index=index, dtype=object)

    def col(name: str) -> pd.Series:
        return mapped[name].astype(object) if name in mapped.columns else empty

    source_row = (mapped["source_row"] if "source_row" in mapped.columns
                  else pd.Series(np.arange(1, len(mapped) + 1), index=index))
    problems = _Collector(mapped, source_row)
    out = pd.DataFrame({"source_row": source_row}, index=index)

    def run(field: str, func: Callable[[pd.Series], pd.DataFrame]) -> pd.DataFrame:
        result = func(col(field))
        if field in mapped.columns:
            problems.add(field, result)
        return result

    _organisation(out, col, run, problems, options)
    _person(out, col, run, problems, options)
    for field in ("contact_job_title",):
        out[field] = _tidy(col(field), case=False)
    email_result = run("contact_email", email)
    out["contact_email"] = email_result["email"]
    out["contact_email_is_role"] = email_result["is_role"]
    country_codes = out["org_country"]
    for field in ("contact_phone", "contact_mobile"):
        out[field] = _phones(field, col(field), country_codes, options, problems)
    _extra_values(out, mapped, col, run, problems, options)
    _extra_addresses(out, mapped, col, run, problems, options)

    columns = ["source_row", *ORG_FIELDS, *DERIVED_ORG, *PERSON_FIELDS, *DERIVED_PERSON,
               *CONTACT_FIELDS]
    extra = [c for c in out.columns if c not in columns]
    out = out[columns + extra]
    # missing is None everywhere (Series.where leaves NaN behind), booleans stay booleans
    for column in out.columns:
        if column not in ("source_row", "org_po_box") and not column.endswith("_is_role"):
            values = out[column].to_numpy(dtype=object)
            missing = pd.isna(values)
            # a column of text and None stays as it is: setting it again costs a copy
            nan = missing.any() and any(v is not None for v in values[missing])
            if nan:
                values = values.copy()
                values[missing] = None
            if nan or out[column].dtype != object:
                out[column] = values
    return out, problems.frame()


def _extra_values(out: pd.DataFrame, mapped: pd.DataFrame, col, run, problems: _Collector,
                  options: StandardiseOptions) -> None:
    """``contact_email_2`` .. ``org_phone_5``: standardised as their first column, in order."""
    for name in EXTRA_FIELDS:
        if name not in mapped.columns:
            continue  # only the columns the list has; the output does not grow otherwise
        base = name.rsplit("_", 1)[0]
        if base.endswith("email"):
            result = run(name, email)
            out[name] = result["email"]
            if base == "contact_email":
                out[f"{name}_is_role"] = result["is_role"]
        else:
            kind = "contact_mobile" if base == "contact_mobile" else "phone"
            out[name] = _phones(name, col(name), out["org_country"], options, problems,
                                kind=kind)


def _organisation(out, col, run, problems: _Collector, options: StandardiseOptions) -> None:
    countries = run("org_country", country)
    out["org_country"] = countries["country"]

    names = run("org_name", org_name)
    out["org_name"] = names["name"]
    out["org_legal_form"] = names["legal_form"]
    out["org_name_key"] = names["name_key"]
    out["org_kvk_number"] = run("org_kvk_number", kvk_number)["kvk_number"]

    _address(out, col, problems, options=options)
    _place(out, col, run, problems, options)

    for field in ("org_phone",):
        out[field] = _phones(field, col(field), out["org_country"], options, problems)
    out["org_email"] = run("org_email", email)["email"]
    out["org_website"] = run("org_website", website)["website"]


def _extra_addresses(out: pd.DataFrame, mapped: pd.DataFrame, col, run, problems: _Collector,
                     options: StandardiseOptions) -> None:
    """Addresses 2 .. 5 (``org_address_line_k``, ``org_postcode_k``, ``org_city_k``)."""
    for k in range(2, MAX_VALUES + 1):
        suffix = f"_{k}"
        if not any(f"{field}{suffix}" in mapped.columns for field in ADDRESS_INPUTS):
            continue  # only the addresses the list has; the output does not grow otherwise
        part = pd.DataFrame({"org_country": out["org_country"]}, index=out.index)
        _address(part, col, problems, suffix, options)
        _place(part, col, run, problems, options, suffix)
        for field in ADDRESS_OUTPUTS:
            out[f"{field}{suffix}"] = part[field]


def _place(out: pd.DataFrame, col, run, problems: _Collector, options: StandardiseOptions,
           suffix: str = "") -> None:
    """Postcode, PC4, city and city key of one address (``suffix`` picks address 2 .. 5)."""
    pc_field, city_field = f"org_postcode{suffix}", f"org_city{suffix}"
    # A Belgian or German postcode is not a bad Dutch one: each is read by its row's country
    pcs = run(pc_field, lambda s: postcode_in(s, _countries(out, options)))
    out["org_postcode"] = pcs["postcode"]
    out["org_pc4"] = pcs["pc4"]

    cities = run(city_field, city)
    out["org_city"] = cities["city"]
    out["org_city_key"] = cities["city_key"]
    # "Bergen" with PC4 1861 is Bergen (NH): the postcode settles which of two namesakes
    out["org_city"] = resolve_by_pc4(out["org_city"], out["org_pc4"])
    if options.lookup_city_from_postcode:
        _city_from_postcode(out, col(city_field), problems, city_field)
    if options.crm_places:
        out["org_city"] = prefer_crm_spelling(out["org_city"], out["org_pc4"], options.crm_places)
    out["org_city_key"] = city_key(out["org_city"])  # the key follows the spelling chosen


def _countries(out: pd.DataFrame, options: StandardiseOptions) -> pd.Series:
    """Each row's country (ISO2), the default where the row names none: it decides the format."""
    default = (country_code(options.default_country) if options.default_country else None) \
        or options.default_region
    return out["org_country"].fillna(default).astype(object)


def row_countries(std: pd.DataFrame, options: StandardiseOptions) -> pd.Series:
    """Each row's country (ISO2) that decides how its addresses are read (else the default)."""
    return _countries(std, options)


def _address(out: pd.DataFrame, col, problems: _Collector, suffix: str = "",
             options: StandardiseOptions = StandardiseOptions()) -> None:
    """Street, house number and addition of one address (``suffix`` picks address 2 .. 5)."""
    countries = _countries(out, options)
    street_in, number_in, line = col(f"org_street{suffix}"), col(
        f"org_house_number{suffix}"), col(f"org_address_line{suffix}")
    has_street, has_number = _present(street_in), _present(number_in)
    street = _tidy(street_in)
    number = pd.Series(None, index=out.index, dtype=object)
    derived_addition = number.copy()

    # one address line, used where the separate street and number columns are empty
    use_line = _present(line) & ~has_street & ~has_number
    if use_line.any():
        split = split_address_in(line.where(use_line, None), countries)
        problems.add(f"org_address_line{suffix}", split, rows=use_line, values=line)
        street = street.where(~use_line, split["street"])
        number = number.where(~use_line, split["house_number"])
        derived_addition = derived_addition.where(~use_line, split["house_number_addition"])

    # a street column that holds "Hoofdstraat 12" while the number column is empty
    street_only = has_street & ~has_number
    if street_only.any():
        split = split_address_in(street_in.where(street_only, None), countries)
        took = street_only & split["house_number"].notna().to_numpy()
        street = street.where(~took, split["street"])
        number = number.where(~took, split["house_number"])
        derived_addition = derived_addition.where(~took, split["house_number_addition"])

    numbers = split_house_number(number_in)
    problems.add(f"org_house_number{suffix}", numbers, rows=has_number, values=number_in)
    number = number.where(~has_number, numbers["house_number"])
    derived_addition = derived_addition.where(~has_number, numbers["house_number_addition"])

    # an explicit addition column wins over an addition found inside the number or line
    additions = addition(col(f"org_house_number_addition{suffix}"))["house_number_addition"]
    out["org_street"] = street
    out["org_house_number"] = number
    out["org_house_number_addition"] = additions.where(additions.notna(), derived_addition)
    if not suffix:
        out["org_po_box"] = street.str.lower().isin(_PO_BOX_STREETS).astype(bool)
        out["org_street_key"] = street_key(street)


def _city_from_postcode(out: pd.DataFrame, raw_city: pd.Series, problems: _Collector,
                        field: str = "org_city") -> None:
    looked_up = city_for_pc4(out["org_pc4"])
    found = looked_up.notna().to_numpy()
    if not found.any():
        return
    canonical = city(looked_up)
    differs = found & out["org_city_key"].notna().to_numpy() & (
        out["org_city_key"] != canonical["city_key"]).to_numpy()
    if differs.any():
        note = pd.DataFrame({
            "problem": [say("city.replaced", value=c, city=n, postcode=p)
                        for c, n, p in zip(raw_city, canonical["city"], out["org_postcode"],
                                           strict=True)],
            "severity": "warning",
        }, index=out.index)
        problems.add(field, note, rows=differs, values=raw_city)
    out["org_city"] = out["org_city"].where(~found, canonical["city"])
    out["org_city_key"] = out["org_city_key"].where(~found, canonical["city_key"])


def _phones(field: str, values: pd.Series, countries: pd.Series, options: StandardiseOptions,
            problems: _Collector, kind: str | None = None) -> pd.Series:
    """E.164 per row, reading national numbers in the row's country (else the default); a BSN
    in a phone column is left out (never a phone number) and named, masked, as a problem."""
    regions = countries.fillna(options.default_region)
    # the 11-test once per distinct value: purchased lists repeat their numbers
    codes, texts = distinct_texts(values)
    bsn_texts = bare_bsns(texts)
    bsns = np.append(bsn_texts, False)[codes]
    present = regions.dropna().unique()
    if len(present) == 1 and regions.notna().all():  # one country: the distinct texts read once
        table = phone_table(texts, present[0])
        table[np.flatnonzero(bsn_texts)] = None  # a BSN is never read as a phone number
        table = table[codes]
    else:
        table = _phone_table(values.where(~bsns, None) if bsns.any() else values, regions)
    if (kind or field) == "contact_mobile":
        fixed = (table[:, 1] == "fixed") & pd.isna(table[:, 2])
        table[fixed, 2] = [say("phone.fixed_as_mobile", value=v) for v in values[fixed]]
        table[fixed, 3] = "warning"
    if bsns.any():
        table[bsns, 2] = say("phone.bsn")
        table[bsns, 3] = "error"
    if field in problems.mapped.columns:
        raw = problems.mapped[field].astype(object)
        if bsns.any():  # a BSN is quoted masked, never whole
            raw = raw.where(~bsns, raw.map(mask_value))
        problems.add(field, pd.DataFrame({"problem": table[:, 2], "severity": table[:, 3]},
                                         index=values.index), values=raw)
    return pd.Series(table[:, 0], index=values.index, dtype=object)


def _phone_table(values: pd.Series, regions: pd.Series) -> np.ndarray:
    """``phone`` of each value in its row's region: an object array phone, phone_type,
    problem, severity."""
    table = np.full((len(values), 4), np.nan, dtype=object)
    for region in regions.dropna().unique():
        rows = (regions == region).to_numpy()
        table[rows] = phone(values[rows], region).to_numpy(dtype=object)
    other = regions.isna().to_numpy()
    if other.any():
        table[other] = phone(values[other], None).to_numpy(dtype=object)
    return table


def _person(out, col, run, problems: _Collector, options: StandardiseOptions) -> None:
    prefixes, blocked = options.name_prefixes, options.blocked_prefixes
    full, first_in, last_in = col("person_full_name"), col("person_first_name"), col(
        "person_last_name")
    prefix_in = col("person_name_prefix")
    has_first, has_last, has_prefix = _present(first_in), _present(last_in), _present(prefix_in)
    use_full = _present(full) & ~has_first & ~has_last
    parts = split_person_name(full.where(use_full, None), prefixes, blocked)
    problems.add("person_full_name", parts, rows=use_full, values=full)

    out["person_first_name"] = _tidy(first_in).where(has_first, parts["first_name"])
    split = split_prefix(last_in, prefix_in, prefixes, blocked)
    problems.add("person_last_name", split, rows=has_last | has_prefix, values=last_in)
    own = has_last | has_prefix
    out["person_name_prefix"] = split["name_prefix"].where(own, parts["name_prefix"])
    out["person_last_name"] = split["last_name"].where(own, parts["last_name"])

    given = run("person_initials", initials)["initials"].where(_present(col("person_initials")),
                                                                parts["initials"])
    # initials follow from the first name(s): "Jan-Peter" -> "J.P." (so both sides compare)
    derive = given.isna() & out["person_first_name"].notna()
    if derive.any():
        derived = per_distinct(out["person_first_name"].where(derive, None),
                               lambda t: ok(initials_from_first_name(t)), ("i",))["i"]
        given = given.where(~derive, derived)
    out["person_initials"] = given

    genders = run("person_gender", gender)
    salutations = run("person_salutation", salutation)
    out["person_gender"] = genders["gender"].fillna(salutations["gender"]).fillna(
        parts["gender"]).astype(object)
    clash = (genders["gender"].notna() & salutations["gender"].notna()
             & (genders["gender"] != salutations["gender"])).to_numpy()
    if clash.any():
        note = pd.DataFrame({"problem": [
            say("gender.clash", value=g, salutation=s)
            for g, s in zip(col("person_gender"), col("person_salutation"), strict=True)],
            "severity": "warning"}, index=out.index)
        problems.add("person_gender", note, rows=clash)
    out["person_salutation"] = salutations["salutation"].fillna(parts["salutation"])
    out["person_title"] = salutations["title"].fillna(parts["title"])

    dates = birth_date(col("person_birth_date"), options.date_formats.get("person_birth_date"))
    if "person_birth_date" in problems.mapped.columns:
        raw = col("person_birth_date")
        problems.add("person_birth_date", _masked(dates, raw), values=raw.map(mask_value))
    out["person_birth_date"] = dates["birth_date"]
    _person_bsn(out, col, problems)
    out["person_last_name_key"] = per_distinct(
        out["person_last_name"], lambda t: ok(_key(t) or None), ("k",))["k"]


def _person_bsn(out: pd.DataFrame, col, problems: _Collector) -> None:
    """The BSN checked with the 11-test; a problem quotes it masked, never whole."""
    raw = col("person_bsn")
    checked = bsn(raw)
    if "person_bsn" in problems.mapped.columns:
        problems.add("person_bsn", _masked(checked, raw), values=raw.map(mask_value))
    out["person_bsn"] = checked["bsn"]


def _masked(result: pd.DataFrame, raw: pd.Series) -> pd.DataFrame:
    """A sensitive field's result whose problem sentences quote the value masked, not whole."""
    masked = result.copy()
    masked["problem"] = [p if p is None else p.replace(str(clean_text(v)), str(mask_value(
        clean_text(v)))) for p, v in zip(result["problem"], raw, strict=True)]
    return masked
