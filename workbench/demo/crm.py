"""The demo CRM export: organisations (about 1% keyed in twice), their contact persons, privates."""
from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbench.demo.names import FREEMAIL, JOBS, LEGAL_VARIANTS, Pools, full_name, typo
from workbench.demo.records import (
    draw_addresses,
    draw_people,
    draw_phones,
    e164,
    texts,
    work_emails,
)
from workbench.fields import CRM_TABLES

_ADDRESS = ("street", "house_number", "house_number_addition", "postcode", "city")


@dataclass
class Crm:
    """The generated CRM: positional frames with hidden columns, and the three tables to write."""

    orgs: pd.DataFrame  # base (non-duplicate) organisations, positional, with hidden columns
    org_ids: np.ndarray  # CRM org_id per base organisation
    dup_of: dict[int, str]  # base position -> org_id of its CRM-internal duplicate
    persons: pd.DataFrame
    contacts: pd.DataFrame  # contact rows of the base organisations, with "_org" and "_per"
    organisations_out: pd.DataFrame
    persons_out: pd.DataFrame
    contacts_out: pd.DataFrame


def pad(n: int) -> int:
    """Width of the zero-padded ids: at least 6 digits."""
    return max(6, len(str(n)))


def build_crm(rng: np.random.Generator, rnd: random.Random, pools: Pools,
              all_orgs: pd.DataFrame, n_total: int) -> Crm:
    """The CRM snapshot: ~1% organisations duplicated inside it, 1-3 contacts each, privates."""
    n_dup = int(round(n_total * 0.01))
    n_base = n_total - n_dup
    orgs = all_orgs.iloc[:n_base].reset_index(drop=True)
    clean = _clean_organisations(rng, orgs)
    dup_src, dups = _duplicates(rng, rnd, clean, n_dup)
    # Ids in a random order, as a CRM that has merged several sources over the years.
    width = pad(n_total)
    order = rng.permutation(n_total)
    ids = np.array([f"ORG-{i + 1:0{width}d}" for i in order.tolist()], dtype=object)
    org_ids, dup_ids = ids[:n_base], ids[n_base:]
    dup_of = {int(src): str(d) for src, d in zip(dup_src.tolist(), dup_ids.tolist(), strict=True)}
    clean, dups = clean.assign(org_id=org_ids), dups.assign(org_id=dup_ids)
    # Rows in id order: the inverse permutation, cheaper than sorting the id strings.
    organisations_out = pd.concat([clean, dups], ignore_index=True) \
        .iloc[np.argsort(order, kind="stable")]

    c_org, people, details = _contact_persons(rng, pools, orgs)
    persons, persons_out = _persons(rng, pools, people, len(c_org))
    contacts = pd.DataFrame({
        "_org": c_org, "_per": np.arange(len(c_org)),
        "org_id": org_ids[c_org], "person_id": persons["person_id"].to_numpy()[:len(c_org)],
        "contact_type": "person", **{col: details[col] for col in details.columns},
    })
    return Crm(
        orgs=clean, org_ids=org_ids, dup_of=dup_of, persons=persons, contacts=contacts,
        organisations_out=organisations_out[list(CRM_TABLES["organisations"])],
        persons_out=persons_out[list(CRM_TABLES["persons"])],
        contacts_out=_all_contacts(rnd, contacts, dup_of)[list(CRM_TABLES["contacts"])],
    )


def _clean_organisations(rng: np.random.Generator, orgs: pd.DataFrame) -> pd.DataFrame:
    """The organisations as the CRM holds them: mostly E.164 phones, a KvK number for ~85%."""
    out = orgs.copy()
    n = len(out)
    national = rng.random(n) < 0.15
    international = e164(out["_area"], out["_sub"])
    out["phone"] = pd.Series(np.where(national, out["_area"] + "-" + out["_sub"], international),
                             dtype=object)
    out["kvk_number"] = pd.Series(np.where(rng.random(n) < 0.15, "", out["_kvk"]), dtype=object)
    return out


def _duplicates(rng: np.random.Generator, rnd: random.Random, orgs: pd.DataFrame,
                n_dup: int) -> tuple[np.ndarray, pd.DataFrame]:
    """CRM-internal duplicates, another org's record keyed in again with a slip: sources, rows."""
    dup_src = np.sort(rng.choice(len(orgs), size=n_dup, replace=False)) if n_dup \
        else np.array([], int)
    dups = orgs.iloc[dup_src].copy()
    names = []
    for base, legal in zip(dups["_base"], dups["_legal"], strict=True):
        if rnd.random() < 0.5:
            names.append(full_name(typo(base, rnd), legal))
        else:
            names.append(full_name(base, rnd.choice(LEGAL_VARIANTS[legal])))
    dups["name"] = names
    dups["kvk_number"] = [k if rnd.random() < 0.5 else "" for k in dups["kvk_number"]]
    dups["phone"] = [f"{a}-{s}" for a, s in zip(dups["_area"], dups["_sub"], strict=True)]
    return dup_src, dups


