#!/usr/bin/env python3
"""Check the West (Lancashire/Cumbria, Scotland, Birmingham) corpus for structural mistakes before it is scored.

Checks: every line of west.jsonl is a JSON object with exactly the case fields; ids are unique and
follow w001..wNNN; org names a bundle in orgs/ and school is an id in that bundle (or null);
site/surface/account/difficulty/expect use the allowed values; notes are non-empty; the bundles
themselves have the postguard/1 fields and use only example.* domains; phone numbers in texts are in Ofcom's drama range (07700 900000-900999)
and e-mail addresses in texts use example.* domains, so nothing real is published. Stdlib only so it
runs anywhere python3 does.

Usage: python3 validate_corpus.py [corpus.jsonl]   (exit 0 = valid; each problem printed as
"<file>:<line>: <code>: <message>")
"""
import json
import os
import re
import sys
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
SITES = {"x.com", "facebook.com", "linkedin.com", "instagram.com", "tiktok.com", "threads.net",
         "bsky.app", "mastodon.social", "youtube.com", "web.whatsapp.com", "wordpress.com",
         "medium.com", "reddit.com"}
SURFACES = {"post", "comment", "dm", "bio"}
ACCOUNTS = {"personal", "official"}
DIFFICULTIES = {"easy", "hard"}
CATEGORIES = {"disclaimer", "pupil_contact", "pupil_privacy", "confidential"}
FIELDS = ["id", "org", "school", "site", "surface", "account", "text", "expect", "difficulty", "note"]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Invented data only: any UK-mobile-looking number must be in Ofcom's drama range, any domain must be
# an example.* one (RFC 2606 reserves "example" so none of these can ever belong to a real school).
PHONE = re.compile(r"(?<!\d)(?:\+44\s?7|07)\d{3}\s?\d{6}(?!\d)")
DRAMA = re.compile(r"^(?:\+44\s?7|07)700\s?900\d{3}$")
EMAIL_DOMAIN = re.compile(r"[\w.+-]+@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)")
EXAMPLE_DOMAIN = re.compile(r"(^|\.)example\.")

problems = []


def problem(where, code, message):
    problems.append("%s: %s: %s" % (where, code, message))


def check_identity(where, ident):
    if not isinstance(ident.get("id"), str) or not SLUG.match(ident.get("id", "")):
        problem(where, "bad_id", "id must be a lower-case slug")
    if not isinstance(ident.get("name"), str) or not ident.get("name"):
        problem(where, "missing_name", "name is required")
    for key, prefix in (("aliases", None), ("handles", "@"), ("domains", None), ("hashtags", "#")):
        values = ident.get(key, [])
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            problem(where, "bad_list", "%s must be a list of non-empty strings" % key)
            continue
        if prefix and any(not v.startswith(prefix) for v in values):
            problem(where, "bad_prefix", "every entry of %s must start with %s" % (key, prefix))
        if key == "domains" and any(not EXAMPLE_DOMAIN.search(v) for v in values):
            problem(where, "real_domain", "domains must be example.* (invented) domains")


def load_bundles():
    bundles = {}
    org_dir = os.path.join(HERE, "orgs")
    for name in sorted(os.listdir(org_dir)):
        if not name.endswith(".json"):
            continue
        where = os.path.join("orgs", name)
        try:
            with open(os.path.join(org_dir, name), encoding="utf-8") as f:
                bundle = json.load(f)
        except (OSError, ValueError) as e:
            problem(where, "bundle_unreadable", str(e))
            continue
        if bundle.get("format") != "postguard/1":
            problem(where, "bad_format", "format must be postguard/1")
        org = bundle.get("organisation", {})
        check_identity(where + " organisation", org)
        if org.get("id") != name[:-5]:
            problem(where, "id_mismatch", "organisation.id must equal the file name without .json")
        if not isinstance(bundle.get("disclaimer", {}).get("text"), str):
            problem(where, "missing_disclaimer", "disclaimer.text is required")
        schools = set()
        for school in bundle.get("schools", []):
            check_identity(where + " school " + str(school.get("id")), school)
            if school.get("id") in schools:
                problem(where, "duplicate_school", "school id %s repeated" % school.get("id"))
            schools.add(school.get("id"))
            if "disclaimer" in school and not isinstance(school["disclaimer"].get("text"), str):
                problem(where, "bad_disclaimer", "school %s disclaimer needs text" % school.get("id"))
        if not isinstance(bundle.get("schools", []), list):
            problem(where, "bad_schools", "schools must be a list (empty for a stand-alone school)")
        bundles[org.get("id")] = schools
    return bundles


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "west.jsonl")
    bundles = load_bundles()
    seen = set()
    counts = Counter()
    n = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            where = "%s:%d" % (os.path.basename(path), lineno)
            if not line.strip():
                problem(where, "blank_line", "blank lines are not allowed")
                continue
            try:
                case = json.loads(line)
            except ValueError as e:
                problem(where, "bad_json", str(e))
                continue
            n += 1
            if not isinstance(case, dict) or list(case.keys()) != FIELDS:
                problem(where, "bad_fields", "fields must be exactly %s in that order" % FIELDS)
                if not isinstance(case, dict):
                    continue
            cid = case.get("id")
            if cid in seen:
                problem(where, "duplicate_id", "id %s repeated" % cid)
            seen.add(cid)
            if cid != "w%03d" % n:
                problem(where, "id_sequence", "expected id w%03d, found %s" % (n, cid))
            org = case.get("org")
            if org not in bundles:
                problem(where, "unknown_org", "no bundle orgs/%s.json" % org)
            # school null means trust-central staff (or a stand-alone school with no schools list).
            elif case.get("school") is not None and case.get("school") not in bundles[org]:
                problem(where, "unknown_school", "school %s is not in orgs/%s.json" % (case.get("school"), org))
            for key, allowed in (("site", SITES), ("surface", SURFACES), ("account", ACCOUNTS),
                                 ("difficulty", DIFFICULTIES)):
                if case.get(key) not in allowed:
                    problem(where, "bad_" + key, "%s %r not in %s" % (key, case.get(key), sorted(allowed)))
            expect = case.get("expect")
            if not isinstance(expect, list) or any(e not in CATEGORIES for e in expect) \
                    or len(set(expect)) != len(expect):
                problem(where, "bad_expect", "expect must list distinct categories from %s" % sorted(CATEGORIES))
                expect = []
            if not isinstance(case.get("text"), str) or not case["text"].strip():
                problem(where, "empty_text", "text is required")
            text = case.get("text") if isinstance(case.get("text"), str) else ""
            for number in PHONE.findall(text):
                if not DRAMA.match(number):
                    problem(where, "real_phone", "phone number %s is not in the 07700 900xxx drama range" % number)
            for domain in EMAIL_DOMAIN.findall(text):
                if not EXAMPLE_DOMAIN.search(domain.lower()):
                    problem(where, "real_domain", "e-mail domain %s is not an example.* domain" % domain)
            if not isinstance(case.get("note"), str) or not case["note"].strip():
                problem(where, "empty_note", "every case needs a note explaining its label")
            # Label rules that follow from the README and can be checked mechanically.
            if "disclaimer" in expect and case.get("account") == "official":
                problem(where, "label_rule", "official accounts never need a disclaimer")
            if "disclaimer" in expect and case.get("surface") == "dm":
                problem(where, "label_rule", "a DM never needs a disclaimer")
            counts["clean" if not expect else "labelled"] += 1
            for e in expect:
                counts[e] += 1
    for p in problems:
        print(p)
    print("%d cases, %d problems; %s" % (n, len(problems), dict(sorted(counts.items()))))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
