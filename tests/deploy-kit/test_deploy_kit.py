#!/usr/bin/env python3
"""Deployment kit tests (issue 6): every copy-paste example in docs/admin/ and every example policy
in docs/examples/ is loaded here and checked with the real CLI and host, the ADMX/ADML templates
are checked for well-formedness, references and agreement with the schema and the host's code,
and the .deb is built with CPack, inspected and unpacked.

  POSTGUARD_BUILD=build/native python3 -m unittest -v tests/deploy-kit/test_deploy_kit.py

POSTGUARD_BUILD: a configured build directory whose bin/ holds postguard and postguard-host.
Standard library only; dpkg-deb, cpack and xmllint from Debian.
"""
import copy
import glob
import json
import os
import plistlib
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = Path(os.environ.get("POSTGUARD_BUILD", ROOT / "build" / "native")).resolve()
PG = BUILD / "bin" / "postguard"
HOST = BUILD / "bin" / "postguard-host"
SHARED_ORGS = ROOT.parent / "shared" / "corpus" / "orgs"
DEV_CORPUS = ROOT.parent / "shared" / "corpus" / "dev.jsonl"
EXAMPLES = ROOT / "docs" / "examples"
ADMIN = ROOT / "docs" / "admin"
ADMIN_EX = ADMIN / "examples"
SCHEMA = json.loads((ROOT / "extension" / "managed_schema.json").read_text(encoding="utf-8"))
ORGS = ["ark", "acresfield", "tarka", "dudley", "auriga"]
# The Firefox add-on id the extension's build gives its Firefox package.
_BUILD_MJS = (ROOT / "extension" / "build.mjs").read_text(encoding="utf-8")
FIREFOX_ID = (re.search(r"GECKO_ID = '([^']+)'", _BUILD_MJS) or re.search(r"gecko: \{ id: '([^']+)'", _BUILD_MJS)).group(1)


def extension_id():
    sys.path.insert(0, str(ROOT / "scripts"))
    import importlib.util
    spec = importlib.util.spec_from_file_location("generate_admx", ROOT / "scripts" / "generate-admx.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.extension_id_from_manifest()


EXT_ID = extension_id()
CHROME_FORCE = f"{EXT_ID};https://clients2.google.com/service/update2/crx"
EDGE_FORCE = f"{EXT_ID};https://edge.microsoft.com/extensionwebstorebase/v1/crx"


def run(*args, env=None, input=None, check=True):
    e = dict(os.environ, LC_ALL="C", LANGUAGE="")
    if env:
        e.update(env)
    p = subprocess.run([str(a) for a in args], capture_output=True, env=e, input=input)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, args))} exited {p.returncode}:\n"
                             f"{p.stdout.decode(errors='replace')}\n{p.stderr.decode(errors='replace')}")
    return p


def validate_cli(*files):
    """`postguard policy validate`: exit 0 and every file OK."""
    p = run(PG, "policy", "validate", *files, check=False)
    out = p.stdout.decode() + p.stderr.decode()
    assert p.returncode == 0, f"postguard policy validate {' '.join(map(str, files))}:\n{out}"
    return out


def explain(files, school):
    args = [PG, "policy", "explain"]
    for f in files:
        args += ["--policy", f]
    if school:
        args += ["--school", school]
    return json.loads(run(*args).stdout)


def effective_rules(files, school):
    """Rule id -> (enabled, severity, message, policyRef) as the merged policy has them."""
    return {r["id"]: tuple(r[k]["value"] if isinstance(r.get(k), dict) else r.get(k)
                           for k in ("enabled", "severity", "message", "policyRef"))
            for r in explain(files, school)["rules"]}


def check_json(files, school, text, **ctx):
    args = [PG, "check", "--format", "json"]
    for f in files:
        args += ["--policy", f]
    if school:
        args += ["--school", school]
    for k, v in ctx.items():
        args += [f"--{k}", v]
    p = run(*args, text, check=False)
    assert p.returncode in (0, 1), p.stderr.decode()
    return json.loads(p.stdout)


def schema_errors(value, schema, path=""):
    """Chrome's managed_schema dialect (type, properties, items, additionalProperties, enum).
    Hand-written rather than python3-jsonschema because this must be stricter than both
    Chrome and JSON Schema here: a property the schema does not declare is an error, so a typo
    in an example fails instead of being dropped silently by the browser."""
    errors = []
    kinds = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int, "number": (int, float)}
    t = schema.get("type")
    if t and not isinstance(value, kinds[t]) or (t in ("integer", "number") and isinstance(value, bool)):
        return [f"{path or '/'}: expected {t}, got {type(value).__name__}"]
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not one of {schema['enum']}")
    if t == "object":
        props = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for k, v in value.items():
            if k in props:
                errors += schema_errors(v, props[k], f"{path}/{k}")
            elif isinstance(extra, dict):
                errors += schema_errors(v, extra, f"{path}/{k}")
            else:
                errors.append(f"{path}/{k}: not in the schema")
    if t == "array":
        for i, v in enumerate(value):
            errors += schema_errors(v, schema.get("items", {}), f"{path}/{i}")
    return errors


