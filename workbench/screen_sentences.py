"""The sentences the screens say, in English and Dutch: the profile's warnings and reasons, the
mapping screen's problems, the change-set counts of the review screen and the run summary.

One entry per message: key -> ``{"en": template, "nl": template}`` with the same ``{name}``
placeholders in both (``tests/test_screen_sentences.py`` checks). :mod:`workbench.labels` merges
them into its ``MESSAGES``, so ``label(key, lang, **values)`` is the one way to read them. The
English is the text the workbench said before Dutch existed, byte for byte.
"""
from __future__ import annotations

# -- the profile (workbench/profile/frame.py warnings, checks.py reasons, html.py) ----------------
PROFILE_SENTENCES: dict[str, dict[str, str]] = {
    "profile.column_empty": {"en": "Column '{name}' is empty.",
                             "nl": "Kolom '{name}' is leeg."},
    "profile.invalid_values": {
        "en": "Column '{name}' ({meaning}): {count} invalid value(s), e.g. {examples}.",
        "nl": "Kolom '{name}' ({meaning}): {count} ongeldige waarde(n), bijvoorbeeld {examples}."},
    "profile.doubtful_values": {
        "en": "Column '{name}' ({meaning}): {count} value(s) kept with a warning, e.g. "
              "{examples}.",
        "nl": "Kolom '{name}' ({meaning}): {count} waarde(n) behouden met een waarschuwing, "
              "bijvoorbeeld {examples}."},
    "profile.repeated_values": {
        "en": "Column '{name}' ({meaning}): {count} value(s) occur in more than one row, e.g. "
              "'{value}' ({rows} rows).",
        "nl": "Kolom '{name}' ({meaning}): {count} waarde(n) komen in meer dan één rij voor, "
              "bijvoorbeeld '{value}' ({rows} rijen)."},
    "profile.low_fill": {"en": "Column '{name}' is filled in only {rate} of the rows.",
                         "nl": "Kolom '{name}' is maar in {rate} van de rijen ingevuld."},
    "profile.blank_rows": {
        "en": "{count} blank row(s); they are kept with their source_row and skipped.",
        "nl": "{count} lege rij(en); ze houden hun source_row en worden overgeslagen."},
    "profile.duplicate_rows": {
        "en": "{exact} row(s) repeat an earlier row exactly; {normalised} once case, spaces and "
              "punctuation are ignored.",
        "nl": "{exact} rij(en) herhalen een eerdere rij precies; {normalised} als hoofdletters, "
              "spaties en leestekens niet meetellen."},
    "profile.no_warnings": {"en": "No warnings.", "nl": "Geen waarschuwingen."},
    # why a value is not one of a meaning (``{value}`` is the value as the file has it)
    "why.not_valid": {"en": "'{value}' is not a valid {meaning}",
                      "nl": "'{value}' is geen geldige waarde voor {meaning}"},
    "why.mobile": {
        "en": "'{value}' is not a mobile number (a Dutch mobile number is 06 and 8 digits)",
        "nl": "'{value}' is geen mobiel nummer (een Nederlands mobiel nummer is 06 en 8 cijfers)"},
    "why.date": {"en": "'{value}' is not a date as the column writes its dates",
                 "nl": "'{value}' is geen datum zoals deze kolom datums schrijft"},
    "why.legal_form": {"en": "'{value}' is not a legal form (B.V., N.V., V.O.F. ...)",
                       "nl": "'{value}' is geen rechtsvorm (B.V., N.V., V.O.F. ...)"},
    "why.name_prefix": {"en": "'{value}' is not a surname prefix (van, de, van der ...)",
                        "nl": "'{value}' is geen tussenvoegsel (van, de, van der ...)"},
    "why.name_characters": {
        "en": "'{value}' has characters a name does not have (only letters, spaces, - ' .)",
        "nl": "'{value}' bevat tekens die niet in een naam horen (alleen letters, spaties, - ' .)"},
    "why.empty_cell": {"en": "'{value}' stands for no value (an empty cell)",
                       "nl": "'{value}' betekent: geen waarde (een lege cel)"},
    "why.landline": {"en": "'{value}' is a landline number (the column holds mobile numbers)",
                     "nl": "'{value}' is een vast nummer (de kolom bevat mobiele nummers)"},
    "why.not_mobile": {
        "en": "'{value}' is a phone number but not a mobile number (the column holds mobile "
              "numbers)",
        "nl": "'{value}' is een telefoonnummer maar geen mobiel nummer (de kolom bevat mobiele "
              "nummers)"},
    # the columns of profile_table (the English is the column's name, as it always was)
    "table.column": {"en": "column", "nl": "kolom"},
    "table.meaning": {"en": "meaning", "nl": "betekenis"},
    "table.confidence": {"en": "confidence", "nl": "betrouwbaarheid"},
    "table.fill_rate": {"en": "fill_rate", "nl": "vulling"},
    "table.filled": {"en": "filled", "nl": "gevuld"},
    "table.distinct": {"en": "distinct", "nl": "verschillend"},
    "table.invalid": {"en": "invalid", "nl": "ongeldig"},
    "table.top_value": {"en": "top_value", "nl": "meest voorkomende waarde"},
    "table.top_pattern": {"en": "top_pattern", "nl": "meest voorkomend patroon"},
    "table.min_length": {"en": "min_length", "nl": "kortste lengte"},
    "table.max_length": {"en": "max_length", "nl": "langste lengte"},
    "table.invalid_examples": {"en": "invalid_examples", "nl": "voorbeelden ongeldig"},
    "table.why_invalid": {"en": "why_invalid", "nl": "waarom ongeldig"},
    "table.kept_with_warning": {"en": "kept_with_warning", "nl": "behouden met waarschuwing"},
    # the charts of profile.html
    "chart.filled_percent": {"en": "filled (% of non-blank rows)",
                             "nl": "gevuld (% van de niet-lege rijen)"},
    "chart.patterns": {"en": "pattern frequencies", "nl": "hoe vaak elk patroon voorkomt"},
    "chart.lengths": {"en": "value length (characters)", "nl": "lengte van de waarde (tekens)"},
    "chart.length_bar": {"en": "length {length}: {rows} rows", "nl": "lengte {length}: {rows} rijen"},
}

