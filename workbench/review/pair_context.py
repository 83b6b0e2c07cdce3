"""What an analyst needs around a pair to judge it: a person's organisation, job title and contact
details; an organisation's contact person (the row) or persons (the CRM)."""
from __future__ import annotations

import html

import duckdb
import pandas as pd

from workbench.labels import label
from workbench.report import display_value

# Persons of a CRM organisation shown beside an organisation pair: enough to recognise it.
ORG_PERSONS_SHOWN = 5


def _word(key: str, lang: str | None, **values: object) -> str:
    """A context label in ``lang`` (the catalogue's ``review.ctx.*``, workbench/labels.py)."""
    return label(f"review.ctx.{key}", lang, **values)


def _name(first: object, prefix: object, last: object, initials: object = None) -> str:
    """A person's name as written: first name (or initials), prefix, last name."""
    parts = [display_value(first, "first_name") or display_value(initials, "initials"),
             display_value(prefix, "name_prefix"), display_value(last, "last_name")]
    return " ".join(p for p in parts if p)


def crm_context(con: duckdb.DuckDBPyConnection, pairs: pd.DataFrame) -> dict:
    """For the CRM persons and organisations of these pairs: their contacts (one query)."""
    persons = pairs.loc[pairs["kind"] == "crm_person", "right_key"].astype(str).unique().tolist()
    orgs = pairs.loc[pairs["kind"] == "crm_organisation", "right_key"].astype(str).unique().tolist()
    out: dict = {"person_orgs": {}, "org_persons": {}}
    if not persons and not orgs:
        return out
    frame = con.execute(
        "SELECT c.org_id, c.person_id, o.name AS org_name, o.city AS org_city, c.job_title, "
        "c.email, c.phone, c.mobile, p.initials, p.first_name, p.name_prefix, p.last_name "
        "FROM contacts c LEFT JOIN organisations o USING (org_id) "
        "LEFT JOIN persons p USING (person_id) "
        "WHERE c.person_id IN (SELECT unnest(?)) OR c.org_id IN (SELECT unnest(?)) "
        "ORDER BY c.org_id, p.last_name, c.person_id", [persons, orgs]).df()
    frame = frame.astype(object).where(frame.notna(), None)
    for rec in frame.to_dict("records"):
        if rec["person_id"] in persons:
            out["person_orgs"].setdefault(rec["person_id"], []).append(rec)
        if rec["org_id"] in orgs and rec["person_id"] is not None:
            out["org_persons"].setdefault(rec["org_id"], []).append(rec)
    return out


def _person_lines(org: str, job: str, email: str, phone: str, mobile: str,
                  lang: str | None = None) -> list[tuple[str, str]]:
    values = {"organisation": org, "job_title": job, "email": email, "phone": phone,
              "mobile": mobile}
    return [(_word(k, lang), v) for k, v in values.items()]


def row_context(row: pd.Series, level: str, lang: str | None = None) -> list[tuple[str, str]]:
    """(label, value) lines for one incoming row: a person's organisation and contact details,
    or an organisation's contact person."""
    def v(col: str) -> str:
        return display_value(row.get(col), col)

    if level == "person":
        org = ", ".join(p for p in (v("org_name"), v("org_city")) if p)
        return _person_lines(org, v("contact_job_title"), v("contact_email"), v("contact_phone"),
                             v("contact_mobile"), lang)
    person = _name(row.get("person_first_name"), row.get("person_name_prefix"),
                   row.get("person_last_name"), row.get("person_initials"))
    return [(_word("contact_person", lang), person),
            (_word("job_title", lang), v("contact_job_title")),
            (_word("email", lang), v("contact_email"))]


def crm_side_context(kind: str, key: str, crm: dict,
                     lang: str | None = None) -> list[tuple[str, str]]:
    """(label, value) lines for a CRM record: a person's organisations (with job title and
    contact details), or an organisation's first few persons by name and job title."""
    if kind == "crm_person":
        links = crm.get("person_orgs", {}).get(str(key), [])
        if not links:
            return _person_lines(_word("none", lang), "", "", "", "", lang)
        lines: list[tuple[str, str]] = []
        for rec in links:
            org = ", ".join(p for p in (display_value(rec["org_name"], "name"),
                                        display_value(rec["org_city"], "city")) if p)
            lines += _person_lines(org or str(rec["org_id"] or ""),
                                   display_value(rec["job_title"], "job_title"),
                                   display_value(rec["email"], "email"),
                                   display_value(rec["phone"], "phone"),
                                   display_value(rec["mobile"], "mobile"), lang)
        return lines
    persons = crm.get("org_persons", {}).get(str(key), [])
    if not persons:
        return [(_word("persons", lang), _word("none", lang))]
    shown = [_name(r["first_name"], r["name_prefix"], r["last_name"], r["initials"])
             + (f" ({r['job_title']})" if r["job_title"] else "")
             for r in persons[:ORG_PERSONS_SHOWN]]
    if len(persons) > ORG_PERSONS_SHOWN:
        shown.append(_word("more_persons", lang, n=len(persons) - ORG_PERSONS_SHOWN))
    return [(_word("persons", lang), "; ".join(shown))]


def pair_context(item: pd.Series, rows: pd.DataFrame, crm: dict,
                 lang: str | None = None) -> dict[str, list]:
    """Both sides' context lines of one pair: {'incoming': [...], 'other': [...]}."""
    level = "person" if str(item["kind"]).endswith("person") else "organisation"
    left = row_context(rows.loc[item["left_row"]], level, lang)
    if str(item["kind"]).startswith("crm"):
        other = crm_side_context(str(item["kind"]), str(item["right_key"]), crm, lang)
    else:
        other = row_context(rows.loc[item["right_key"]], level, lang)
    return {"incoming": left, "other": other}


def _lines_html(lines: list[tuple[str, str]]) -> str:
    return "".join(f"<div><span class='wb-ctx-label'>{html.escape(label)}:</span> "
                   f"{html.escape(value) if value else '–'}</div>" for label, value in lines)


def context_html(item: pd.Series, rows: pd.DataFrame, crm: dict, lang: str | None = None) -> str:
    """The context of one pair as two columns (incoming, other) under a small heading."""
    sides = pair_context(item, rows, crm, lang)
    return (f"<div class='wb-context'><b>{html.escape(_word('context', lang))}</b>"
            "<div style='display:flex;gap:48px'>"
            f"<div class='wb-context-incoming'>{_lines_html(sides['incoming'])}</div>"
            f"<div class='wb-context-other'>{_lines_html(sides['other'])}</div></div></div>")