def managed_value_ok(test, managed, where):
    """A value for the extension's managed storage: valid against managed_schema.json, and its
    policy (object or JSON text) valid for `postguard policy validate`. Returns (policy, school)."""
    errs = schema_errors(managed, SCHEMA)
    test.assertEqual(errs, [], f"{where}: not valid for extension/managed_schema.json")
    policy = managed.get("policy")
    if policy is None and "policyJson" in managed:
        policy = json.loads(managed["policyJson"])
    school = managed.get("school", "")
    if policy is not None:
        path = Path(test.tmp) / (re.sub(r"[^A-Za-z0-9]+", "-", where) + ".json")
        path.write_text(json.dumps(policy), encoding="utf-8")
        validate_cli(path)
        if school:
            test.assertIn(school, [s["id"] for s in policy.get("schools", [])], f"{where}: school not in the policy")
        return path, school
    return None, school


INCLUDE = re.compile(r"<!-- include: (\S+) -->\n```(\w*)\n(.*?)```\n", re.S)


def guide_includes(md_path):
    """(relative path, fenced text) for each `<!-- include: PATH -->` + fenced block in a guide."""
    return [(m.group(1), m.group(3)) for m in INCLUDE.finditer(Path(md_path).read_text(encoding="utf-8"))]


CLAUSES = re.compile(r"(<!-- clauses: (\w+) -->\n)(.*?)(<!-- /clauses -->)", re.S)


def clause_table(org):
    """The README's table for `org`: every rule of the trust's merged policy with the clause and
    severity staff see, and what each school overlay changes."""
    trust = EXAMPLES / "orgs" / f"{org}.json"
    doc = json.loads(trust.read_text(encoding="utf-8"))
    rules = explain([trust], None)["rules"]
    overlays = sorted((EXAMPLES / "overlays" / org).glob("*.json"))
    changes = {}
    for school in [s["id"] for s in doc["schools"]]:
        base = effective_rules([trust], school)
        mine = effective_rules([trust] + overlays, school)
        for rid, v in mine.items():
            if v[1] != base[rid][1] or v[3] != base[rid][3]:
                changes.setdefault(rid, []).append(f"{school}: {v[1]}" + (f" ({v[3]})" if v[3] != base[rid][3] else ""))
    rows = ["| rule | category | clause | severity | school overlays |", "|---|---|---|---|---|"]
    for r in rules:
        if not r["enabled"]["value"]:
            continue
        rows.append(f"| `{r['id']}` | {r['category']} | {r['policyRef']['value']} | {r['severity']['value']} | "
                    f"{'; '.join(changes.get(r['id'], [])) or '-'} |")
    return "\n".join(rows) + "\n"


def sync_includes():
    """Rewrites every included block in docs/admin/*.md from its file (run after editing an example)."""
    for md in sorted(ADMIN.glob("*.md")):
        text = md.read_text(encoding="utf-8")
        def fill(m):
            body = (md.parent / m.group(1)).read_text(encoding="utf-8").replace("\r\n", "\n")
            return f"<!-- include: {m.group(1)} -->\n```{m.group(2)}\n{body}```\n"
        new = INCLUDE.sub(fill, text)
        if new != text:
            md.write_text(new, encoding="utf-8")
            print(f"updated {md}")
    readme = EXAMPLES / "README.md"
    text = readme.read_text(encoding="utf-8")
    new = CLAUSES.sub(lambda m: m.group(1) + clause_table(m.group(2)) + m.group(4), text)
    if new != text:
        readme.write_text(new, encoding="utf-8")
        print(f"updated {readme}")


class Base(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pg-deploy-")
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)

    def assert_same_effective_policy(self, folded_file, school, org="tarka"):
        """Managed storage holds one policy: the folded file for `school` must give exactly what the
        trust file plus that school's overlay give through the host's policy.d."""
        layered = [EXAMPLES / "orgs" / f"{org}.json"] + sorted((EXAMPLES / "overlays" / org).glob(f"*-{school}.json"))
        self.assertEqual(effective_rules([folded_file], school), effective_rules(layered, school),
                         f"{folded_file} for {school} differs from {[str(p) for p in layered]}")


