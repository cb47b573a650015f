#!/usr/bin/env python3
"""Check a labelled corpus folder for structural mistakes before it is scored.

One validator for every corpus folder laid out like tests/corpus-winter: one or more case files
(*.jsonl) beside an orgs/ folder of organisation bundles (format postguard/1). Adapted from the one
in tests/corpus-west, with the case-id prefix read from the data instead of fixed per corpus.

Checks, per case file: every line is a JSON object with exactly the case fields, in order; ids are
unique and run <prefix>001, <prefix>002, ... with the prefix of the first id; org names a bundle in
orgs/ and school is an id in that bundle (or null; a stand-alone bundle with `schools: []` only allows
null); site is a bare host name; surface/account/difficulty/expect use the allowed values; text and note are non-empty; the
two label rules the shared corpus README makes mechanical (official accounts and DMs never carry
`disclaimer`). Per bundle: the postguard/1 fields, slugs, prefixes of handles (@) and hashtags (#),
and example.* domains only. In texts: phone numbers must be in Ofcom's drama range (07700 900000-900999)
and e-mail addresses must use example.* domains, so nothing real is published.

Stdlib only, so it runs anywhere python3 does.

Usage: python3 validate_corpus.py CORPUS_DIR|CASES.jsonl [--counts]
  exit 0 = valid, 1 = problems (each printed as "<file>:<line>: <code>: <message>"), 2 = usage.
  --counts also prints Markdown count tables (by org, surface, account, difficulty, site) for a README.
"""
import json
import os
import re
import sys
from collections import Counter