# -- the mapping screen (workbench/mapping.py, workbench/widgets/mapping.py, thresholds.py) -------
MAPPING_SENTENCES: dict[str, dict[str, str]] = {
    "mapping.no_column": {"en": "{field}: the file has no column '{column}'",
                          "nl": "{field}: het bestand heeft geen kolom '{column}'"},
    "mapping.required_key": {
        "en": "{field} is required ({why}) but not mapped: that key finds nothing",
        "nl": "{field} is verplicht ({why}) maar aan geen kolom gekoppeld: die sleutel vindt "
              "niets"},
    "mapping.required": {"en": "{field} is required ({why}) but not mapped",
                         "nl": "{field} is verplicht ({why}) maar aan geen kolom gekoppeld"},
    "mapping.column_twice": {"en": "column '{column}' is mapped to {fields}",
                             "nl": "kolom '{column}' is gekoppeld aan {fields}"},
    "mapping.line_and_street": {
        "en": "both an address line and a street are mapped: the street column wins",
        "nl": "zowel een adresregel als een straat is gekoppeld: de kolom met de straat gaat "
              "voor"},
    "mapping.always_new": {
        "en": "person key 'always new' makes the other person keys unused",
        "nl": "persoonssleutel 'altijd nieuw' maakt de andere persoonssleutels overbodig"},
    "mapping.given_by": {"en": "given by {field}; ", "nl": "komt uit {field}; "},
    "mapping.saved_to": {"en": "Saved <code>{path}</code>", "nl": "Opgeslagen in <code>{path}</code>"},
    "mapping.choose_first": {"en": "Choose a saved definition first.",
                             "nl": "Kies eerst een opgeslagen definitie."},
    "mapping.loaded": {"en": "Loaded <b>{name}</b>.", "nl": "<b>{name}</b> geladen."},
    "mapping.missing_columns": {"en": "missing in this file, mapping dropped: {columns}",
                                "nl": "ontbreekt in dit bestand, koppeling vervallen: {columns}"},
    "mapping.new_columns": {"en": "new in this file, not mapped: {columns}",
                            "nl": "nieuw in dit bestand, niet gekoppeld: {columns}"},
    # which definition a notebook uses (``definition_for_list``, ``saved_message``)
    "definition.given": {"en": "Definition: {path} (given as definition_path)",
                         "nl": "Definitie: {path} (opgegeven als definition_path)"},
    "definition.saved": {"en": "Definition: {path} (saved for this list in 02_mapping)",
                         "nl": "Definitie: {path} (voor deze lijst opgeslagen in 02_mapping)"},
    "definition.suggested": {
        "en": "Definition: none saved for this list ({path}), so one is suggested from the file; "
              "save it in 02_mapping to review and keep it",
        "nl": "Definitie: voor deze lijst is er nog geen opgeslagen ({path}), dus wordt er een "
              "voorgesteld op basis van het bestand; sla die op in 02_mapping om hem na te kijken "
              "en te bewaren"},
    "definition.saved_as": {"en": "Saved {path}", "nl": "Opgeslagen: {path}"},
    "definition.other_name": {
        "en": "; 03-05 use {for_list} for this list, save under the name {name} to change it",
        "nl": "; 03-05 gebruiken {for_list} voor deze lijst, sla op onder de naam {name} om dat "
              "te veranderen"},
    # a screen the browser cannot draw (workbench/widgets/comeback.py)
    "screen.fallback": {
        "en": "This screen needs a running kernel with ipywidgets: run this cell again to show it "
              "(nothing is lost: decisions are kept in the state file).",
        "nl": "Dit scherm heeft een draaiende kernel met ipywidgets nodig: voer deze cel opnieuw "
              "uit om het te tonen (er gaat niets verloren: beslissingen staan in het "
              "statusbestand)."},
    "review.to_review": {"en": "{n} pairs to review; first pair shown after {seconds} s",
                         "nl": "{n} paren te beoordelen; eerste paar getoond na {seconds} s"},
    # the notebooks' own lines (notebooks/*.ipynb, notebooks/nl/*.ipynb)
    "notebook.report": {"en": "report:", "nl": "rapport:"},
    "notebook.file_rows": {"en": "**{name}** ({rows} rows)", "nl": "**{name}** ({rows} rijen)"},
    "notebook.records": {"en": "records", "nl": "records"},
    "notebook.file": {"en": "file", "nl": "bestand"},
    "notebook.path": {"en": "path", "nl": "pad"},
    "notebook.bytes": {"en": "bytes", "nl": "bytes"},
    "notebook.seconds": {"en": "seconds", "nl": "seconden"},
    "notebook.wrote": {"en": "run {run} wrote {n} files to {path}",
                       "nl": "run {run} schreef {n} bestanden naar {path}"},
    "notebook.applied": {"en": "Applied run {run} to {path}:", "nl": "Run {run} geladen in {path}:"},
    "notebook.undone": {"en": "Undone run {run} in {path}:",
                        "nl": "Run {run} teruggedraaid in {path}:"},
    # why a field is required (``required_fields``)
    "required.new_org_name": {"en": "a new organisation needs a name",
                              "nl": "een nieuwe organisatie heeft een naam nodig"},
    "required.new_org_address": {
        "en": "a new organisation needs an address: a house number with a postcode, or with a "
              "street and a city",
        "nl": "een nieuwe organisatie heeft een adres nodig: een huisnummer met een postcode, of "
              "met een straat en een plaats"},
    "required.org_by_name": {"en": "an organisation is recognised by its name",
                             "nl": "een organisatie wordt herkend aan haar naam"},
    "required.org_key_kvk": {"en": "organisation key: KvK number",
                             "nl": "sleutel organisatie: KvK-nummer"},
    "required.org_key_name": {"en": "organisation key: name", "nl": "sleutel organisatie: naam"},
    "required.org_key_address": {"en": "organisation key: address",
                                 "nl": "sleutel organisatie: adres"},
    "required.persons_imported": {"en": "persons are imported",
                                  "nl": "er worden personen geïmporteerd"},
    "required.person_key_email": {"en": "person key: e-mail", "nl": "sleutel persoon: e-mail"},
    "required.person_key_name_gender": {"en": "person key: name + gender",
                                        "nl": "sleutel persoon: naam + geslacht"},
    # the threshold sliders (workbench/widgets/thresholds.py)
    "thresholds.match": {"en": "same record from", "nl": "zelfde record vanaf"},
    "thresholds.review": {"en": "review from", "nl": "beoordelen vanaf"},
    "thresholds.count": {"en": "Count pairs", "nl": "Paren tellen"},
    "thresholds.count_tip": {
        "en": "match the list once against the snapshot and count its candidate pairs per band",
        "nl": "de lijst één keer tegen de momentopname koppelen en de kandidaat-paren per band "
              "tellen"},
    "thresholds.intro": {
        "en": "<b>Hit percentage</b>: a pair scoring at least <i>same record from</i> is taken "
              "as one record; from <i>review from</i> up to it, the analyst decides; below it, "
              "the records are different.",
        "nl": "<b>Trefpercentage</b>: een paar dat minstens <i>zelfde record vanaf</i> scoort, "
              "geldt als één record; vanaf <i>beoordelen vanaf</i> tot daar beslist de analist; "
              "daaronder zijn de records verschillend."},
    "thresholds.no_context": {
        "en": "Pair counts need the CRM snapshot: open the screen with "
              "<code>ctx=open_run(crm_path, definition=definition)</code>.",
        "nl": "Voor het tellen van paren is de momentopname van het CRM nodig: open het scherm "
              "met <code>ctx=open_run(crm_path, definition=definition)</code>."},
    "thresholds.press_count": {
        "en": "Press <b>Count pairs</b> to see how many pairs of this list fall in each band.",
        "nl": "Druk op <b>Paren tellen</b> om te zien hoeveel paren van deze lijst in elke band "
              "vallen."},
    "thresholds.matching": {"en": "Matching the list…", "nl": "De lijst wordt gekoppeld…"},
    "thresholds.sentence": {
        "en": "At {match}% / {review}%: {same} pairs taken as the same record, {doubtful} for "
              "review, {different} different.",
        "nl": "Bij {match}% / {review}%: {same} paren gelden als hetzelfde record, {doubtful} "
              "ter beoordeling, {different} verschillend."},
    "thresholds.per_kind": {"en": "{kind}: {same} same, {review} review, {different} different",
                            "nl": "{kind}: {same} dezelfde, {review} beoordelen, "
                                  "{different} verschillend"},
    "thresholds.below_floor": {
        "en": "({n} pairs scored too low to keep: different at any threshold above {floor}%)",
        "nl": "({n} paren scoorden te laag om te bewaren: verschillend bij elke drempel boven "
              "{floor}%)"},
}

