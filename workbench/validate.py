"""Row checks before matching: refused rows get a reason the analyst can act on."""
from __future__ import annotations

import pandas as pd

from workbench.fields import TARGET_BY_NAME
from workbench.labels import field_label
from workbench.messages import in_every_language, say, sentence, spoken_language


def _filled(series: pd.Series) -> pd.Series:
    """True where a cell holds a value that is not only spaces (as text)."""
    values = series.to_numpy(dtype=object)
    held = pd.notna(values)
    # one comprehension over the held values: a string-dtype copy and .str.strip cost ten times
    held[held] = [(v if type(v) is str else str(v)).strip() != "" for v in values[held]]
    return pd.Series(held, index=series.index)


def _filled_column(std: pd.DataFrame, column: str) -> pd.Series:
    """True where the column holds text; all False when the file has no such column."""
    if column not in std:
        return pd.Series(False, index=std.index)
    return pd.Series(_filled(std[column]).to_numpy(dtype=bool), index=std.index)


def blank_rows(raw: pd.DataFrame) -> pd.Series:
    """True for rows with no value at all."""
    values = raw.drop(columns=["source_row"])
    if not len(values.columns):
        return pd.Series(True, index=raw.index)
    return pd.Series(~pd.notna(values.to_numpy(dtype=object)).any(axis=1), index=raw.index)


# --- what a row holds: each question decided here and nowhere else -------------------------------

def person_without_last_name(std: pd.DataFrame) -> pd.Series:
    """True where a row gives no last name (empty or only spaces): it cannot make a person."""
    return ~_filled_column(std, "person_last_name")


def has_given_name(std: pd.DataFrame) -> pd.Series:
    """True where a row gives a first name or initials."""
    return _filled_column(std, "person_first_name") | _filled_column(std, "person_initials")


def has_organisation_name(std: pd.DataFrame) -> pd.Series:
    """True where a row gives an organisation name."""
    return _filled_column(std, "org_name")


def names_an_organisation(std: pd.DataFrame) -> pd.Series:
    """True where a row gives an organisation name or a KvK number."""
    return has_organisation_name(std) | _filled_column(std, "org_kvk_number")


# A usable address: the fields of any one group filled. Why both: a postcode and a number pin a
# Dutch address (a P.O. box too: "Postbus 123" is a number with a postcode), and the CRM wizards
# also accept street + number + place for the addresses without a known postcode (abroad, say).
# A street and a place without a number are no address. The mapping screen requires its fields
# from these same groups, so the screen and the run agree.
USABLE_ADDRESS: tuple[tuple[str, ...], ...] = (("org_house_number", "org_postcode"),
                                               ("org_house_number", "org_street", "org_city"))
USABLE_ADDRESS_TEXT = "a house number with a postcode, or with a street and a city"


def has_usable_address(std: pd.DataFrame) -> pd.Series:
    """True where a row gives a house number with a postcode, or with a street and a city."""
    usable = pd.Series(False, index=std.index)
    for group in USABLE_ADDRESS:
        filled = pd.Series(True, index=std.index)
        for column in group:
            filled &= _filled_column(std, column)
        usable |= filled
    return usable


# --- row rules: each returns the reason per row (missing where the row passes) -------------------

# the English sentences (tests and older outputs name them); a run says them in its language
NO_NAME = sentence("reject.no_name")
NEW_ORGANISATION_INCOMPLETE = sentence("reject.new_organisation_incomplete")


def _reason_where(mask: pd.Series, reason: str) -> pd.Series:
    out = pd.Series(None, index=mask.index, dtype=object)
    out[mask.to_numpy(dtype=bool)] = reason
    return out


def rule_no_name(std: pd.DataFrame) -> pd.Series:
    """Refuse a row with neither an organisation (name or KvK number) nor a last name."""
    return _reason_where(~names_an_organisation(std) & person_without_last_name(std),
                         say("reject.no_name"))