@unittest.skipUnless(PG.exists(), f"{PG} not built")
class ExamplePolicies(Base):
    """docs/examples: the five organisations' policies with their clauses mapped to the rules."""

    def org(self, name):
        return json.loads((EXAMPLES / "orgs" / f"{name}.json").read_text(encoding="utf-8"))

    def test_every_bundle_and_overlay_validates(self):
        for name in ORGS:
            overlays = sorted((EXAMPLES / "overlays" / name).glob("*.json"))
            out = validate_cli(EXAMPLES / "orgs" / f"{name}.json", *overlays)
            self.assertEqual(out.count(": OK"), 1 + len(overlays), out)
            for o in overlays:
                school = json.loads(o.read_text(encoding="utf-8"))["school"]
                self.assertIn(school, [s["id"] for s in self.org(name)["schools"]], f"{o}: unknown school")

    def test_rule_ids_exist_and_clauses_reach_the_merged_policy(self):
        # `policy validate` does not flag an unknown rule id, so a typo would silently do nothing.
        for name in ORGS:
            trust = EXAMPLES / "orgs" / f"{name}.json"
            merged = {r["id"]: r for r in explain([trust], None)["rules"]}
            categories = {r["category"] for r in merged.values()}
            docs = [(trust, self.org(name))] + [(o, json.loads(o.read_text(encoding="utf-8")))
                                                for o in sorted((EXAMPLES / "overlays" / name).glob("*.json"))]
            docs += [(trust, s) for s in self.org(name)["schools"]]
            for where, doc in docs:
                for rid in doc.get("rules", {}):
                    if rid.startswith("category:"):
                        self.assertIn(rid.split(":", 1)[1], categories, f"{where}: unknown category {rid}")
                    else:
                        self.assertIn(rid, merged, f"{where}: unknown rule id {rid}")
                for cat in doc.get("policyRefs", {}):
                    self.assertIn(cat, categories, f"{where}: policyRefs for unknown category {cat}")
            # Each clause the trust maps reaches the merged policy, from the trust's file.
            for rid, setting in self.org(name)["rules"].items():
                if rid.startswith("category:") or "policyRef" not in setting:
                    continue
                self.assertEqual(merged[rid]["policyRef"]["value"], setting["policyRef"], f"{name}: {rid}")
                self.assertEqual(merged[rid]["policyRef"]["from"]["layer"], "trust", f"{name}: {rid}")
            # Every rule of the four scored categories cites one of the trust's own clauses (the
            # value; explain's "from" names the baseline when the clause came from policyRefs).
            own = set(self.org(name)["policyRefs"].values()) | {
                v["policyRef"] for v in self.org(name)["rules"].values() if "policyRef" in v}
            for rid, r in merged.items():
                if r["category"] in ("disclaimer", "pupil_contact", "pupil_privacy", "confidential"):
                    self.assertIn(r["policyRef"]["value"], own, f"{name}: {rid} cites no clause of the trust's")

    def test_a_finding_cites_the_organisations_clause(self):
        cases = [
            ("ark", "cedarwood", "Year 6 add me on snapchat for revision tips", "pupil-contact.invite",
             "confirm", "Ark Social Media Policy s4.2"),
            ("ark", "cedarwood", "Proud to teach at Ark Cedarwood Primary Academy, what a week", "disclaimer.missing",
             "warn", "Ark Social Media Policy s3.1"),
            ("acresfield", None, "Here is the staff wifi password: Acres2024!", "confidential.credentials",
             "block", "Acresfield Primary School Social Media Policy para 7.3"),
            ("tarka", "torridge-vale", "y11s add me on snapchat if u want the answers b4 the mock",
             "pupil-contact.invite", "block", "Online Safety Policy 4.1"),
            ("dudley", "wrens-nest", "Message me on WhatsApp if you need help with your coursework, Year 10",
             "pupil-contact.invite", "block", "DAT Social Media Policy 7.1"),
            ("auriga", "strathmore", "Can't say much but Project Lyra is going to shake things up at Strathmore",
             "confidential.custom-terms", "confirm", "Auriga Staff Social Media Policy 5; Strathmore staff handbook 2.6"),
        ]
        for org, school, text, rule, severity, ref in cases:
            files = [EXAMPLES / "orgs" / f"{org}.json"] + sorted((EXAMPLES / "overlays" / org).glob("*.json"))
            findings = check_json(files, school, text, site="x.com")
            hit = [f for f in findings if f["rule"] == rule]
            self.assertTrue(hit, f"{org}: no {rule} in {findings}")
            self.assertEqual((hit[0]["severity"], hit[0]["policyRef"]), (severity, ref), f"{org}: {text}")

    def test_school_overlay_changes_only_its_school(self):
        files = [EXAMPLES / "orgs" / "tarka.json"] + sorted((EXAMPLES / "overlays" / "tarka").glob("*.json"))
        self.assertEqual(effective_rules(files, "bideford-road")["pupil-privacy.photos"][1], "block")
        self.assertEqual(effective_rules(files, "torridge-vale")["pupil-privacy.photos"][1], "confirm")
        text = "Sports day at Bideford Road! Here's my Year 1s in the sack race"
        sev = {f["rule"]: f["severity"] for f in check_json(files, "bideford-road", text, images="1")}
        self.assertEqual(sev.get("pupil-privacy.photos") or sev.get("pupil-privacy.attached-images"), "block", sev)

    def test_readme_tables_match_the_files(self):
        text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
        found = {m.group(2): m.group(3) for m in CLAUSES.finditer(text)}
        self.assertEqual(sorted(found), sorted(ORGS))
        for org, table in found.items():
            # Every row shown is what the files give now. A rule added to the core later and not yet
            # in the table is tolerated (the table gains it at the next --sync-includes).
            now = set(clause_table(org).splitlines())
            stale = [row for row in table.splitlines() if row not in now]
            self.assertEqual(stale, [], f"README table for {org} is stale (run --sync-includes)")
            self.assertGreater(len(table.splitlines()), 10, org)

    @unittest.skipUnless(SHARED_ORGS.is_dir(), "../shared/corpus absent")
    def test_identity_matches_the_shared_bundles_and_detection_holds(self):
        for name in ORGS:
            shared = json.loads((SHARED_ORGS / f"{name}.json").read_text(encoding="utf-8"))
            mine = self.org(name)
            self.assertEqual(mine["organisation"], shared["organisation"], name)
            self.assertEqual(mine["disclaimer"]["text"], shared["disclaimer"]["text"], name)
            strip = lambda s: {k: v for k, v in s.items() if k not in ("rules", "phrases", "policyRefs", "officialAccounts")}
            self.assertEqual([strip(s) for s in mine["schools"]], shared["schools"], name)
        # The stricter severities, code names and official accounts must not cost any detection on
        # the labelled corpus: the same counts as with the bare bundles (whose figures
        # scripts/test.sh gates on its own).
        score = lambda d: {c: (v["tp"], v["fp"], v["fn"]) for c, v in
                           json.loads(run(PG, "eval", "--policy-dir", d, "--format", "json", DEV_CORPUS,
                                          check=False).stdout)["categories"].items()}
        self.assertEqual(score(EXAMPLES / "orgs"), score(SHARED_ORGS))

    def test_demo_fallback_uses_these_files(self):
        demo = (ROOT / "scripts" / "demo.sh").read_text(encoding="utf-8")
        self.assertIn('ORGS="$PG_ROOT/docs/examples/orgs"', demo)
        schools = set(re.findall(r'--policy "\$ORGS/tarka.json" --school ([a-z0-9-]+)', demo))
        self.assertTrue(schools)
        ids = {s["id"] for s in self.org("tarka")["schools"]}
        self.assertLessEqual(schools, ids)
        drafts = re.findall(r'--school ([a-z0-9-]+) [^\n]*\n\s+"([^"]+)"', demo)
        self.assertEqual(len(drafts), 4)
        found = [check_json([EXAMPLES / "orgs" / "tarka.json"], school, text) for school, text in drafts]
        self.assertEqual([bool(f) for f in found], [True, True, True, False], found)  # the last is the clean one
        if SHARED_ORGS.is_dir():
            # The demo shows the same categories whichever of the two files it uses.
            theirs = [check_json([SHARED_ORGS / "tarka.json"], school, text) for school, text in drafts]
            cats = lambda fs: sorted({f["category"] for f in fs})
            self.assertEqual([cats(f) for f in found], [cats(f) for f in theirs])