# -- the change set after review (review/html.py counts_html) and the run summary ----------------
COUNT_SENTENCES: dict[str, dict[str, str]] = {
    "changes.org": {"en": "org", "nl": "organisatie"},
    "changes.person": {"en": "person", "nl": "persoon"},
    "changes.contact": {"en": "contact", "nl": "contact"},
    "changes.insert": {"en": "insert", "nl": "nieuw"},
    "changes.update": {"en": "update", "nl": "bijwerken"},
    "changes.unchanged": {"en": "unchanged", "nl": "ongewijzigd"},
    "changes.none": {"en": "none", "nl": "geen"},
    "changes.accepted": {"en": "accepted", "nl": "geaccepteerd"},
    "changes.in_file_duplicate": {"en": "in_file_duplicate", "nl": "dubbel in het bestand"},
    "changes.skipped": {"en": "skipped", "nl": "overgeslagen"},
    "changes.rejected": {"en": "rejected", "nl": "afgewezen"},
    "changes.rows": {"en": "rows {statuses}", "nl": "rijen {statuses}"},
    # the run summary's table (workbench/summary.py)
    "summary.section": {"en": "section", "nl": "onderdeel"},
    "summary.what": {"en": "what", "nl": "wat"},
    "summary.count": {"en": "count", "nl": "aantal"},
    "summary.what_it_counts": {"en": "what it counts", "nl": "wat het telt"},
    "summary.section.rows": {"en": "rows", "nl": "rijen"},
    "summary.section.organisations": {"en": "organisations", "nl": "organisaties"},
    "summary.section.persons": {"en": "persons", "nl": "personen"},
    "summary.section.contacts": {"en": "contacts", "nl": "contacten"},
    "summary.section.pairs": {"en": "pairs", "nl": "paren"},
    "summary.section.decisions": {"en": "decisions", "nl": "beslissingen"},
    "summary.section.values": {"en": "values", "nl": "waarden"},
}

