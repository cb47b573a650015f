#!/usr/bin/env python3
"""Which pack phrases are long enough to be someone's sentence, and occur in a corpus?

Rules must describe kinds of language, not a corpus's sentences. A phrase of
five or more words that a corpus text contains word for word is the sign of a
rule written for one example. This lists, for each pack phrase (after its
shorthand is expanded), the expansions of at least --min-words words that
occur in some corpus text, with how many alternatives the family has (a
family of hundreds that happens to produce "the kids are in bed" is a kind of
language; a plain five-word phrase found in one draft is a sentence).

    tests/corpus-tools/pack_overlap.py [--min-words 5] [--since REV] [CORPUS.jsonl ...]

With no corpus files it reads every tests/corpus-*/*.jsonl and the shared dev
corpus. With --since, only phrases that are new since that git revision are
listed. Exit 0 always: it is a report for a reviewer, not a gate.

The expansion mirrors shared-rules/src/match/phrase_expansion.cpp's shorthand
({a|b|} alternatives, {1-13} and {a-z} ranges keeping the bounds' width) so
that a reviewer can run it without building the core.
"""
import argparse
import glob
import itertools
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKS = os.path.join(ROOT, "shared-rules", "packs")


def alternatives(body):
    m = re.fullmatch(r"(\d+)-(\d+)", body)
    if m:
        lo, hi = m.group(1), m.group(2)
        width = len(lo) if len(lo) == len(hi) else 0
        return [str(i).zfill(width) for i in range(int(lo), int(hi) + 1)]
    m = re.fullmatch(r"([a-z])-([a-z])", body)
    if m:
        return [chr(c) for c in range(ord(m.group(1)), ord(m.group(2)) + 1)]
    return body.split("|")


def expand(phrase, limit=5000):
    parts = re.split(r"(\{[^{}]*\})", phrase)
    choices = [alternatives(p[1:-1]) if p.startswith("{") else [p] for p in parts]
    total = 1
    for c in choices:
        total *= len(c)
    if total > limit:
        return []
    return ["".join(t) for t in itertools.product(*choices)]


def words(s):
    return re.findall(r"[a-z0-9']+", s.lower())


def pack_phrases(rev=None):
    """(pack file, set name, phrase) for every set phrase of the packs at rev (None: the working tree)."""
    out = []
    for path in sorted(glob.glob(os.path.join(PACKS, "*.json"))):
        name = os.path.basename(path)
        if rev:
            try:
                text = subprocess.run(["git", "-C", ROOT, "show", f"{rev}:shared-rules/packs/{name}"],
                                      capture_output=True, text=True, check=True).stdout
            except subprocess.CalledProcessError:
                continue
        else:
            text = open(path, encoding="utf-8").read()
        for set_name, body in json.loads(text).get("sets", {}).items():
            for ph in body.get("phrases", []):
                out.append((name, set_name, ph))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-words", type=int, default=5)
    ap.add_argument("--since", help="only phrases new since this git revision")
    ap.add_argument("corpora", nargs="*")
    a = ap.parse_args()
    files = a.corpora or sorted(glob.glob(os.path.join(ROOT, "tests", "corpus-*", "*.jsonl")))
    dev = os.path.join(os.path.dirname(ROOT), "shared", "corpus", "dev.jsonl")
    if not a.corpora and os.path.exists(dev):
        files.append(dev)
    texts = []
    for f in files:
        for line in open(f, encoding="utf-8"):
            if line.strip():
                case = json.loads(line)
                texts.append((os.path.basename(f), case.get("id", "?"), " " + " ".join(words(case["text"])) + " "))
    phrases = pack_phrases()
    if a.since:
        old = {(p, s, ph) for p, s, ph in pack_phrases(a.since)}
        phrases = [x for x in phrases if x not in old]
    plain_long = found = 0
    for pack, set_name, ph in phrases:
        clean = ph.strip("=*")
        forms = expand(clean)
        long_forms = [f for f in forms if len(words(f)) >= a.min_words]
        if not long_forms:
            continue
        if len(forms) == 1:
            plain_long += 1
        hits = []
        for f in long_forms:
            needle = " " + " ".join(words(f)) + " "
            for corpus, cid, t in texts:
                if needle in t:
                    hits.append((f, corpus, cid))
        if hits:
            found += 1
            print(f"{pack} {set_name}: {ph!r} ({len(forms)} forms)")
            for f, corpus, cid in hits[:5]:
                print(f"    {f!r} in {corpus} {cid}")
            if len(hits) > 5:
                print(f"    ... {len(hits) - 5} more")
    print(f"{len(phrases)} phrases checked; {plain_long} plain phrases of {a.min_words}+ words; "
          f"{found} phrases with a {a.min_words}+ word form found in {len(texts)} corpus texts", file=sys.stderr)


if __name__ == "__main__":
    main()
