"""The output files' sentences, English and Dutch: the standardisers' problems
(``problems.csv``), the reasons a row is refused (``rejects.xlsx``, the CRM's rejects) and the
outcome explanations (``row_outcomes.csv``, ``list_outcomes.csv``). Data only: ``labels.py``
merges them into the one catalogue and ``messages.say`` makes them in the run's language.
"""
from __future__ import annotations

SENTENCES: dict[str, dict[str, str]] = {
    # --- postcodes (standardise/postcode.py) ---
    "postcode.not_dutch": {
        "en": "postcode '{value}' is not a Dutch postcode (expected 1234 AB){what}",
        "nl": "postcode '{value}' heeft niet de vorm 1234 AB van een Nederlandse postcode{what}"},
    "postcode.other_characters": {"en": "; it has other characters than digits and letters",
                                  "nl": "; er staan andere tekens in dan cijfers en letters"},
    "postcode.starts_with_0": {"en": "; it starts with 0", "nl": "; hij begint met 0"},
    "postcode.counts": {"en": "; it has {digits} and {letters}",
                        "nl": "; hij heeft {digits} en {letters}"},
    "postcode.digits_first": {"en": "; the digits come first",
                              "nl": "; de cijfers horen vooraan"},
    "postcode.number_words": {"en": "no one two three four five",
                              "nl": "geen één twee drie vier vijf"},
    "postcode.digit": {"en": "digit", "nl": "cijfer"},
    "postcode.digits": {"en": "digits", "nl": "cijfers"},
    "postcode.letter": {"en": "letter", "nl": "letter"},
    "postcode.letters": {"en": "letters", "nl": "letters"},
    "postcode.never_issued": {
        "en": "postcode '{value}' uses letters {letters}, which are never issued",
        "nl": "postcode '{value}' heeft de letters {letters}, die nooit worden uitgegeven"},
    "postcode.foreign": {
        "en": "postcode '{value}' is not a postcode of {country}; kept as given",
        "nl": "postcode '{value}' is geen postcode van {country}; overgenomen zoals gegeven"},
    # --- addresses and house numbers (standardise/address.py) ---
    "address.range": {
        "en": "address '{value}' gives a range of house numbers; kept {number}",
        "nl": "adres '{value}' noemt een reeks huisnummers; {number} aangehouden"},
    "address.long_addition": {
        "en": "address '{value}' has an unusually long addition '{addition}'",
        "nl": "adres '{value}' heeft een ongewoon lange toevoeging '{addition}'"},
    "address.empty": {"en": "address '{value}' has no street or house number",
                      "nl": "adres '{value}' heeft geen straat en geen huisnummer"},
    "address.number_first": {
        "en": "address '{value}' starts with a number; expected street then number",
        "nl": "adres '{value}' begint met een nummer; verwacht eerst de straat, dan het nummer"},
    "address.no_number": {"en": "address '{value}' has no house number",
                          "nl": "adres '{value}' heeft geen huisnummer"},
    "address.po_box_addition": {
        "en": "address '{value}': {po_box} {number} should have no addition",
        "nl": "adres '{value}': {po_box} {number} hoort geen toevoeging te hebben"},
    "address.foreign": {
        "en": "address '{value}' could not be read as an address in {country}; kept as given",
        "nl": "adres '{value}' is niet te lezen als adres in {country}; overgenomen zoals "
              "gegeven"},
    "house_number.no_number": {"en": "house number '{value}' does not start with a number",
                               "nl": "huisnummer '{value}' begint niet met een cijfer"},
    # --- countries (standardise/country.py) ---
    "country.unknown": {
        "en": "country '{value}' is not a country name or ISO code this tool knows",
        "nl": "land '{value}' is geen landnaam of ISO-code die de workbench kent"},
    # --- birth dates (standardise/dates.py) ---
    "birth_date.not_a_date": {"en": "birth date '{value}' is not a date (expected {format})",
                              "nl": "geboortedatum '{value}' is geen datum (verwacht: {format})"},
    "birth_date.does_not_exist": {
        "en": "birth date '{value}' does not exist (read as {format})",
        "nl": "geboortedatum '{value}' bestaat niet (gelezen als {format})"},
    "birth_date.future": {"en": "birth date '{value}' lies in the future",
                          "nl": "geboortedatum '{value}' ligt in de toekomst"},
    "birth_date.too_old": {"en": "birth date '{value}' is before {year}",
                           "nl": "geboortedatum '{value}' ligt vóór {year}"},
    "birth_date.two_digit_year": {
        "en": "birth date '{value}' has a two-digit year, read as {year}",
        "nl": "geboortedatum '{value}' heeft een jaartal van twee cijfers, gelezen als {year}"},
    # --- e-mail (standardise/email.py) ---
    "email.typo": {"en": "e-mail '{value}' has domain {domain}: a typo for {suggestion}?",
                   "nl": "e-mail '{value}' heeft domein {domain}: een tikfout voor {suggestion}?"},
    "email.not_an_address": {"en": "e-mail '{value}' is not an e-mail address",
                             "nl": "e-mail '{value}' is geen e-mailadres"},
    "email.accented": {
        "en": "e-mail '{value}' has accented letters before the @ (valid, but not every mail "
              "system delivers it)",
        "nl": "e-mail '{value}' heeft letters met accenten vóór de @ (geldig, maar niet elk "
              "mailsysteem bezorgt het)"},
    "email.invalid": {"en": "e-mail '{value}' is not a valid e-mail address",
                      "nl": "e-mail '{value}' is geen geldig e-mailadres"},
    # --- KvK, vestigingsnummer, BSN, IBAN, BTW (standardise/identifiers.py) ---
    "kvk.not_digits": {"en": "KvK number '{value}' contains characters other than digits",
                       "nl": "KvK-nummer '{value}' bevat andere tekens dan cijfers"},
    "kvk.zero_restored": {"en": "KvK number '{value}' has {count} digits: leading zero restored",
                          "nl": "KvK-nummer '{value}' heeft {count} cijfers: voorloopnul "
                                "hersteld"},
    "kvk.zeros_restored": {
        "en": "KvK number '{value}' has {count} digits: leading zeros restored",
        "nl": "KvK-nummer '{value}' heeft {count} cijfers: voorloopnullen hersteld"},
    "kvk.length": {"en": "KvK number '{value}' has {count} digits (expected 8)",
                   "nl": "KvK-nummer '{value}' heeft {count} cijfers (verwacht: 8)"},
    "kvk.all_zeros": {"en": "KvK number '{value}' is all zeros",
                      "nl": "KvK-nummer '{value}' bestaat alleen uit nullen"},
    "vestiging.not_digits": {
        "en": "vestigingsnummer '{value}' contains characters other than digits",
        "nl": "vestigingsnummer '{value}' bevat andere tekens dan cijfers"},
    "vestiging.all_zeros": {"en": "vestigingsnummer '{value}' is all zeros",
                            "nl": "vestigingsnummer '{value}' bestaat alleen uit nullen"},
    "vestiging.zeros_restored": {
        "en": "vestigingsnummer '{value}' has {count} digits: leading zeros restored",
        "nl": "vestigingsnummer '{value}' heeft {count} cijfers: voorloopnullen hersteld"},
    "vestiging.length": {"en": "vestigingsnummer '{value}' has {count} digits (expected 12)",
                         "nl": "vestigingsnummer '{value}' heeft {count} cijfers (verwacht: 12)"},
    "bsn.eleven_test": {"en": "BSN '{value}' fails the 11-test",
                        "nl": "BSN '{value}' voldoet niet aan de elfproef"},
    "id.checksum": {"en": "{kind} '{value}' fails the check digit test",
                    "nl": "{kind} '{value}' klopt niet volgens het controlegetal"},
    "id.length": {"en": "{kind} '{value}' has the wrong length",
                  "nl": "{kind} '{value}' heeft niet de juiste lengte"},
    "id.format": {"en": "{kind} '{value}' has the wrong format",
                  "nl": "{kind} '{value}' heeft niet de juiste vorm"},
    "id.invalid": {"en": "{kind} '{value}' is not valid", "nl": "{kind} '{value}' is ongeldig"},
    "kind.btw": {"en": "BTW number", "nl": "btw-nummer"},
    # --- names, initials, salutation, gender (standardise/names.py, frame.py) ---
    "name.prefix_split": {
        "en": "possible prefix: '{prefix}' was split off, leaving last name '{surname}'; if "
              "'{prefix}' is part of the surname, block it with "
              "`standardise: {{blocked_prefixes: [{prefix}]}}` in the definition",
        "nl": "mogelijk tussenvoegsel: '{prefix}' is afgesplitst, achternaam '{surname}' blijft "
              "over; hoort '{prefix}' bij de achternaam, blokkeer het dan met "
              "`standardise: {{blocked_prefixes: [{prefix}]}}` in de definitie"},
    "name.short_surname": {
        "en": "last name '{surname}' is short or a prefix word: a CRM may take it for a prefix "
              "(AFAS Profit takes every two-letter last name for one unless it is blocked in "
              "its table Voorvoegsels)",
        "nl": "achternaam '{surname}' is kort of een voorvoegselwoord: een CRM kan die voor een "
              "tussenvoegsel aanzien (AFAS Profit ziet elke achternaam van twee letters als "
              "tussenvoegsel, tenzij die in de tabel Voorvoegsels geblokkeerd is)"},
    "name.prefix_alone": {"en": "prefix '{value}' has no last name with it",
                          "nl": "tussenvoegsel '{value}' staat zonder achternaam"},
    "name.last_name_digits": {"en": "last name '{value}' contains digits",
                              "nl": "achternaam '{value}' bevat cijfers"},
    "name.digits": {"en": "name '{value}' contains digits", "nl": "naam '{value}' bevat cijfers"},
    "name.no_last_name": {"en": "name '{value}' has no last name",
                          "nl": "naam '{value}' heeft geen achternaam"},
    "name.two_people": {"en": "name '{value}' seems to name two people",
                        "nl": "naam '{value}' lijkt twee personen te noemen"},
    "initials.digits": {"en": "initials '{value}' contain digits",
                        "nl": "voorletters '{value}' bevatten cijfers"},
    "initials.no_letters": {"en": "initials '{value}' have no letters",
                            "nl": "voorletters '{value}' bevatten geen letters"},
    "initials.first_names": {"en": "initials '{value}' look like first names; taken as {result}",
                             "nl": "voorletters '{value}' lijken voornamen; gelezen als {result}"},
    "salutation.unclear": {"en": "salutation '{value}' does not tell whether it is Dhr. or Mevr.",
                           "nl": "aanhef '{value}' zegt niet of het Dhr. of Mevr. is"},
    "gender.neither": {"en": "gender '{value}' is neither M nor F; left empty",
                       "nl": "geslacht '{value}' is niet M en niet V; leeg gelaten"},
    "gender.unknown": {
        "en": "gender '{value}' is not a gender this tool knows (expected M or V)",
        "nl": "geslacht '{value}' is geen geslacht dat de workbench kent (verwacht: M of V)"},
    "gender.clash": {"en": "gender '{value}' does not match salutation '{salutation}'",
                     "nl": "geslacht '{value}' past niet bij aanhef '{salutation}'"},
    # --- organisation names (standardise/organisation.py) ---
    "org.only_legal_form": {
        "en": "organisation name '{value}' has no name besides its legal form",
        "nl": "organisatienaam '{value}' heeft geen naam naast de rechtsvorm"},
    "org.two_legal_forms": {"en": "organisation name '{value}' has two legal forms: {forms}",
                            "nl": "organisatienaam '{value}' heeft twee rechtsvormen: {forms}"},
    "and": {"en": " and ", "nl": " en "},
    # --- phone numbers (standardise/phone.py, frame.py) ---
    "phone.unreadable": {"en": "phone '{value}' cannot be read as a phone number",
                         "nl": "telefoon '{value}' is niet te lezen als telefoonnummer"},
    "phone.invalid": {"en": "phone '{value}' is not a valid phone number",
                      "nl": "telefoon '{value}' is geen geldig telefoonnummer"},
    "phone.extension": {
        "en": "phone '{value}': extension {extension} is not kept in E.164",
        "nl": "telefoon '{value}': toestelnummer {extension} blijft niet bewaard in E.164"},
    "phone.unassigned": {
        "en": "phone '{value}' is in a range not assigned today; written as {number}",
        "nl": "telefoon '{value}' valt in een nummerreeks die nu niet is uitgegeven; "
              "geschreven als {number}"},
    "phone.fixed_as_mobile": {"en": "mobile '{value}' is a fixed-line number",
                              "nl": "mobiel '{value}' is een vast nummer"},
    "phone.bsn": {"en": "a BSN (nine digits that pass the 11-test), not a phone number: left out",
                  "nl": "een BSN (negen cijfers die de elfproef doorstaan), geen telefoonnummer: "
                        "weggelaten"},
    # --- places (standardise/place.py, frame.py) ---
    "city.postcode": {"en": "city '{value}' contains a postcode or number, not a place name",
                      "nl": "plaats '{value}' bevat een postcode of nummer, geen plaatsnaam"},
    "city.no_letters": {"en": "city '{value}' has no letters",
                        "nl": "plaats '{value}' bevat geen letters"},
    "city.odd_marks": {
        "en": "city '{value}' has {marks}, which no place name has (a place name has letters, "
              "spaces and - ' . / ( ))",
        "nl": "plaats '{value}' bevat {marks}, wat in geen plaatsnaam staat (een plaatsnaam "
              "heeft letters, spaties en - ' . / ( ))"},
    "city.number": {
        "en": "city '{value}' holds the number {number}; a place name has no number but an "
              "ordinal in front ('2e Valthermond')",
        "nl": "plaats '{value}' bevat het getal {number}; een plaatsnaam heeft geen getal, "
              "hooguit een rangtelwoord vooraan ('2e Valthermond')"},
    "city.replaced": {"en": "city '{value}' replaced by '{city}' from postcode {postcode}",
                      "nl": "plaats '{value}' vervangen door '{city}' volgens postcode "
                            "{postcode}"},
    # --- websites (standardise/website.py) ---
    "website.email": {"en": "website '{value}' looks like an e-mail address",
                      "nl": "website '{value}' lijkt een e-mailadres"},
    "website.invalid": {"en": "website '{value}' is not a web address (expected www.example.nl)",
                        "nl": "website '{value}' is geen webadres (verwacht: www.voorbeeld.nl)"},
    # --- rows refused (validate.py) ---
    "reject.no_name": {"en": "no organisation name and no last name",
                       "nl": "geen organisatienaam en geen achternaam"},
    "reject.new_organisation_incomplete": {
        "en": "a new organisation needs a name and an address (postcode and house number, or "
              "street, house number and city)",
        "nl": "een nieuwe organisatie heeft een naam en een adres nodig (postcode en "
              "huisnummer, of straat, huisnummer en plaats)"},
    "reject.new_person_needs": {
        "en": "a new person needs a {what} for {system} ({columns}): the list gives none{guess}",
        "nl": "een nieuwe persoon heeft een {what} nodig voor {system} ({columns}): de lijst "
              "geeft er geen{guess}"},
    "reject.not_guessed": {"en": "; it is not guessed from the first name",
                           "nl": "; het wordt niet uit de voornaam geraden"},
    "or": {"en": " or ", "nl": " of "},
    "birth_date.serial_future": {
        "en": "birth date '{value}' lies in the future (read as an Excel serial number)",
        "nl": "geboortedatum '{value}' ligt in de toekomst (gelezen als Excel-datumgetal)"},
    "birth_date.serial": {
        "en": "birth date '{value}' is an Excel serial number, read as a date (Excel's 1900 "
              "date system)",
        "nl": "geboortedatum '{value}' is een Excel-datumgetal, gelezen als datum (Excels "
              "datumsysteem 1900)"},
    "move_date.serial": {
        "en": "move date '{value}' is an Excel serial number, read as {date} (Excel's 1900 date "
              "system)",
        "nl": "verhuisdatum '{value}' is een Excel-datumgetal, gelezen als {date} (Excels "
              "datumsysteem 1900)"},
    "move_date.not_a_date": {
        "en": "move date '{value}' is not a date (expected {format}); left out",
        "nl": "verhuisdatum '{value}' is geen datum (verwacht {format}); weggelaten"},
    "delivery.left_out": {"en": "{problem}; the delivery address is left out",
                          "nl": "{problem}; het afleveradres is weggelaten"},
    "reject.delivery_incomplete": {
        "en": "a delivery address needs a postcode and a house number",
        "nl": "een afleveradres heeft een postcode en een huisnummer nodig"},
    # --- values neutralised on export (export.py) ---
    "export.formula": {
        "en": "looks like a spreadsheet formula: written with an apostrophe in front, so it "
              "cannot run; check the value before loading",
        "nl": "lijkt op een spreadsheetformule: geschreven met een apostrof ervoor, zodat die "
              "niet kan worden uitgevoerd; controleer de waarde voor het laden"},
    # --- the CRM's own checks of its import rows (crm/write.py) ---
    "crm.required": {"en": "{what} is required", "nl": "{what} is verplicht"},
    "crm.not_a_code": {"en": "{header} is not one of {allowed}",
                       "nl": "{header} is niet een van {allowed}"},
    "crm.too_long": {"en": "{header} is longer than {limit} characters",
                     "nl": "{header} is langer dan {limit} tekens"},
    # --- row outcomes (changeset/outcomes.py, repair.py) ---
    "outcome.blank_row": {"en": "blank row", "nl": "lege rij"},
    "outcome.not_created.organisations": {
        "en": "organisation not in the CRM and create_new is off for organisations",
        "nl": "organisatie staat niet in het CRM en create_new staat uit voor organisaties"},
    "outcome.not_created.persons": {
        "en": "person not in the CRM and create_new is off for persons",
        "nl": "persoon staat niet in het CRM en create_new staat uit voor personen"},
    "outcome.not_updated.organisations": {
        "en": "organisation exists in the CRM ({id}); update_existing is off, so it is not "
              "changed",
        "nl": "organisatie bestaat al in het CRM ({id}); update_existing staat uit, dus niet "
              "gewijzigd"},
    "outcome.not_updated.persons": {
        "en": "person exists in the CRM ({id}); update_existing is off, so it is not changed",
        "nl": "persoon bestaat al in het CRM ({id}); update_existing staat uit, dus niet "
              "gewijzigd"},
    "outcome.review_crm.organisation": {
        "en": "needs review: may be CRM organisation {id} (score {score}: {why})",
        "nl": "te beoordelen: mogelijk organisatie {id} in het CRM (score {score}: {why})"},
    "outcome.review_crm.person": {
        "en": "needs review: may be CRM person {id} (score {score}: {why})",
        "nl": "te beoordelen: mogelijk persoon {id} in het CRM (score {score}: {why})"},
    "outcome.review_row.organisation": {
        "en": "needs review: may be the same organisation as row {row} (score {score}: {why})",
        "nl": "te beoordelen: mogelijk dezelfde organisatie als rij {row} (score {score}: "
              "{why})"},
    "outcome.review_row.person": {
        "en": "needs review: may be the same person as row {row} (score {score}: {why})",
        "nl": "te beoordelen: mogelijk dezelfde persoon als rij {row} (score {score}: {why})"},
    "outcome.in_file_duplicate": {"en": "same organisation and person as an earlier row",
                                  "nl": "zelfde organisatie en persoon als een eerdere rij"},
    "repair.still_rejected": {"en": "still rejected after repair in run {run}",
                              "nl": "na herstel in run {run} nog steeds afgewezen"},
    "repair.repaired": {"en": "repaired in run {run}", "nl": "hersteld in run {run}"},
    # --- the match explanation (match/classify.py ``explain``): a comparison's label and the
    # level it found; the English text is the comparison's own (match/compare.py) ---
    "match.part": {"en": "{label}: {level} ({points})", "nl": "{label}: {level} ({points})"},
    "match.label.kvk_number": {"en": "kvk_number", "nl": "KvK-nummer"},
    "match.label.name": {"en": "name", "nl": "naam"},
    "match.label.address": {"en": "address", "nl": "adres"},
    "match.label.contact": {"en": "contact", "nl": "contactgegevens"},
    "match.label.email": {"en": "email", "nl": "e-mail"},
    "match.label.last_name": {"en": "last_name", "nl": "achternaam"},
    "match.label.initials": {"en": "initials", "nl": "voorletters"},
    "match.label.first_name": {"en": "first_name", "nl": "voornaam"},
    "match.label.gender": {"en": "gender", "nl": "geslacht"},
    "match.label.mobile": {"en": "mobile", "nl": "mobiel"},
    "match.label.birth_date": {"en": "birth_date", "nl": "geboortedatum"},
    "match.label.organisation": {"en": "organisation", "nl": "organisatie"},
    "match.level.similarity": {"en": "similarity >= {cutoff}", "nl": "gelijkenis >= {cutoff}"},
    "match.level.missing": {"en": "missing", "nl": "ontbreekt"},
    "match.level.equal": {"en": "equal", "nl": "gelijk"},
    "match.level.different": {"en": "different", "nl": "verschillend"},
    "match.level.one name contained in the other": {
        "en": "one name contained in the other", "nl": "de ene naam zit in de andere"},
    "match.level.first and last name swapped": {
        "en": "first and last name swapped", "nl": "voor- en achternaam verwisseld"},
    "match.level.one name in the other's other field": {
        "en": "one name in the other's other field",
        "nl": "een naam staat bij de ander in het andere veld"},
    "match.level.one equal": {"en": "one equal", "nl": "een gelijk"},
    "match.level.none equal": {"en": "none equal", "nl": "geen gelijk"},
    "match.level.phone and domain equal": {"en": "phone and domain equal",
                                           "nl": "telefoon en domein gelijk"},
    "match.level.phone equal": {"en": "phone equal", "nl": "telefoon gelijk"},
    "match.level.domain equal": {"en": "domain equal", "nl": "domein gelijk"},
    "match.level.neither equal": {"en": "neither equal", "nl": "geen van beide gelijk"},
    "match.level.same address": {"en": "same address", "nl": "zelfde adres"},
    "match.level.same address, addition on one side only": {
        "en": "same address, addition on one side only",
        "nl": "zelfde adres, toevoeging aan een kant"},
    "match.level.same number, other addition": {"en": "same number, other addition",
                                                "nl": "zelfde huisnummer, andere toevoeging"},
    "match.level.same postcode, other number": {"en": "same postcode, other number",
                                                "nl": "zelfde postcode, ander huisnummer"},
    "match.level.same street, number and place, other postcode": {
        "en": "same street, number and place, other postcode",
        "nl": "zelfde straat, huisnummer en plaats, andere postcode"},
    "match.level.other address": {"en": "other address", "nl": "ander adres"},
    "match.level.P.O. box vs street address": {"en": "P.O. box vs street address",
                                               "nl": "postbus tegenover straatadres"},
    "match.level.one holds the other's": {"en": "one holds the other's",
                                          "nl": "de ene bevat die van de ander"},
    "match.level.day and month swapped": {"en": "day and month swapped",
                                          "nl": "dag en maand verwisseld"},
    "match.level.one part differs": {"en": "one part differs", "nl": "een deel verschilt"},
    "match.level.one digit typed wrong": {"en": "one digit typed wrong",
                                          "nl": "een cijfer verkeerd getypt"},
    "match.level.same year only": {"en": "same year only", "nl": "alleen zelfde jaar"},
    "match.level.same postcode, number and street": {
        "en": "same postcode, number and street", "nl": "zelfde postcode, huisnummer en straat"},
    "match.level.same postcode and number": {"en": "same postcode and number",
                                             "nl": "zelfde postcode en huisnummer"},
    "match.level.same street and number, other postcode": {
        "en": "same street and number, other postcode",
        "nl": "zelfde straat en huisnummer, andere postcode"},
    "match.level.same place, other address": {"en": "same place, other address",
                                              "nl": "zelfde plaats, ander adres"},
    "match.not_alike": {"en": "in one cluster, but not alike: {why}",
                        "nl": "in één cluster, maar niet gelijkend: {why}"},
    "match.tie": {"en": "{key} equal to row {row}", "nl": "{key} gelijk aan rij {row}"},
    # --- rows the reader could not fit to the header (read/frame.py, read/text.py) ---
    "read.row_too_wide": {
        "en": "row {row} of the file has a value in column {column} ({letter}), but the header "
              "has only {width} columns; the row was not read",
        "nl": "rij {row} van het bestand heeft een waarde in kolom {column} ({letter}), maar de "
              "kopregel telt maar {width} kolommen; de rij is niet gelezen"},
    "read.quote_never_closed": {
        "en": "row {row} of the file has a quote (\") in column {column} ({letter}) that is "
              "never closed; the row was not read",
        "nl": "rij {row} van het bestand heeft een aanhalingsteken (\") in kolom {column} "
              "({letter}) dat nergens wordt gesloten; de rij is niet gelezen"},
    # --- the run's summary on the terminal (cli.py ``run``) ---
    "cli.run": {"en": "Run {run_id}: {input}", "nl": "Run {run_id}: {input}"},
    "cli.outputs": {
        "en": "Pairs side by side in duplicate_report.html; outputs in {out}/ (manifest.json "
              "lists them)",
        "nl": "Paren naast elkaar in duplicate_report.html; de bestanden in {out}/ "
              "(manifest.json somt ze op)"},
    "cli.list_record": {"en": "The list's record, every row once: {path}",
                        "nl": "Het verloop van de lijst, elke rij één keer: {path}"},
}