def _contact_persons(rng: np.random.Generator, pools: Pools,
                     orgs: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """1-3 contact persons per organisation, and private persons after them (~10% of all).

    Returns the organisation position per contact, every person drawn (contact persons first)
    and the contacts' job title, work e-mail, phone and mobile.
    """
    k = rng.choice([1, 2, 3], size=len(orgs), p=[0.45, 0.35, 0.20])
    c_org = np.repeat(np.arange(len(orgs)), k)
    n_cp = len(c_org)
    n_priv = int(round(n_cp / 9))  # private persons are ~10% of all persons
    people = draw_people(rng, pools, n_cp + n_priv)
    people["_is_private"] = np.arange(n_cp + n_priv) >= n_cp
    jobs = texts(np.array(JOBS, dtype=object)[rng.integers(0, len(JOBS), size=n_cp)])
    c_slug = orgs["_slug"].to_numpy()[c_org]
    work = work_emails(rng, people.iloc[:n_cp], texts(c_slug), texts(c_org))
    c_area = texts(orgs["_area"].to_numpy()[c_org])
    c_phone = e164(c_area, draw_phones(rng, c_area))
    c_mobile = "+316" + people["_mobile_sub"].iloc[:n_cp].reset_index(drop=True)
    has_phone = rng.random(n_cp) < 0.5
    has_mobile = rng.random(n_cp) < 0.8
    details = pd.DataFrame({
        "job_title": jobs, "email": work,
        "phone": pd.Series(np.where(has_phone, c_phone, ""), dtype=object),
        "mobile": pd.Series(np.where(has_mobile, c_mobile, ""), dtype=object),
    })
    return c_org, people, details


def _persons(rng: np.random.Generator, pools: Pools, people: pd.DataFrame,
             n_cp: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The persons (positional, and in id order): contacts with a mobile, privates an address."""
    persons = people.copy()
    n_all = len(persons)
    persons["gender"] = pd.Series(np.where(rng.random(n_all) < 0.03, "", persons["_gender"]),
                                  dtype=object)
    is_priv = persons["_is_private"].to_numpy()
    has_birth = np.where(is_priv, rng.random(n_all) < 0.7, rng.random(n_all) < 0.1)
    persons["birth_date"] = pd.Series(np.where(has_birth, persons["_birth"], ""), dtype=object)
    persons["bsn"] = ""  # the demo holds no BSNs (no random draw: a seed gives the same CRM)
    # Private persons: own address, personal e-mail and phones; contact persons: mobile only.
    # Only private persons have an address; contact persons' rows stay empty there.
    addr = pd.concat([pd.DataFrame("", index=range(n_cp), columns=[*_ADDRESS, "_area"]),
                      draw_addresses(rng, pools, n_all - n_cp)], ignore_index=True)
    home_sub = pd.concat([pd.Series([""] * n_cp, dtype=object),
                          draw_phones(rng, addr["_area"].iloc[n_cp:])], ignore_index=True)
    free = texts(np.array(FREEMAIL, dtype=object)[rng.integers(0, len(FREEMAIL), size=n_all)])
    personal = persons["_fslug"] + "." + persons["_lslug"] + "@" + free
    mob_all = "+316" + persons["_mobile_sub"]
    persons["email"] = pd.Series(np.where(is_priv & (rng.random(n_all) < 0.6), personal, ""),
                                 dtype=object)
    persons["phone"] = pd.Series(np.where(is_priv & (rng.random(n_all) < 0.4),
                                          e164(addr["_area"], home_sub), ""), dtype=object)
    persons["mobile"] = pd.Series(np.where(rng.random(n_all) < np.where(is_priv, 0.7, 0.4),
                                           mob_all, ""), dtype=object)
    for col in _ADDRESS:
        persons[col] = pd.Series(np.where(is_priv, addr[col], ""), dtype=object)
    persons["country"] = pd.Series(np.where(is_priv, "NL", ""), dtype=object)
    p_width = pad(n_all)
    p_order = rng.permutation(n_all)
    persons["person_id"] = [f"PER-{i + 1:0{p_width}d}" for i in p_order.tolist()]
    return persons, persons.iloc[np.argsort(p_order, kind="stable")]


def _all_contacts(rnd: random.Random, contacts: pd.DataFrame,
                  dup_of: dict[int, str]) -> pd.DataFrame:
    """The contacts table: every contact, some also linked to their firm's CRM duplicate."""
    # Half of the duplicated organisations also got one of the original's people linked.
    # Contacts are ordered by organisation, so its first contact row is found by bisection.
    c_org = contacts["_org"].to_numpy()
    linked = [(int(np.searchsorted(c_org, src)), dup_id) for src, dup_id in dup_of.items()
              if rnd.random() < 0.5]
    extra = contacts.iloc[[c for c, _ in linked]].copy()
    extra["org_id"], extra["_org"] = [d for _, d in linked], -1
    all_contacts = pd.concat([contacts, extra], ignore_index=True)
    # Contacts listed per organisation id, then person id (integer keys sort fast).
    all_contacts = all_contacts.iloc[np.lexsort((
        all_contacts["person_id"].str[4:].astype(np.int64).to_numpy(),
        all_contacts["org_id"].str[4:].astype(np.int64).to_numpy()))].copy()
    c_width = pad(len(all_contacts))
    all_contacts["contact_id"] = [f"CON-{i + 1:0{c_width}d}" for i in range(len(all_contacts))]
    for col in CRM_TABLES["contacts"]:
        if col not in all_contacts:
            all_contacts[col] = ""
    return all_contacts

