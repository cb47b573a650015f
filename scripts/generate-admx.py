#!/usr/bin/env python3
"""Generates the Windows Group Policy templates (ADMX + ADML) for PostGuard.

The extension's settings come from extension/managed_schema.json (one GPO setting per top-level
property, for Google Chrome and for Microsoft Edge); the native host's machine settings are the
registry values policy_sources_windows.cpp reads. Output:

  OUT/postguard.admx
  OUT/en-US/postguard.adml
  OUT/cy-GB/postguard.adml

Usage:
  python3 scripts/generate-admx.py [--chrome-id ID] [--edge-id ID] [--out DIR]
  python3 scripts/generate-admx.py --check      # exit 1 if docs/admin/windows/admx is out of date

Without --chrome-id/--edge-id the id of the development key in extension/manifest.json is used
(what the committed templates carry); generate your own with the ids your stores assigned.
Python standard library only, so it runs on an admin's machine as it is.
"""
import argparse
import base64
import hashlib
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "extension" / "managed_schema.json"
MANIFEST = ROOT / "extension" / "manifest.json"
COMMITTED = ROOT / "docs" / "admin" / "windows" / "admx"

NS = "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"
PREFIX = "postguard"
NAMESPACE = "PostGuard.Policies.PostGuard"

# Where each browser reads an extension's managed storage ("3rdparty" policy), HKLM or HKCU.
BROWSERS = [
    ("chrome", "Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\{id}\\policy"),
    ("edge", "Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\{id}\\policy"),
]
# The native host's values under HKLM (native-host/src/host/policy_sources_windows.cpp:
# policy_value(L"...")). Kept here by hand because they are C++ code, not a schema; the
# deploy-kit test checks this list against that file.
HOST_KEY = "Software\\Policies\\PostGuard"
HOST_VALUES = [
    # (value name, kind, max length)
    ("PolicyFile", "path", 1023),
    ("PolicyJson", "json", 1000000),
    ("School", "text", 255),
]