@unittest.skipUnless(PG.exists(), f"{PG} not built")
class GoogleAdmin(Base):
    """Chromebooks have no native host: the console's JSON alone must carry the whole policy."""

    def test_policy_for_extensions_json(self):
        files = sorted((ADMIN_EX / "google-admin").glob("*.json"))
        self.assertGreaterEqual(len(files), 3)
        for f in files:
            doc = json.loads(f.read_text(encoding="utf-8"))
            for k, v in doc.items():
                self.assertEqual(list(v), ["Value"], f"{f}: the console wants {{\"{k}\": {{\"Value\": ...}}}}")
            managed = {k: v["Value"] for k, v in doc.items()}
            path, school = managed_value_ok(self, managed, f.name)
            self.assertIsNotNone(path, f"{f}: no policy: a Chromebook would fall back to the baseline")
            for s in ([school] if school else ["bideford-road", "torridge-vale"]):
                self.assert_same_effective_policy(path, s)



class WindowsTemplates(Base):
    ADMX_DIR = ADMIN / "windows" / "admx"

    def load(self):
        admx = ET.parse(self.ADMX_DIR / "postguard.admx").getroot()
        admls = {p.parent.name: ET.parse(p).getroot() for p in self.ADMX_DIR.glob("*/postguard.adml")}
        return admx, admls

    def test_generated_output_is_up_to_date(self):
        p = run(sys.executable, ROOT / "scripts" / "generate-admx.py", "--check", check=False)
        self.assertEqual(p.returncode, 0, p.stderr.decode())

    def test_well_formed(self):
        files = [self.ADMX_DIR / "postguard.admx", *self.ADMX_DIR.glob("*/postguard.adml")]
        self.assertEqual({f.parent.name for f in files[1:]}, {"en-US", "cy-GB"})
        if shutil.which("xmllint"):
            run("xmllint", "--noout", *files)
        for f in files:
            ET.parse(f)

    # Elements and attributes of the ADMX/ADML schema (PolicyDefinitions 1.0) the templates may
    # use, and the order of a policy's children. Microsoft's XSD is not shipped in Debian, so a
    # misspelt name (valuename, presentationId) is caught here instead.
    ADMX_ATTRS = {
        "policyDefinitions": {"revision", "schemaVersion"}, "policyNamespaces": set(),
        "target": {"prefix", "namespace"}, "using": {"prefix", "namespace"}, "resources": {"minRequiredRevision"},
        "supportedOn": {"ref"}, "definitions": set(), "definition": {"name", "displayName"},
        "categories": set(), "category": {"name", "displayName", "explainText"}, "parentCategory": {"ref"},
        "policies": set(), "policy": {"name", "class", "displayName", "explainText", "presentation", "key", "valueName"},
        "enabledValue": set(), "disabledValue": set(), "decimal": {"value", "id", "valueName", "required", "minValue", "maxValue"},
        "elements": set(), "text": {"id", "valueName", "required", "maxLength", "expandable"},
    }
    ADML_ATTRS = {
        "policyDefinitionResources": {"revision", "schemaVersion"}, "displayName": set(), "description": set(),
        "resources": set(), "stringTable": set(), "string": {"id"}, "presentationTable": set(),
        "presentation": {"id"}, "textBox": {"refId"}, "label": set(), "decimalTextBox": {"refId", "defaultValue"},
    }
    POLICY_ORDER = ["parentCategory", "seeAlso", "keywords", "supportedOn", "enabledValue", "disabledValue",
                    "enabledList", "disabledList", "elements"]

    def test_schema_names_and_order(self):
        admx, admls = self.load()
        local = lambda el: el.tag.split("}", 1)[-1]
        for root, allowed in [(admx, self.ADMX_ATTRS)] + [(a, self.ADML_ATTRS) for a in admls.values()]:
            self.assertEqual(root.tag, "{http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions}" + local(root))
            for el in root.iter():
                self.assertIn(local(el), allowed, f"unknown element {local(el)}")
                extra = {a for a in el.attrib if not a.startswith("{")} - allowed[local(el)]
                self.assertEqual(extra, set(), f"{local(el)}: unknown attributes")
        for pol in admx.iter("{http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions}policy"):
            order = [self.POLICY_ORDER.index(local(c)) for c in pol]
            self.assertEqual(order, sorted(order), pol.get("name"))
            self.assertIn(pol.get("class"), ("User", "Machine", "Both"))

    def test_references_resolve(self):
        admx, admls = self.load()
        ns = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
        text = ET.tostring(admx, encoding="unicode")
        string_refs = set(re.findall(r"\$\(string\.([^)]+)\)", text))
        categories = {c.get("name") for c in admx.iterfind(".//p:categories/p:category", ns)}
        supported = {d.get("name") for d in admx.iterfind(".//p:supportedOn/p:definitions/p:definition", ns)}
        for lang, adml in admls.items():
            strings = {s.get("id"): s.text for s in adml.iterfind(".//p:stringTable/p:string", ns)}
            presentations = {p.get("id"): p for p in adml.iterfind(".//p:presentationTable/p:presentation", ns)}
            self.assertEqual(sorted(string_refs - set(strings)), [], f"{lang}: strings missing")
            self.assertTrue(all(strings[s] and strings[s].strip() for s in string_refs), f"{lang}: empty string")
            for pol in admx.iterfind(".//p:policy", ns):
                name = pol.get("name")
                self.assertIn(pol.find("p:parentCategory", ns).get("ref"), categories, name)
                self.assertIn(pol.find("p:supportedOn", ns).get("ref"), supported, name)
                element_ids = {e.get("id") for e in (pol.find("p:elements", ns) or [])}
                pres = pol.get("presentation")
                if not element_ids:
                    self.assertIsNone(pres, name)
                    continue
                pid = re.fullmatch(r"\$\(presentation\.([^)]+)\)", pres).group(1)
                self.assertIn(pid, presentations, f"{lang}: {name}")
                refs = {c.get("refId") for c in presentations[pid]}
                self.assertEqual(refs, element_ids, f"{lang}: {name}: presentation and elements differ")
        for c in admx.iterfind(".//p:categories/p:category", ns):
            parent = c.find("p:parentCategory", ns)
            if parent is not None:
                self.assertIn(parent.get("ref"), categories)

    def test_registry_keys_and_values_match_the_schema_and_the_host(self):
        admx, _ = self.load()
        ns = {"p": "http://schemas.microsoft.com/GroupPolicy/2006/07/PolicyDefinitions"}
        keys = {"chrome": f"Software\\Policies\\Google\\Chrome\\3rdparty\\extensions\\{EXT_ID}\\policy",
                "edge": f"Software\\Policies\\Microsoft\\Edge\\3rdparty\\extensions\\{EXT_ID}\\policy"}
        seen = {"chrome": {}, "edge": {}, "host": {}}
        for pol in admx.iterfind(".//p:policy", ns):
            family = pol.get("name").split("_", 1)[0]
            names = [pol.get("valueName")] if pol.get("valueName") else [e.get("valueName") for e in pol.find("p:elements", ns)]
            kind = "boolean" if pol.find("p:enabledValue", ns) is not None else "text"
            for n in names:
                seen[family][n] = (pol.get("key"), kind)
        props = SCHEMA["properties"]
        for family, key in keys.items():
            self.assertEqual(set(seen[family]), set(props), family)
            for n, (k, kind) in seen[family].items():
                self.assertEqual(k, key, n)
                self.assertEqual(kind == "boolean", props[n].get("type") == "boolean", n)
        cpp = (ROOT / "native-host" / "src" / "host" / "policy_sources_windows.cpp").read_text(encoding="utf-8")
        host_values = set(re.findall(r'policy_value\(L"(\w+)"\)', cpp))
        self.assertTrue(host_values)
        self.assertEqual(set(seen["host"]), host_values)
        for n, (k, _) in seen["host"].items():
            self.assertEqual("HKLM\\" + k.upper(), re.search(r'kPolicyKeyName = "([^"]+)"', cpp).group(1).replace("\\\\", "\\").upper())

    def test_generator_takes_the_store_ids(self):
        other = "abcdefghijklmnopabcdefghijklmnop"
        run(sys.executable, ROOT / "scripts" / "generate-admx.py", "--chrome-id", other, "--out", self.tmp)
        text = Path(self.tmp, "postguard.admx").read_text(encoding="utf-8")
        self.assertIn(f"Google\\Chrome\\3rdparty\\extensions\\{other}\\policy", text)
        self.assertNotIn(EXT_ID, text)
        bad = run(sys.executable, ROOT / "scripts" / "generate-admx.py", "--chrome-id", "nope", "--out", self.tmp, check=False)
        self.assertNotEqual(bad.returncode, 0)


