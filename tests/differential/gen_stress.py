#!/usr/bin/env python3
"""Generated drafts for comparing two builds of the core (compare-builds.sh).

Deterministic (fixed seed): the same command gives the same cases, so two
builds see identical input. Built from the corpus texts, transformed the ways
the folder has to cope with: look-alike letters, full-width forms, spaced and
dotted letters, digit swaps, emoji and ZWJ sequences, combining marks, random
Unicode, very long documents and very long words.
Usage: gen_stress.py CORPUS.jsonl ORGS_DIR [COUNT]  -> JSONL cases on stdout
"""
import json
import os
import random
import sys

corpus, orgs_dir = sys.argv[1], sys.argv[2]
count = int(sys.argv[3]) if len(sys.argv) > 3 else 400
rng = random.Random(20261201)

texts = [json.loads(l)["text"] for l in open(corpus, encoding="utf-8") if l.strip()]
schools = []  # (org, school)
for f in sorted(os.listdir(orgs_dir)):
    if f.endswith(".json"):
        d = json.load(open(os.path.join(orgs_dir, f), encoding="utf-8"))
        for s in d.get("schools", []):
            schools.append((f[:-5], s["id"]))

LOOKALIKE = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
             "A": "Α", "B": "Β", "E": "Ε", "H": "Η", "K": "Κ", "M": "Μ", "O": "Ο", "P": "Ρ", "T": "Τ"}
EMOJI = ["😀", "👍🏽", "👩‍👩‍👧‍👦", "🏳️‍🌈", "❤️", "🇬🇧", "🎉", "😂", "👨🏿‍🏫", "🧑‍🎓"]
MARKS = ["\u0301", "\u0308", "\u0327", "\u20dd", "\u0336"]
FORMAT = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
SPACES = [" ", "\u00a0", "\u2009", "\u3000", "\t", "\n", "\r\n"]


def random_unicode(n):
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.5:
            cp = rng.randrange(0x20, 0x7F)
        elif r < 0.8:
            cp = rng.randrange(0xA0, 0x3000)
        elif r < 0.9:
            cp = rng.randrange(0x1F300, 0x1FAFF)
        else:
            cp = rng.randrange(0x3000, 0xFFFD)
        if 0xD800 <= cp <= 0xDFFF:
            cp = 0x41
        out.append(chr(cp))
    return "".join(out)


def lookalikes(t):
    return "".join(LOOKALIKE.get(c, c) if rng.random() < 0.3 else c for c in t)


def fullwidth(t):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and rng.random() < 0.5 else c for c in t)


def spaced(t):
    words = t.split(" ")
    sep = rng.choice([" ", ".", "-", " . ", "*", "_"])
    return " ".join(sep.join(w) if rng.random() < 0.3 else w for w in words)


def digits(t):
    sw = {"a": "4", "e": "3", "o": "0", "i": "1", "s": "5", "t": "7"}
    return "".join(sw.get(c, c) if rng.random() < 0.2 else c for c in t)


def sprinkle(t, pool, p):
    return "".join(c + (rng.choice(pool) if rng.random() < p else "") for c in t)


def casing(t):
    r = rng.random()
    if r < 0.3:
        return t.upper()
    if r < 0.6:
        return t.lower()
    return "".join(c.upper() if rng.random() < 0.5 else c for c in t)


def long_doc(n_bytes):
    parts, size = [], 0
    while size < n_bytes:
        x = rng.choice(texts)
        if rng.random() < 0.3:
            x = rng.choice(TRANSFORMS)(x)
        parts.append(x)
        size += len(x.encode("utf-8")) + 2
    return "\n\n".join(parts)


TRANSFORMS = [lookalikes, fullwidth, spaced, digits, casing,
              lambda t: sprinkle(t, EMOJI, 0.05), lambda t: sprinkle(t, MARKS, 0.1),
              lambda t: sprinkle(t, FORMAT, 0.1), lambda t: sprinkle(t, SPACES, 0.05),
              lambda t: t + " " + random_unicode(40), lambda t: random_unicode(20) + t]

cases = []
for i in range(count):
    r = rng.random()
    if r < 0.03:
        text = long_doc(rng.choice([20000, 100000, 300000]))
    elif r < 0.05:
        text = random_unicode(rng.randrange(1, 3000))
    elif r < 0.06:
        text = rng.choice(["a", "é", "😀"]) * rng.randrange(1000, 20000)  # one huge word
    elif r < 0.07:
        text = rng.choice(["", " ", "\n", "\u200b", "s a l a r y", "p.4.y"])
    else:
        text = rng.choice(texts)
        for _ in range(rng.randrange(1, 4)):
            text = rng.choice(TRANSFORMS)(text)
        if rng.random() < 0.3:
            text = text + "\n\n" + rng.choice(texts)
    org, school = rng.choice(schools)
    cases.append({"id": "s%04d" % i, "org": org, "school": school,
                  "site": rng.choice(["x.com", "facebook.com", "www.linkedin.com", "tiktok.com", "example.org"]),
                  "surface": rng.choice(["post", "comment", "dm", "bio"]),
                  "account": rng.choice(["personal", "official"]), "text": text})
for c in cases:
    print(json.dumps(c, ensure_ascii=False))