# Strings per language. English titles/descriptions of the extension settings come from the schema
# itself; everything else is here. Welsh: plain wording, to be reviewed by a Welsh speaker.
TEXT = {
    "en-US": {
        "displayName": "PostGuard",
        "description": "PostGuard: school social media policy checks in the browser.",
        "cat_postguard": "PostGuard",
        "cat_chrome": "PostGuard for Google Chrome",
        "cat_edge": "PostGuard for Microsoft Edge",
        "cat_host": "PostGuard native host (machine)",
        "sup_chrome": "Google Chrome 116 or later with the PostGuard extension",
        "sup_edge": "Microsoft Edge 116 or later with the PostGuard extension",
        "sup_host": "PostGuard native host 0.1 or later",
        "json_note": "Enter the JSON on one line (Chrome and Edge read a JSON string for this setting). "
                     "Check it first with: postguard policy validate FILE",
        "browser_note": "This setting is read by the PostGuard extension from the browser's managed storage.",
        "PolicyFile_title": "Policy file",
        "PolicyFile_explain": "Full path of the trust's policy file (e.g. %ProgramData%\\PostGuard\\policy.json "
                              "or a file on a share). When set, it is read instead of "
                              "%ProgramData%\\PostGuard\\policy.json; overlays in %ProgramData%\\PostGuard\\policy.d "
                              "still apply. The file and its folder must be owned by Administrators or SYSTEM "
                              "and not writable by ordinary users, or the host ignores them.",
        "PolicyJson_title": "Policy (JSON text)",
        "PolicyJson_explain": "A policy file's content as JSON text, applied after the policy file and the "
                              "policy.d overlays. Useful for a small school overlay pushed by GPO or Intune.",
        "School_title": "School",
        "School_explain": "The id of this machine's school in the trust's policy (for example bideford-road). "
                          "Empty: trust-wide settings.",
        "label_PolicyFile": "Path",
        "label_PolicyJson": "JSON (one line)",
        "label_School": "School id",
    },
    "cy-GB": {
        "displayName": "PostGuard",
        "description": "PostGuard: gwirio polisi cyfryngau cymdeithasol yr ysgol yn y porwr.",
        "cat_postguard": "PostGuard",
        "cat_chrome": "PostGuard ar gyfer Google Chrome",
        "cat_edge": "PostGuard ar gyfer Microsoft Edge",
        "cat_host": "Gwesteiwr brodorol PostGuard (peiriant)",
        "sup_chrome": "Google Chrome 116 neu'n hwyrach gydag estyniad PostGuard",
        "sup_edge": "Microsoft Edge 116 neu'n hwyrach gydag estyniad PostGuard",
        "sup_host": "Gwesteiwr brodorol PostGuard 0.1 neu'n hwyrach",
        "json_note": "Rhowch y JSON ar un llinell (mae Chrome ac Edge yn darllen llinyn JSON ar gyfer y "
                     "gosodiad hwn). Gwiriwch ef yn gyntaf gyda: postguard policy validate FFEIL",
        "browser_note": "Mae estyniad PostGuard yn darllen y gosodiad hwn o storfa reoledig y porwr.",
        "PolicyFile_title": "Ffeil polisi",
        "PolicyFile_explain": "Llwybr llawn ffeil polisi'r ymddiriedolaeth (e.e. "
                              "%ProgramData%\\PostGuard\\policy.json neu ffeil ar gyfran). Pan fydd wedi'i "
                              "gosod, caiff ei darllen yn lle %ProgramData%\\PostGuard\\policy.json; mae'r "
                              "troshaenau yn %ProgramData%\\PostGuard\\policy.d yn dal i fod yn berthnasol. "
                              "Rhaid i'r ffeil a'i ffolder fod yn eiddo i Administrators neu SYSTEM a heb fod "
                              "yn ysgrifenadwy gan ddefnyddwyr cyffredin, neu bydd y gwesteiwr yn eu hanwybyddu.",
        "PolicyJson_title": "Polisi (testun JSON)",
        "PolicyJson_explain": "Cynnwys ffeil polisi fel testun JSON, a gymhwysir ar ôl y ffeil polisi a "
                              "throshaenau policy.d. Defnyddiol ar gyfer troshaen ysgol fach drwy GPO neu Intune.",
        "School_title": "Ysgol",
        "School_explain": "Id ysgol y peiriant hwn ym mholisi'r ymddiriedolaeth (er enghraifft bideford-road). "
                          "Gwag: gosodiadau'r ymddiriedolaeth gyfan.",
        "label_PolicyFile": "Llwybr",
        "label_PolicyJson": "JSON (un llinell)",
        "label_School": "Id yr ysgol",
        # The extension's settings (English comes from the schema's title/description).
        "prop_policy_title": "Polisi PostGuard",
        "prop_policy_description": "Ffeil polisi'r ymddiriedolaeth (bwndel y sefydliad a gosodiadau'r "
                                   "rheolau) fel gwrthrych; gweler docs/policy-format.md.",
        "prop_policyJson_title": "Polisi PostGuard (testun JSON)",
        "prop_policyJson_description": "Yr un ffeil polisi fel testun JSON, ar gyfer consolau sydd ond yn "
                                       "derbyn llinynnau. Fe'i defnyddir pan nad yw 'policy' wedi'i osod.",
        "prop_school_title": "Ysgol",
        "prop_school_description": "Id ysgol y peiriant hwn ym mholisi'r ymddiriedolaeth (gwag: gosodiadau'r "
                                   "ymddiriedolaeth gyfan).",
        "prop_allowSitePause_title": "Caiff staff oedi'r gwiriadau ar wefan",
    },
}


def extension_id_from_manifest():
    """Chromium's id for the manifest's development key: sha256 of the DER key, first 32 hex
    digits mapped 0-9a-f -> a-p."""
    key = json.loads(MANIFEST.read_text(encoding="utf-8"))["key"]
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(c, 16)) for c in digest)


def schema_properties():
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    props = schema.get("properties", {})
    if schema.get("type") != "object" or not props:
        sys.exit(f"{SCHEMA}: expected a top-level object schema with properties")
    return props