def rule_invalid_value(std: pd.DataFrame, problems: pd.DataFrame,
                       reject_fields: tuple[str, ...], lang: str | None = None,
                       crm: str | None = None) -> pd.Series:
    """Refuse a row with an invalid value in a field the definition rejects on (the field named
    in the analyst's language, or as the target ``crm`` names it; the problem in the run's)."""
    out = pd.Series(None, index=std.index, dtype=object)
    if problems.empty:
        return out
    # an invalid value outside ``reject_fields`` (a birth date, a second e-mail) costs only that
    # value, which stays listed in problems.csv
    errors = problems[(problems["severity"] == "error") & problems["field"].isin(reject_fields)]
    by_row = pd.Series(std.index, index=std["source_row"].to_numpy())
    texts: dict[object, list[str]] = {}
    for row, field, problem in zip(errors["source_row"], errors["field"], errors["problem"],
                                   strict=True):
        label = field_label(field, lang, crm) if field in TARGET_BY_NAME else field
        texts.setdefault(by_row[row], []).append(f"{label}: {problem}")
    for idx, found in texts.items():
        out[idx] = "; ".join(found)
    return out


def rule_new_organisation_needs_name_and_address(std: pd.DataFrame,
                                                 new_org: pd.Series) -> pd.Series:
    """Refuse a row that would create an organisation without a name or a usable address."""
    incomplete = ~has_organisation_name(std) | ~has_usable_address(std)
    return _reason_where(new_org.to_numpy(dtype=bool) & incomplete,
                         say("reject.new_organisation_incomplete"))


def rule_new_person_needs(std: pd.DataFrame, new_person: pd.Series, fields: tuple[str, ...],
                          columns: str, system: str) -> pd.Series:
    """Refuse the rows of a new person (``new_person``: its id, missing for other rows) when none
    of its rows fills one of the person ``fields`` the target CRM requires of a new person."""
    filled = pd.concat([_filled_column(std, f"person_{f}") for f in fields], axis=1).any(axis=1)
    named = new_person.notna()
    given = filled[named].groupby(new_person[named]).transform("any")
    missing = named & ~given.reindex(new_person.index, fill_value=True).astype(bool)
    what = say("or").join(field_label(f"person_{f}", spoken_language()).lower() for f in fields
                          if f"person_{f}" in TARGET_BY_NAME) or columns
    # the gender is the person's own: never read from a first name, which would guess it
    guess = say("reject.not_guessed") if "gender" in fields else ""
    return _reason_where(missing, say("reject.new_person_needs", what=what, system=system,
                                      columns=columns, guess=guess))


def join_reasons(*reasons: pd.Series) -> pd.Series:
    """The reasons of several rules per row, joined with '; ' in the order given (missing if none)."""
    out = pd.Series(None, index=reasons[0].index, dtype=object)
    for reason in reasons:
        reason = reason.reindex(out.index)
        both = out.notna() & reason.notna()
        joined = out[both].astype(str) + "; " + reason[both].astype(str)
        out = out.where(reason.isna(), reason)
        out[both] = joined
    return out


def row_rejections(std: pd.DataFrame, problems: pd.DataFrame,
                   reject_fields: tuple[str, ...] | None = None, lang: str | None = None,
                   crm: str | None = None) -> pd.Series:
    """Reason per row that cannot be loaded whatever the CRM holds (missing for good rows)."""
    if reject_fields is None:
        from workbench.definition import REJECT_INVALID

        reject_fields = REJECT_INVALID
    return join_reasons(rule_invalid_value(std, problems, reject_fields, lang, crm),
                        rule_no_name(std))


def existing_only(std: pd.DataFrame, rejections: pd.Series) -> pd.Series:
    """True for rows refused only for a missing last name that may still be an existing person.

    A row with a first name (or initials) but no last name cannot create a person, yet it can
    update one the CRM (or an earlier row of the file) already has: such rows go on to matching
    and are refused afterwards only if nobody is found.
    """
    return rejections.isin(in_every_language("reject.no_name")) & has_given_name(std)


