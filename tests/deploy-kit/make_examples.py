#!/usr/bin/env python3
"""Writes the admin examples under docs/admin/examples/ that carry Tarka Learning Partnership's
policy, from docs/examples/ (the trust file and its school overlays), so the copies never drift:

  python3 tests/deploy-kit/make_examples.py && python3 tests/deploy-kit/test_deploy_kit.py --sync-includes

Managed storage (Google Admin console, .mobileconfig, 3rdparty registry values) holds one policy,
so there each school's overlay is folded into its entry in `schools`; the test checks that this
gives every school exactly the policy the trust file plus its overlay give through the host.
"""
import base64
import copy
import hashlib
import json
import plistlib
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "docs" / "examples"
OUT = ROOT / "docs" / "admin" / "examples"
KEY = json.loads((ROOT / "extension" / "manifest.json").read_text(encoding="utf-8"))["key"]
ID = "".join(chr(ord("a") + int(c, 16)) for c in hashlib.sha256(base64.b64decode(KEY)).hexdigest()[:32])
CHROME_FORCE = f"{ID};https://clients2.google.com/service/update2/crx"
EDGE_FORCE = f"{ID};https://edge.microsoft.com/extensionwebstorebase/v1/crx"
SCHOOL = "bideford-road"  # the machine the per-machine examples are for


def load(p):
    return json.loads(Path(p).read_text(encoding="utf-8"))


def dump(p, obj):
    p = Path(p)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def folded_policy():
    trust = load(EX / "orgs" / "tarka.json")
    folded = copy.deepcopy(trust)
    folded["description"] = ("Tarka Learning Partnership for managed storage (Google Admin console, MDM): the trust "
                             "file with each school's overlay folded into its schools[] entry, because the "
                             "browser's managed storage holds one policy.")
    for ov_path in sorted((EX / "overlays" / "tarka").glob("*.json")):
        ov = load(ov_path)
        entry = next(s for s in folded["schools"] if s["id"] == ov["school"])
        for k in ("rules", "phrases", "policyRefs"):
            if k in ov:
                entry.setdefault(k, {}).update(ov[k])
        if "officialAccounts" in ov:
            entry["officialAccounts"] = entry.get("officialAccounts", []) + ov["officialAccounts"]
    return folded


def reg(path, sections):
    """A .reg file as regedit writes it (ASCII here, CRLF)."""
    q = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines = ["Windows Registry Editor Version 5.00", ""]
    for key, values in sections:
        lines.append(f"[{key}]")
        lines += [f"{q(n)}=" + (f"dword:{v:08x}" if isinstance(v, int) else q(v)) for n, v in values]
        lines.append("")
    Path(path).write_text("\n".join(lines), encoding="ascii", newline="\r\n")


def main():
    folded = folded_policy()
    one_line = lambda o: json.dumps(o, ensure_ascii=True, separators=(",", ":"))

    g = OUT / "google-admin"
    dump(g / "tarka-trust-ou.json", {"policy": {"Value": folded}})
    for s in folded["schools"]:
        dump(g / f"tarka-{s['id']}-ou.json", {"policy": {"Value": folded}, "school": {"Value": s["id"]}})

    lx = OUT / "linux"
    dump(lx / "etc/chromium/policies/managed/postguard.json",
         {"ExtensionInstallForcelist": [CHROME_FORCE], "NativeMessagingUserLevelHosts": False})
    dump(lx / "managed-storage-only/etc/chromium/policies/managed/postguard.json",
         {"ExtensionInstallForcelist": [CHROME_FORCE],
          "3rdparty": {"extensions": {ID: {"policy": folded, "school": SCHOOL}}}})
    (lx / "etc/postguard/policy.d").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(EX / "orgs" / "tarka.json", lx / "etc/postguard/policy.json")
    dump(lx / "etc/postguard/policy.d/10-school.json", {"format": "postguard/1", "school": SCHOOL})
    shutil.copyfile(EX / "overlays" / "tarka" / f"20-{SCHOOL}.json", lx / f"etc/postguard/policy.d/20-{SCHOOL}.json")

    def payload(ptype, uid, name, content):
        d = {"PayloadType": ptype, "PayloadVersion": 1, "PayloadIdentifier": f"org.postguard.profile.{ptype}",
             "PayloadUUID": uid, "PayloadDisplayName": name, "PayloadEnabled": True}
        d.update(content)
        return d
    browser = lambda force: {"ExtensionInstallForcelist": [force], "NativeMessagingUserLevelHosts": False,
                             "3rdparty": {"extensions": {ID: {"school": SCHOOL}}}}
    profile = {
        "PayloadType": "Configuration", "PayloadVersion": 1, "PayloadIdentifier": "org.postguard.profile",
        "PayloadUUID": "6F1C2B7E-3D0A-4C55-9E61-6B2F0A9D4C10",
        "PayloadDisplayName": "PostGuard (Tarka Learning Partnership, Bideford Road)",
        "PayloadDescription": "Installs PostGuard in Chrome and Edge and gives its native host the trust's policy "
                              "and this machine's school.",
        "PayloadOrganization": "Tarka Learning Partnership", "PayloadScope": "System",
        "PayloadContent": [
            payload("com.google.Chrome", "0B3E8F1A-52C4-4D7B-8A19-2E6C0F4B7D21", "Google Chrome: PostGuard",
                    browser(CHROME_FORCE)),
            payload("com.microsoft.Edge", "9A4D2C6E-1B7F-4E38-B05C-7D3A1E8F2C32", "Microsoft Edge: PostGuard",
                    browser(EDGE_FORCE)),
            payload("org.postguard", "C5E7A913-8D2B-4F60-A4E1-3B9C7D5F0E43", "PostGuard native host",
                    {"PolicyJson": json.dumps(folded, ensure_ascii=False, separators=(",", ":")), "School": SCHOOL}),
        ]}
    (OUT / "macos").mkdir(parents=True, exist_ok=True)
    (OUT / "macos" / "postguard.mobileconfig").write_bytes(plistlib.dumps(profile, sort_keys=False))

    w = OUT / "windows"
    w.mkdir(parents=True, exist_ok=True)
    for name, vendor, force in (("chrome", r"Google\Chrome", CHROME_FORCE), ("edge", r"Microsoft\Edge", EDGE_FORCE)):
        reg(w / f"{name}-force-install.reg", [
            (rf"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\{vendor}\ExtensionInstallForcelist", [("1", force)]),
            (rf"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\{vendor}", [("NativeMessagingUserLevelHosts", 0)]),
            (rf"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\{vendor}\3rdparty\extensions\{ID}\policy", [("school", SCHOOL)]),
        ])
    reg(w / "chrome-managed-storage-only.reg", [
        (rf"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome\3rdparty\extensions\{ID}\policy",
         [("policyJson", one_line(folded)), ("school", SCHOOL), ("allowSitePause", 0)])])
    reg(w / "host-school.reg", [
        (r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\PostGuard",
         [("School", SCHOOL), ("PolicyJson", one_line(load(EX / "overlays" / "tarka" / f"20-{SCHOOL}.json")))])])
    print(f"wrote the examples under {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