def prop_strings(lang, name, prop):
    """Title and explanation of an extension setting in `lang`."""
    en_title = prop.get("title", name)
    en_desc = prop.get("description", "")
    t = TEXT[lang]
    # A missing translation falls back to English: better than an empty explanation.
    title = t.get(f"prop_{name}_title", en_title)
    desc = t.get(f"prop_{name}_description", en_desc)
    parts = [p for p in (desc, t["browser_note"]) if p]
    if prop.get("type") in ("object", "array"):
        parts.append(t["json_note"])
    return title, "\n\n".join(parts)


def sub(parent, tag, **attrs):
    el = ET.SubElement(parent, tag)
    for k, v in attrs.items():
        el.set(k.rstrip("_"), str(v))
    return el


def element_for(parent, elem_id, value_name, kind, max_length=None):
    """An ADMX element storing one registry value. Objects and arrays are stored as a JSON
    string (REG_SZ): Chrome and Edge parse a JSON string for a dictionary or list property."""
    if kind in ("string", "object", "array", "text", "json", "path"):
        attrs = {"id": elem_id, "valueName": value_name}
        if kind == "path":
            attrs["expandable"] = "true"  # REG_EXPAND_SZ: %ProgramData% works
        if max_length:
            attrs["maxLength"] = max_length
        sub(parent, "text", **attrs)
        return "textBox"
    if kind == "integer":
        sub(parent, "decimal", id=elem_id, valueName=value_name)
        return "decimalTextBox"
    raise SystemExit(f"no ADMX element for a setting of type {kind!r} ({value_name}); extend generate-admx.py")


