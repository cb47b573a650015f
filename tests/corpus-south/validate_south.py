"""Checks south.jsonl against the corpus format: one JSON object per line, unique ids, known org/school,
only the four scored category names, every site/surface/account type covered, a note on every case."""
import json, sys, pathlib
here = pathlib.Path(__file__).parent
CATS = {"disclaimer", "pupil_contact", "pupil_privacy", "confidential"}
SITES = {"x.com","facebook.com","linkedin.com","instagram.com","tiktok.com","threads.net","bsky.app",
         "mastodon.social","youtube.com","web.whatsapp.com","wordpress.com","medium.com","reddit.com"}
orgs = {}
for f in (here / "orgs").glob("*.json"):
    b = json.loads(f.read_text(encoding="utf-8"))
    assert b["format"] == "postguard/1", f
    assert b["organisation"]["id"] == f.stem, f
    orgs[f.stem] = {s["id"] for s in b["schools"]}
errors, ids, seen = [], set(), {"site": set(), "surface": set(), "account": set()}
for n, line in enumerate((here / "south.jsonl").read_text(encoding="utf-8").splitlines(), 1):
    c = json.loads(line)
    if c["id"] in ids: errors.append(f"line {n}: duplicate id {c['id']}")
    ids.add(c["id"])
    if c["org"] not in orgs: errors.append(f"{c['id']}: unknown org {c['org']}")
    elif c["school"] is not None and c["school"] not in orgs[c["org"]]: errors.append(f"{c['id']}: unknown school")
    if not set(c["expect"]) <= CATS: errors.append(f"{c['id']}: bad category {c['expect']}")
    if c["site"] not in SITES or c["surface"] not in {"post","comment","dm","bio"} or c["account"] not in {"personal","official"}:
        errors.append(f"{c['id']}: bad site/surface/account")
    if c["difficulty"] not in {"easy","hard"} or not c.get("note") or not c.get("text"): errors.append(f"{c['id']}: missing field")
    if "disclaimer" in c["expect"] and (c["account"] == "official" or c["surface"] == "dm"):
        errors.append(f"{c['id']}: disclaimer cannot apply to official accounts or DMs")
    for k in seen: seen[k].add(c[k])
if seen["site"] != SITES: errors.append(f"sites missing: {SITES - seen['site']}")
if len(seen["surface"]) != 4 or len(seen["account"]) != 2: errors.append("surface/account coverage incomplete")
print("\n".join(errors) or f"ok: {len(ids)} cases")
sys.exit(1 if errors else 0)