def parse_reg(path):
    """A .reg file -> {key: {name: value}}. Hand-written: the standard library has no .reg reader
    and the format is small (header, [key] lines, "name"="string" or "name"=dword:hex)."""
    raw = Path(path).read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode("ascii")
    lines = text.split("\r\n")
    assert lines[0] == "Windows Registry Editor Version 5.00", f"{path}: header"
    assert "\n" not in text.replace("\r\n", ""), f"{path}: lines must end in CRLF"
    out, key = {}, None
    for line in lines[1:]:
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            key = line[1:-1]
            out[key] = {}
            continue
        m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"=(?:"((?:[^"\\]|\\.)*)"|dword:([0-9a-f]{8}))', line)
        assert m and key, f"{path}: cannot read {line[:80]!r}"
        unescape = lambda s: re.sub(r"\\(.)", r"\1", s)
        out[key][unescape(m.group(1))] = unescape(m.group(2)) if m.group(2) is not None else int(m.group(3), 16)
    return out


@unittest.skipUnless(PG.exists(), f"{PG} not built")
class WindowsRegFiles(Base):
    def test_reg_examples(self):
        cpp = (ROOT / "native-host" / "src" / "host" / "policy_sources_windows.cpp").read_text(encoding="utf-8")
        host_values = set(re.findall(r'policy_value\(L"(\w+)"\)', cpp))
        files = sorted((ADMIN_EX / "windows").glob("*.reg"))
        self.assertGreaterEqual(len(files), 3)
        forcelists = set()
        for f in files:
            for key, values in parse_reg(f).items():
                self.assertTrue(key.startswith("HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\"), key)
                if key.endswith("\\ExtensionInstallForcelist"):
                    forcelists.update(values.values())
                    self.assertTrue(all(re.fullmatch(r"\d+", n) for n in values), f"{f}: forcelist names are 1, 2, ...")
                elif "\\3rdparty\\extensions\\" in key:
                    self.assertTrue(key.endswith(f"\\3rdparty\\extensions\\{EXT_ID}\\policy"), key)
                    managed = {n: (bool(v) if SCHEMA["properties"].get(n, {}).get("type") == "boolean" else v)
                               for n, v in values.items()}
                    for n, v in values.items():
                        want = SCHEMA["properties"].get(n, {}).get("type")
                        self.assertEqual(isinstance(v, int), want == "boolean", f"{f}: {n} has the wrong registry type")
                    path, _ = managed_value_ok(self, managed, f.name)
                    if path is not None:
                        self.assert_same_effective_policy(path, managed["school"])
                elif key == "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\PostGuard":
                    self.assertLessEqual(set(values), host_values, f)
                    if "PolicyJson" in values:
                        overlay = Path(self.tmp, "inline.json")
                        overlay.write_text(values["PolicyJson"], encoding="utf-8")
                        validate_cli(EXAMPLES / "orgs" / "tarka.json", overlay)
                else:
                    self.assertIn(key.rsplit("\\", 1)[1], ("Chrome", "Edge"), key)
                    self.assertEqual(values, {"NativeMessagingUserLevelHosts": 0}, f)
        self.assertEqual(forcelists, {CHROME_FORCE, EDGE_FORCE})

    def test_guide_includes_the_examples_and_the_layout(self):
        guide = (ADMIN / "windows.md").read_text(encoding="utf-8")
        cpp = (ROOT / "native-host" / "src" / "host" / "policy_sources_windows.cpp").read_text(encoding="utf-8")
        for v in re.findall(r'policy_value\(L"(\w+)"\)', cpp):
            self.assertIn(f"`{v}`", guide)
        for text in ("HKLM\\SOFTWARE\\Policies\\PostGuard", "%ProgramData%\\PostGuard\\policy.d",
                     "native-messaging-hosts", "HKLM\\Software\\Google\\Chrome\\NativeMessagingHosts\\org.postguard.host",
                     "HKLM\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\org.postguard.host",
                     "HKLM\\Software\\Mozilla\\NativeMessagingHosts\\org.postguard.host"):
            self.assertIn(text, guide)


@unittest.skipUnless(PG.exists(), f"{PG} not built")
class MacProfile(Base):
    def test_mobileconfig(self):
        path = ADMIN_EX / "macos" / "postguard.mobileconfig"
        if shutil.which("xmllint"):
            run("xmllint", "--noout", path)
        with open(path, "rb") as f:
            profile = plistlib.load(f)
        self.assertEqual(profile["PayloadType"], "Configuration")
        self.assertEqual(profile["PayloadScope"], "System")
        payloads = {p["PayloadType"]: p for p in profile["PayloadContent"]}
        self.assertEqual(set(payloads), {"com.google.Chrome", "com.microsoft.Edge", "org.postguard"})
        uuids = [profile["PayloadUUID"]] + [p["PayloadUUID"] for p in profile["PayloadContent"]]
        self.assertEqual(len(set(uuids)), len(uuids))
        for u in uuids:
            uuid.UUID(u)
        for p in profile["PayloadContent"]:
            for k in ("PayloadIdentifier", "PayloadVersion", "PayloadDisplayName"):
                self.assertIn(k, p)
        force = {"com.google.Chrome": CHROME_FORCE, "com.microsoft.Edge": EDGE_FORCE}
        for browser, want in force.items():
            p = payloads[browser]
            self.assertEqual(p["ExtensionInstallForcelist"], [want])
            self.assertIs(p["NativeMessagingUserLevelHosts"], False)
            managed_value_ok(self, p["3rdparty"]["extensions"][EXT_ID], browser)
        host = {k: v for k, v in payloads["org.postguard"].items() if not k.startswith("Payload")}
        cpp = (ROOT / "native-host" / "src" / "host" / "policy_sources_macos.cpp").read_text(encoding="utf-8")
        host_keys = set(re.findall(r'prefs(?:\.count\(|\[)"(\w+)"', cpp))
        self.assertTrue(host_keys)
        self.assertLessEqual(set(host), host_keys)
        self.assertTrue(all(isinstance(v, str) for v in host.values()), "the host reads string values only")
        policy = Path(self.tmp, "mac-policy.json")
        policy.write_text(host["PolicyJson"], encoding="utf-8")
        validate_cli(policy)
        self.assert_same_effective_policy(policy, host["School"])
        self.assertIn("/Library/Managed Preferences/org.postguard.plist", cpp)



def host_exchange(host, args, requests, env):
    """Frames `requests` to the real host (4-byte native-endian length + JSON) and reads the replies."""
    data = b"".join(struct.pack("=I", len(b)) + b for b in (json.dumps(r).encode() for r in requests))
    p = run(host, *args, input=data, env=env, check=False)
    replies, out = [], p.stdout
    while len(out) >= 4:
        (n,) = struct.unpack("=I", out[:4])
        replies.append(json.loads(out[4:4 + n]))
        out = out[4 + n:]
    return p.returncode, replies, p.stderr.decode()


def machine_holds_policy():
    return os.path.exists("/etc/postguard/policy.json") or glob.glob("/etc/postguard/policy.d/*.json")


@unittest.skipUnless(PG.exists() and HOST.exists(), f"{PG} / {HOST} not built")
class LinuxFiles(Base):
    LINUX = ADMIN_EX / "linux"

    def test_chromium_managed_policies(self):
        forced = json.loads((self.LINUX / "etc/chromium/policies/managed/postguard.json").read_text(encoding="utf-8"))
        self.assertEqual(forced, {"ExtensionInstallForcelist": [CHROME_FORCE], "NativeMessagingUserLevelHosts": False})
        alone = json.loads((self.LINUX / "managed-storage-only/etc/chromium/policies/managed/postguard.json").read_text())
        self.assertEqual(alone["ExtensionInstallForcelist"], [CHROME_FORCE])
        path, school = managed_value_ok(self, alone["3rdparty"]["extensions"][EXT_ID], "managed-storage-only")
        self.assert_same_effective_policy(path, school)

    def test_etc_postguard_is_the_example_policy_and_the_host_serves_it(self):
        etc = self.LINUX / "etc" / "postguard"
        self.assertEqual((etc / "policy.json").read_bytes(), (EXAMPLES / "orgs" / "tarka.json").read_bytes())
        self.assertEqual((etc / "policy.d" / "20-bideford-road.json").read_bytes(),
                         (EXAMPLES / "overlays" / "tarka" / "20-bideford-road.json").read_bytes())
        validate_cli(etc / "policy.json", *sorted((etc / "policy.d").glob("*.json")))
        if machine_holds_policy():
            self.skipTest("/etc/postguard holds this machine's policy: the host would not read the example")
        root = Path(self.tmp, "etc-postguard")
        shutil.copytree(etc, root)
        home = Path(self.tmp, "home")
        run(PG, "install-host", "--user", "--browser", "chromium", "--extension-id", EXT_ID, "--host-path", HOST,
            env={"HOME": str(home)})
        rc, replies, err = host_exchange(HOST, [f"chrome-extension://{EXT_ID}/"],
                                         [{"type": "getPolicy", "id": 1}],
                                         {"HOME": str(home), "POSTGUARD_POLICY_ROOT": str(root)})
        self.assertEqual(rc, 0, err)
        self.assertEqual(len(replies), 1, err)
        r = replies[0]
        self.assertEqual((r["type"], r["basis"], r["school"], r["problems"]), ("policy", "allFiles", "bideford-road", []), r)
        self.assertEqual([Path(s["name"]).name for s in r["sources"]],
                         ["policy.json", "10-school.json", "20-bideford-road.json"])



@unittest.skipUnless(PG.exists() and (BUILD / "CPackConfig.cmake").exists() and shutil.which("dpkg-deb")
                     and shutil.which("cpack"), "needs a configured build dir, cpack and dpkg-deb")
class DebianPackage(Base):
    MANIFESTS = {
        "chromium": "etc/chromium/native-messaging-hosts/org.postguard.host.json",
        "chrome": "etc/opt/chrome/native-messaging-hosts/org.postguard.host.json",
        "edge": "etc/opt/edge/native-messaging-hosts/org.postguard.host.json",
        "firefox": "usr/lib/mozilla/native-messaging-hosts/org.postguard.host.json",
    }

    @classmethod
    def setUpClass(cls):
        cls.out = tempfile.mkdtemp(prefix="pg-deb-")
        # cpack packages what is built; the manifests are a build step (cmake/Packaging.cmake).
        run("cmake", "--build", BUILD, "--target", "postguard", "postguard-host", "postguard_host_manifests")
        run("cpack", "-G", "DEB", "--config", BUILD / "CPackConfig.cmake", "-B", cls.out)
        debs = glob.glob(os.path.join(cls.out, "*.deb"))
        assert len(debs) == 1, debs
        cls.deb = debs[0]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.out, ignore_errors=True)

    def test_control_fields(self):
        info = run("dpkg-deb", "-I", self.deb).stdout.decode()
        fields = dict(re.findall(r"^ (\w[\w-]*): (.*)$", info, re.M))
        self.assertEqual(fields["Package"], "postguard")
        self.assertRegex(fields["Version"], r"^\d+\.\d+\.\d+")
        self.assertIn("libicu", fields["Depends"])  # from dpkg-shlibdeps
        conffiles = run("dpkg-deb", "--info", self.deb, "conffiles").stdout.decode().split()
        self.assertEqual(sorted(conffiles), sorted("/" + m for m in self.MANIFESTS.values() if m.startswith("etc/")))

    def test_contents(self):
        listing = run("dpkg-deb", "-c", self.deb).stdout.decode()
        entries = {}
        for line in listing.splitlines():
            parts = line.split(None, 5)
            entries[parts[5].split(" -> ")[0].rstrip("/")] = (parts[0], parts[1])
        for path in ["./usr/bin/postguard", "./usr/bin/postguard-host", "./etc/postguard/policy.d",
                     *("./" + m for m in self.MANIFESTS.values()),
                     "./usr/share/doc/postguard/policy-format.md", "./usr/share/doc/postguard/examples/orgs/tarka.json"]:
            self.assertIn(path, entries, listing)
        for path, (mode, owner) in entries.items():
            self.assertEqual(owner, "root/root", path)
            self.assertFalse(mode[8] == "w" and mode[0] != "l", f"{path} is writable by every user")
        self.assertTrue(entries["./usr/bin/postguard-host"][0].startswith("-rwxr-xr-x"))

    def test_manifests_point_at_the_installed_host_and_it_runs(self):
        root = Path(self.tmp, "root")
        run("dpkg", "-x", self.deb, root)
        for browser, rel in self.MANIFESTS.items():
            m = json.loads((root / rel).read_text(encoding="utf-8"))
            self.assertEqual((m["name"], m["type"], m["path"]), ("org.postguard.host", "stdio", "/usr/bin/postguard-host"), rel)
            if browser == "firefox":
                self.assertEqual(m["allowed_extensions"], [FIREFOX_ID])
            else:
                self.assertEqual(m["allowed_origins"], [f"chrome-extension://{EXT_ID}/"])
        self.assertTrue((root / "usr/bin/postguard-host").stat().st_mode & 0o111)
        # The packaged host, started the way Firefox starts it (manifest path + add-on id), serving
        # the Linux example policy.
        if machine_holds_policy():
            self.skipTest("/etc/postguard holds this machine's policy")
        policy_root = Path(self.tmp, "policy")
        shutil.copytree(ADMIN_EX / "linux" / "etc" / "postguard", policy_root)
        rc, replies, err = host_exchange(root / "usr/bin/postguard-host",
                                         [root / self.MANIFESTS["firefox"], FIREFOX_ID],
                                         [{"type": "hello", "id": 1}, {"type": "getPolicy", "id": 2}],
                                         {"POSTGUARD_POLICY_ROOT": str(policy_root)})
        self.assertEqual(rc, 0, err)
        self.assertEqual([r["type"] for r in replies], ["hello", "policy"], err)
        self.assertEqual((replies[1]["basis"], replies[1]["school"]), ("allFiles", "bideford-road"))
        # And the packaged CLI validates the example, and finds its Welsh catalogs from /usr/bin
        # (they are looked up at <bin>/../share/locale).
        run(root / "usr/bin/postguard", "policy", "validate", policy_root / "policy.json")
        if not (root / "usr/share/locale/cy/LC_MESSAGES/postguard.mo").exists():
            return  # a tree without the message catalogs (issue 6's localisation) has nothing to find
        say = lambda lang: run(root / "usr/bin/postguard", "--lang", lang, "check", "Lovely weather today",
                               check=False).stdout.decode()
        self.assertNotEqual(say("cy"), say("en"))


class Guides(unittest.TestCase):
    """Every example file appears in a guide, and every block a guide shows is that file, byte for
    byte (python3 tests/deploy-kit/test_deploy_kit.py --sync-includes rewrites them)."""

    def test_every_example_is_shown_as_it_is(self):
        shown = set()
        for md in sorted(ADMIN.glob("*.md")):
            for rel, body in guide_includes(md):
                f = (md.parent / rel).resolve()
                self.assertTrue(f.is_file(), f"{md.name}: includes missing {rel}")
                self.assertEqual(body, f.read_text(encoding="utf-8").replace("\r\n", "\n"),
                                 f"{md.name}: the block for {rel} differs from the file (run --sync-includes)")
                shown.add(f)
        examples = {p.resolve() for p in ADMIN_EX.rglob("*") if p.is_file()}
        self.assertEqual(sorted(map(str, examples - shown)), [], "examples no guide shows")

    def test_guides_name_the_extension_id_and_link_each_other(self):
        index = (ADMIN / "README.md").read_text(encoding="utf-8")
        for name in ("google-admin.md", "windows.md", "macos.md", "linux.md"):
            self.assertIn(f"({name})", index)
            self.assertIn(EXT_ID, (ADMIN / name).read_text(encoding="utf-8"), name)


if __name__ == "__main__":
    if sys.argv[1:] == ["--sync-includes"]:
        sync_includes()
        sys.exit(0)
    unittest.main(verbosity=2)