def build(chrome_id, edge_id):
    props = schema_properties()
    admx = ET.Element("policyDefinitions")
    admx.set("xmlns:xsd", "http://www.w3.org/2001/XMLSchema")
    admx.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
    admx.set("revision", "1.0")
    admx.set("schemaVersion", "1.0")
    admx.set("xmlns", NS)
    ns = sub(admx, "policyNamespaces")
    sub(ns, "target", prefix=PREFIX, namespace=NAMESPACE)
    sub(admx, "resources", minRequiredRevision="1.0")
    sup = sub(sub(admx, "supportedOn"), "definitions")
    for s in ("chrome", "edge", "host"):
        sub(sup, "definition", name=f"SUPPORTED_{s.upper()}", displayName=f"$(string.sup_{s})")
    cats = sub(admx, "categories")
    sub(cats, "category", name="cat_postguard", displayName="$(string.cat_postguard)")
    for c in ("chrome", "edge", "host"):
        cat = sub(cats, "category", name=f"cat_{c}", displayName=f"$(string.cat_{c})")
        sub(cat, "parentCategory", ref="cat_postguard")
    policies = sub(admx, "policies")

    # Strings and presentations, filled per language below from these descriptions.
    strings = []        # (id, callable(lang) -> text)
    presentations = []  # (id, kind, refId, callable(lang) -> label)
    ids = {"chrome": chrome_id, "edge": edge_id}

    for browser, key in BROWSERS:
        for name, prop in props.items():
            kind = prop.get("type", "string")
            pol_name = f"{browser}_{name}"
            attrs = dict(name=pol_name, class_="Both", displayName=f"$(string.prop_{name})",
                         explainText=f"$(string.prop_{name}_explain)", key=key.format(id=ids[browser]))
            needs_presentation = kind != "boolean"
            if needs_presentation:
                attrs["presentation"] = f"$(presentation.prop_{name})"
            if kind == "boolean":
                attrs["valueName"] = name
            pol = sub(policies, "policy", **attrs)
            sub(pol, "parentCategory", ref=f"cat_{browser}")
            sub(pol, "supportedOn", ref=f"SUPPORTED_{browser.upper()}")
            if kind == "boolean":
                sub(sub(pol, "enabledValue"), "decimal", value="1")
                sub(sub(pol, "disabledValue"), "decimal", value="0")
            else:
                max_len = 1000000 if kind in ("object", "array") or name.endswith("Json") else None
                pres_kind = element_for(sub(pol, "elements"), name, name, kind, max_len)
                if browser == BROWSERS[0][0]:
                    presentations.append((f"prop_{name}", pres_kind, name,
                                          lambda lang, n=name, p=prop: prop_strings(lang, n, p)[0]))
            if browser == BROWSERS[0][0]:
                strings.append((f"prop_{name}", lambda lang, n=name, p=prop: prop_strings(lang, n, p)[0]))
                strings.append((f"prop_{name}_explain", lambda lang, n=name, p=prop: prop_strings(lang, n, p)[1]))

    for value, kind, max_len in HOST_VALUES:
        pol = sub(policies, "policy", name=f"host_{value}", class_="Machine", displayName=f"$(string.{value}_title)",
                  explainText=f"$(string.{value}_explain)", key=HOST_KEY, presentation=f"$(presentation.host_{value})")
        sub(pol, "parentCategory", ref="cat_host")
        sub(pol, "supportedOn", ref="SUPPORTED_HOST")
        pres_kind = element_for(sub(pol, "elements"), value, value, kind, max_len)
        presentations.append((f"host_{value}", pres_kind, value, lambda lang, v=value: TEXT[lang][f"label_{v}"]))
        strings.append((f"{value}_title", lambda lang, v=value: TEXT[lang][f"{v}_title"]))
        strings.append((f"{value}_explain", lambda lang, v=value: TEXT[lang][f"{v}_explain"]))

    for key in ("cat_postguard", "cat_chrome", "cat_edge", "cat_host", "sup_chrome", "sup_edge", "sup_host"):
        strings.append((key, lambda lang, k=key: TEXT[lang][k]))

    admls = {}
    for lang in TEXT:
        root = ET.Element("policyDefinitionResources")
        root.set("xmlns:xsd", "http://www.w3.org/2001/XMLSchema")
        root.set("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance")
        root.set("revision", "1.0")
        root.set("schemaVersion", "1.0")
        root.set("xmlns", NS)
        sub(root, "displayName").text = TEXT[lang]["displayName"]
        sub(root, "description").text = TEXT[lang]["description"]
        res = sub(root, "resources")
        table = sub(res, "stringTable")
        for sid, text in sorted(strings, key=lambda s: s[0]):
            sub(table, "string", id=sid).text = text(lang)
        ptable = sub(res, "presentationTable")
        for pid, kind, ref, label in presentations:
            pres = sub(ptable, "presentation", id=pid)
            box = sub(pres, kind, refId=ref)
            if kind == "textBox":
                sub(box, "label").text = label(lang)
            else:  # decimalTextBox and the like carry their label as text
                box.text = label(lang)
        admls[lang] = root
    return admx, admls


def serialise(root):
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def outputs(chrome_id, edge_id):
    admx, admls = build(chrome_id, edge_id)
    files = {"postguard.admx": serialise(admx)}
    for lang, root in admls.items():
        files[f"{lang}/postguard.adml"] = serialise(root)
    return files


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    dev_id = extension_id_from_manifest()
    ap.add_argument("--chrome-id", default=dev_id, help="the extension's id in the Chrome Web Store")
    ap.add_argument("--edge-id", default=None, help="the extension's id in Edge Add-ons (default: --chrome-id)")
    ap.add_argument("--out", default=str(COMMITTED), help="output folder (default: docs/admin/windows/admx)")
    ap.add_argument("--check", action="store_true", help="compare with --out instead of writing; exit 1 if different")
    args = ap.parse_args()
    for i in (args.chrome_id, args.edge_id or args.chrome_id):
        if len(i) != 32 or any(c < "a" or c > "p" for c in i):
            sys.exit(f"generate-admx: {i!r} is not an extension id (32 letters a-p)")
    files = outputs(args.chrome_id, args.edge_id or args.chrome_id)
    out = Path(args.out)
    stale = []
    for rel, text in files.items():
        path = out / rel
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    if stale:
        print("generate-admx: out of date with extension/managed_schema.json (run python3 scripts/generate-admx.py):",
              *stale, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