def move_dates(mapped: pd.DataFrame, date_format: str | None = None
               ) -> tuple[pd.Series, pd.DataFrame]:
    """The move date of each row as an ISO date, and the problems of the dates it could not
    read as given (``standardise.PROBLEM_FRAME_COLUMNS``).

    A move date that is no date costs the date, not the row: it goes on as a row without one.
    An Excel serial number (``45123`` from an xlsx cell) is read as a date, with a warning.
    ``date_format``: how the column writes its dates; inferred from its values when not given.
    """
    from workbench.standardise.dates import move_date
    from workbench.standardise.frame import PROBLEM_FRAME_COLUMNS

    if "org_move_date" not in mapped:
        return (pd.Series(None, index=mapped.index, dtype=object),
                pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_FRAME_COLUMNS}))
    raw = mapped["org_move_date"].astype(object)
    result = move_date(raw, date_format)
    has = result["problem"].notna().to_numpy()
    source_row = (mapped["source_row"] if "source_row" in mapped
                  else pd.Series(range(1, len(mapped) + 1), index=mapped.index))
    problems = pd.DataFrame({"source_row": source_row[has].to_numpy(), "field": "org_move_date",
                             "value": raw[has].to_numpy(), "problem": result["problem"][has]
                             .to_numpy(), "severity": result["severity"][has].to_numpy()},
                            columns=list(PROBLEM_FRAME_COLUMNS))
    return result["move_date"].astype(object), problems


def extra_contacts(mapped: pd.DataFrame, countries: pd.Series | None = None
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Department names and delivery addresses, standardised; the problems of the delivery
    addresses as warnings (``PROBLEM_FRAME_COLUMNS``): a bad one costs the address, not the row.

    ``countries``: each row's country (ISO2, missing is Dutch), read as the main address is.
    """
    out = pd.DataFrame(index=mapped.index)
    name = mapped["department_name"] if "department_name" in mapped else \
        pd.Series(None, index=mapped.index, dtype=object)
    out["department_name"] = name.where(_filled(name)).map(
        lambda v: " ".join(str(v).split()) if isinstance(v, str) else None)
    if countries is None:
        countries = pd.Series(None, index=mapped.index, dtype=object)
    address, problems = _delivery_address(mapped, countries)
    return pd.concat([out, address], axis=1), problems


def _delivery_address(mapped: pd.DataFrame, countries: pd.Series
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The delivery address read by the row's country; left out (with a warning) where it has
    no usable postcode or house number, since a delivery contact needs both."""
    from workbench.standardise import city
    from workbench.standardise.address import split_address_in
    from workbench.standardise.postcode import postcode_in

    empty = pd.Series(None, index=mapped.index, dtype=object)
    line = mapped.get("delivery_address_line", empty)
    pc = mapped.get("delivery_postcode", empty)
    place = mapped.get("delivery_city", empty)
    parts = split_address_in(line, countries)
    codes = postcode_in(pc, countries)
    out = pd.DataFrame({
        "delivery_street": parts["street"],
        "delivery_house_number": parts["house_number"],
        "delivery_house_number_addition": parts["house_number_addition"],
        "delivery_postcode": codes["postcode"], "delivery_city": city(place)["city"],
    }, index=mapped.index)
    given = _filled(line) | _filled(pc) | _filled(place)
    bad = given & (codes["postcode"].isna() | parts["house_number"].isna())
    found: list[tuple] = []
    for idx in out.index[given]:
        for field, value, result in (("delivery_address_line", line, parts),
                                     ("delivery_postcode", pc, codes)):
            problem = result.at[idx, "problem"]
            if problem and not bad[idx]:
                found.append((idx, field, value[idx], problem))
        if bad[idx]:
            problem = codes.at[idx, "problem"] or parts.at[idx, "problem"] or \
                say("reject.delivery_incomplete")
            field = "delivery_postcode" if codes.at[idx, "problem"] else "delivery_address_line"
            found.append((idx, field, (pc if codes.at[idx, "problem"] else line)[idx],
                          say("delivery.left_out", problem=problem)))
    out.loc[bad.to_numpy(), :] = None
    source_row = mapped["source_row"] if "source_row" in mapped else \
        pd.Series(mapped.index, index=mapped.index)
    problems = pd.DataFrame(
        [(source_row[i], f, v, p, "warning") for i, f, v, p in found],
        columns=["source_row", "field", "value", "problem", "severity"])
    return out, problems