# Every count of a run in Dutch: field -> (what, what it counts); the English is summary.COUNTS.
COUNTS_NL: dict[str, tuple[str, str]] = {
    "rows_read": ("rijen gelezen", "datarijen van het bestand, lege rijen meegeteld; de vijf "
                  "regels hieronder tellen samen op tot dit aantal"),
    "rows_accepted": ("geaccepteerd", "rijen die in de wijzigingenset komen"),
    "rows_merged": ("samengevoegd met een eerdere rij",
                    "dubbelen in het bestand: dezelfde organisatie en persoon als een eerdere "
                    "rij, waarvan de waarden nog lege velden van dat record kunnen vullen"),
    "rows_awaiting_review": ("overgeslagen: wacht op beoordeling",
                             "rijen met een paar in de beoordelingsband waarover nog geen analist "
                             "heeft beslist"),
    "rows_skipped": ("overgeslagen: leeg of door een regel",
                     "lege rijen, en rijen die de acties van de definitie overslaan (zoals "
                     "'nieuw aanmaken' uit)"),
    "rows_rejected": ("afgewezen", "rijen die met een reden zijn geweigerd: ze staan in "
                      "rejects.xlsx"),
    "org_found": ("gevonden in het CRM", "rijen waarvan de organisatie een CRM-organisatie is: "
                  "via een exacte sleutel, een score of de beslissing van de analist"),
    "org_new": ("nieuwe organisaties", "aan te maken organisaties (organisations_insert)"),
    "org_updated": ("bijgewerkte organisaties",
                    "CRM-organisaties waarvan een veld verandert (organisations_update)"),
    "org_unchanged": ("ongewijzigde organisaties",
                      "CRM-organisaties die geaccepteerde rijen noemen en waarvan elk veld blijft "
                      "zoals het is"),
    "org_not_created": ("niet aangemaakt: create_new staat uit",
                        "rijen waarvan de organisatie niet in het CRM staat en niet wordt "
                        "aangemaakt, zoals create_new van de definitie zegt (de reden staat in "
                        "row_outcomes.csv)"),
    "org_not_updated": ("niet gewijzigd: update_existing staat uit",
                        "rijen waarvan de organisatie in het CRM staat en ongemoeid blijft, "
                        "zoals update_existing van de definitie zegt (de reden staat in "
                        "row_outcomes.csv)"),
    "person_found": ("gevonden in het CRM", "rijen waarvan de persoon een CRM-persoon is: via "
                     "een exacte sleutel, een score of de beslissing van de analist"),
    "person_new": ("nieuwe personen", "aan te maken personen (persons_insert)"),
    "person_updated": ("bijgewerkte personen",
                       "CRM-personen waarvan een veld verandert (persons_update)"),
    "person_unchanged": ("ongewijzigde personen",
                         "CRM-personen die geaccepteerde rijen noemen en waarvan elk veld blijft "
                         "zoals het is"),
    "person_not_created": ("niet aangemaakt: create_new staat uit",
                           "rijen waarvan de persoon niet in het CRM staat en niet wordt "
                           "aangemaakt, zoals create_new van de definitie zegt (de reden staat "
                           "in row_outcomes.csv)"),
    "person_not_updated": ("niet gewijzigd: update_existing staat uit",
                           "rijen waarvan de persoon in het CRM staat en ongemoeid blijft, zoals "
                           "update_existing van de definitie zegt (de reden staat in "
                           "row_outcomes.csv)"),
    "contact_new": ("nieuwe contacten",
                    "aan te maken koppelingen van een persoon aan een organisatie "
                    "(contacts_insert)"),
    "contact_updated": ("bijgewerkte contacten",
                        "bestaande koppelingen waarvan een veld verandert (contacts_update)"),
    "pairs_scored": ("kandidaat-paren gescoord",
                     "vergeleken paren van records, tegen het CRM en binnen het bestand; de drie "
                     "regels hieronder tellen samen op tot dit aantal"),
    "pairs_accepted": ("geaccepteerde paren",
                       "paren die als hetzelfde record gelden: een score op of boven de "
                       "koppeldrempel, of door de analist als 'dezelfde' beslist"),
    "pairs_review": ("paren in de beoordelingsband",
                     "paren die niet duidelijk hetzelfde en niet duidelijk verschillend zijn, "
                     "nog niet beslist"),
    "pairs_non_match": ("geen match", "paren die als verschillende records gelden: een score "
                        "onder de beoordelingsdrempel, of door de analist als 'niet dezelfde' "
                        "beslist"),
    "decisions_same": ("beslist: dezelfde",
                       "paren van deze lijst die volgens de analist hetzelfde record zijn "
                       "(opgeslagen in het statusbestand)"),
    "decisions_different": ("beslist: geen match",
                            "paren van deze lijst die volgens de analist verschillende records "
                            "zijn (opgeslagen in het statusbestand)"),
    "problems": ("waarden met een probleem",
                 "waarden die de standaardisatie niet kon gebruiken of met een waarschuwing "
                 "veranderde (problems.csv)"),
}

SCREEN_SENTENCES: dict[str, dict[str, str]] = {
    **PROFILE_SENTENCES, **MAPPING_SENTENCES, **COUNT_SENTENCES}