# The shared corpus README lists the usual composer hosts and ends with "…", so any bare host name is a
# valid site (snapchat.com, whatsapp.com); a URL, a capital letter or a path is a mistake.
SITE = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
SURFACES = {"post", "comment", "dm", "bio"}
ACCOUNTS = {"personal", "official"}
DIFFICULTIES = {"easy", "hard"}
CATEGORIES = ["disclaimer", "pupil_contact", "pupil_privacy", "confidential"]
FIELDS = ["id", "org", "school", "site", "surface", "account", "text", "expect", "difficulty", "note"]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CASE_ID = re.compile(r"^([a-z]+)(\d{3,})$")
# A probe batch written by one engineer of a session ("d1-007"): its own ids, unique but outside
# the file's <prefix>NNN run, so parallel writers can append to the same file.
BATCH_ID = re.compile(r"^[a-z]+[0-9]+-[0-9]{3}$")
# Invented data only: any UK-mobile-looking number must be in Ofcom's drama range, any domain must be
# an example.* one (RFC 2606 reserves "example" so none of these can ever belong to a real school).
PHONE = re.compile(r"(?<!\d)(?:\+44\s?7|07)\d{3}\s?\d{3}\s?\d{3}(?!\d)")
DRAMA = re.compile(r"^(?:\+44\s?7|07)700\s?900\s?\d{3}$")
EMAIL_DOMAIN = re.compile(r"[\w.+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
# Public webmail providers may appear in drafts (a staff member's personal mailbox is a kind of
# language the rules must recognise); organisations' domains must still be example.* ones.
PERSONAL_WEBMAIL = {"gmail.com", "googlemail.com", "hotmail.com", "hotmail.co.uk", "outlook.com", "live.co.uk",
                    "yahoo.com", "yahoo.co.uk", "icloud.com", "btinternet.com", "aol.com", "sky.com"}
EXAMPLE_DOMAIN = re.compile(r"(^|\.)example\.")


class Report:
    def __init__(self):
        self.problems = []

    def add(self, where, code, message):
        self.problems.append("%s: %s: %s" % (where, code, message))


def check_identity(report, where, ident):
    if not isinstance(ident, dict):
        report.add(where, "bad_identity", "must be a JSON object")
        return
    if not isinstance(ident.get("id"), str) or not SLUG.match(ident.get("id", "")):
        report.add(where, "bad_id", "id must be a lower-case slug")
    if not isinstance(ident.get("name"), str) or not ident.get("name"):
        report.add(where, "missing_name", "name is required")
    for key, prefix in (("aliases", None), ("handles", "@"), ("domains", None), ("hashtags", "#")):
        values = ident.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            report.add(where, "bad_list", "%s must be a list of non-empty strings" % key)
            continue
        if prefix and any(not v.startswith(prefix) for v in values):
            report.add(where, "bad_prefix", "every entry of %s must start with %s" % (key, prefix))
        if key == "domains" and any(not EXAMPLE_DOMAIN.search(v) for v in values):
            report.add(where, "real_domain", "domains must be example.* (invented) domains")


def load_bundles(report, org_dir):
    """Returns {org id: (set of school ids, stand-alone?)}."""
    bundles = {}
    if not os.path.isdir(org_dir):
        report.add(org_dir, "no_orgs", "the corpus folder needs an orgs/ folder of bundles")
        return bundles
    for name in sorted(os.listdir(org_dir)):
        if not name.endswith(".json"):
            continue
        where = os.path.join("orgs", name)
        try:
            with open(os.path.join(org_dir, name), encoding="utf-8") as f:
                bundle = json.load(f)
        except (OSError, ValueError) as e:
            report.add(where, "bundle_unreadable", str(e))
            continue
        if not isinstance(bundle, dict):
            report.add(where, "bad_bundle", "a bundle must be a JSON object")
            continue
        if bundle.get("format") != "postguard/1":
            report.add(where, "bad_format", "format must be postguard/1")
        org = bundle.get("organisation", {})
        check_identity(report, where + " organisation", org)
        if not isinstance(org, dict) or org.get("id") != name[:-5]:
            report.add(where, "id_mismatch", "organisation.id must equal the file name without .json")
            if not isinstance(org, dict):
                continue
        if not isinstance(bundle.get("disclaimer", {}).get("text"), str):
            report.add(where, "missing_disclaimer", "disclaimer.text is required")
        school_list = bundle.get("schools", [])
        if not isinstance(school_list, list):
            report.add(where, "bad_schools", "schools must be a list (empty for a stand-alone school)")
            school_list = []
        schools = set()
        for school in school_list:
            sid = school.get("id") if isinstance(school, dict) else None
            check_identity(report, where + " school " + str(sid), school)
            if sid in schools:
                report.add(where, "duplicate_school", "school id %s repeated" % sid)
            schools.add(sid)
            if isinstance(school, dict) and "disclaimer" in school \
                    and not isinstance(school["disclaimer"].get("text"), str):
                report.add(where, "bad_disclaimer", "school %s disclaimer needs text" % sid)
        bundles[org.get("id")] = (schools, not school_list)
    return bundles


def check_cases(report, path, bundles, rows):
    name = os.path.basename(path)
    seen = set()
    prefix = None
    n = 0
    batch = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            where = "%s:%d" % (name, lineno)
            if not line.strip():
                report.add(where, "blank_line", "blank lines are not allowed")
                continue
            try:
                case = json.loads(line)
            except ValueError as e:
                report.add(where, "bad_json", str(e))
                continue
            n += 1
            if not isinstance(case, dict):
                report.add(where, "bad_fields", "a case must be a JSON object")
                continue
            if list(case.keys()) != FIELDS:
                report.add(where, "bad_fields", "fields must be exactly %s in that order" % FIELDS)
            cid = case.get("id")
            if cid in seen:
                report.add(where, "duplicate_id", "id %s repeated" % cid)
            seen.add(cid)
            m = CASE_ID.match(cid) if isinstance(cid, str) else None
            if prefix is None and m:
                prefix, width = m.group(1), len(m.group(2))
            if isinstance(cid, str) and BATCH_ID.match(cid):
                batch += 1
            expected = "%s%0*d" % (prefix, width, n - batch) if prefix else None
            if cid != expected and not (isinstance(cid, str) and BATCH_ID.match(cid)):
                report.add(where, "id_sequence", "expected id %s, found %s" % (expected or "<letters><digits>", cid))
            org = case.get("org")
            if org not in bundles:
                report.add(where, "unknown_org", "no bundle orgs/%s.json" % org)
            else:
                schools, standalone = bundles[org]
                # school null means trust-central staff, or any case of a stand-alone school.
                if case.get("school") is not None and case.get("school") not in schools:
                    report.add(where, "unknown_school", "school %s is not in orgs/%s.json%s" % (
                        case.get("school"), org, " (a stand-alone school's cases use null)" if standalone else ""))
            if not isinstance(case.get("site"), str) or not SITE.match(case["site"]):
                report.add(where, "bad_site", "site %r must be a bare host name such as x.com" % case.get("site"))
            for key, allowed in (("surface", SURFACES), ("account", ACCOUNTS),
                                 ("difficulty", DIFFICULTIES)):
                if case.get(key) not in allowed:
                    report.add(where, "bad_" + key, "%s %r not in %s" % (key, case.get(key), sorted(allowed)))
            expect = case.get("expect")
            if not isinstance(expect, list) or any(e not in CATEGORIES for e in expect) \
                    or len(set(expect)) != len(expect):
                report.add(where, "bad_expect", "expect must list distinct categories from %s" % CATEGORIES)
                expect = []
            text = case.get("text") if isinstance(case.get("text"), str) else ""
            if not text.strip():
                report.add(where, "empty_text", "text is required")
            for number in PHONE.findall(text):
                if not DRAMA.match(number):
                    report.add(where, "real_phone", "phone number %s is not in the 07700 900xxx drama range" % number)
            for domain in EMAIL_DOMAIN.findall(text):
                if not EXAMPLE_DOMAIN.search(domain.lower()) and domain.lower() not in PERSONAL_WEBMAIL:
                    report.add(where, "real_domain", "e-mail domain %s is not an example.* domain" % domain)
            if not isinstance(case.get("note"), str) or not case["note"].strip():
                report.add(where, "empty_note", "every case needs a note explaining its label")
            # Label rules that follow from the shared corpus README and can be checked mechanically.
            if "disclaimer" in expect and case.get("account") == "official":
                report.add(where, "label_rule", "official accounts never need a disclaimer")
            if "disclaimer" in expect and case.get("surface") == "dm":
                report.add(where, "label_rule", "a DM never needs a disclaimer")
            rows.append(dict(case, expect=expect))
    return n


def table(rows, key, title):
    groups = Counter(str(r.get(key)) for r in rows)
    head = "| %s | cases | clean | %s |" % (title, " | ".join(CATEGORIES))
    lines = [head, "|" + "---|" * (3 + len(CATEGORIES))]

    def line(label, sel):
        cells = [str(len(sel)), str(sum(1 for r in sel if not r["expect"]))]
        cells += [str(sum(1 for r in sel if c in r["expect"])) for c in CATEGORIES]
        return "| %s | %s |" % (label, " | ".join(cells))
    for value, _ in groups.most_common():
        lines.append(line(value, [r for r in rows if str(r.get(key)) == value]))
    lines.append(line("**all**", rows))
    return "\n".join(lines)


def print_counts(rows):
    combos = Counter(" + ".join(r["expect"]) for r in rows if len(r["expect"]) > 1)
    clean = sum(1 for r in rows if not r["expect"])
    print("\n%d cases: %d clean (%d%%), %d labelled, %d multi-label" % (
        len(rows), clean, round(100.0 * clean / max(1, len(rows))), len(rows) - clean, sum(combos.values())))
    for combo, count in combos.most_common():
        print("  %d %s" % (count, combo))
    for key in ("org", "surface", "account", "difficulty", "site"):
        print("\nBy %s:\n\n%s" % (key, table(rows, key, "")))


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    flags = [a for a in argv if a.startswith("--")]
    if len(args) != 1 or any(f != "--counts" for f in flags):
        print(__doc__.strip().split("\n\n")[-1], file=sys.stderr)
        return 2
    target = os.path.abspath(args[0])
    if os.path.isdir(target):
        folder = target
        case_files = sorted(os.path.join(folder, n) for n in os.listdir(folder) if n.endswith(".jsonl"))
    else:
        folder, case_files = os.path.dirname(target), [target]
    report = Report()
    if not case_files:
        report.add(folder, "no_cases", "no *.jsonl case file in the folder")
    bundles = load_bundles(report, os.path.join(folder, "orgs"))
    rows = []
    n = 0
    for path in case_files:
        try:
            n += check_cases(report, path, bundles, rows)
        except (OSError, UnicodeDecodeError) as e:
            report.add(os.path.basename(path), "unreadable", str(e))
    for p in report.problems:
        print(p)
    counts = Counter("clean" if not r["expect"] else "labelled" for r in rows)
    for r in rows:
        counts.update(r["expect"])
    print("%d cases in %d file(s), %d problems; %s" % (n, len(case_files), len(report.problems),
                                                       dict(sorted(counts.items()))))
    if "--counts" in flags:
        print_counts(rows)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
