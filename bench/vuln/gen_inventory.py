#!/usr/bin/env python3
"""Writes a synthetic inventory for `ucsc vuln match --inventory`: one system per line, its CPEs
separated by spaces. CPEs are drawn (fixed seed) from the criteria of the NVD file given: literal
versions as they are, and for range criteria a version just inside or just outside a bound, so
that matching does real range work. Usage: gen_inventory.py NVD.json[.zst] CPES PER_SYSTEM > out
"""
import json
import random
import subprocess
import sys


def load(path):
    if path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    else:
        data = open(path, "rb").read()
    return json.loads(data)


def bump(version, delta):
    parts = version.split(".")
    last = parts[-1]
    if last.isdigit():
        parts[-1] = str(max(0, int(last) + delta))
    return ".".join(parts)


def main():
    nvd_path, total, per_system = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rnd = random.Random(18)
    apps, oses = [], []
    for rec in load(nvd_path)["vulnerabilities"]:
        for cfg in rec["cve"].get("configurations", []):
            for node in cfg["nodes"]:
                for m in node["cpeMatch"]:
                    f = m["criteria"].split(":")
                    if len(f) != 13 or "\\" in m["criteria"]:
                        continue
                    part, vendor, product, version, update = f[2], f[3], f[4], f[5], f[6]
                    if version == "*":
                        bound = (m.get("versionEndExcluding") or m.get("versionEndIncluding")
                                 or m.get("versionStartIncluding"))
                        if not bound:
                            continue
                        version = bump(bound, rnd.choice([-1, 0, 1]))
                    if version == "-":
                        continue
                    cpe = f"cpe:2.3:{part}:{vendor}:{product}:{version}:{update}"
                    (oses if part == "o" else apps).append(cpe)
    out = []
    written = 0
    while written < total:
        n = min(per_system, total - written)
        system = []
        if oses and n > 1:
            system.append(rnd.choice(oses))
        while len(system) < n:
            system.append(rnd.choice(apps))
        out.append(" ".join(system))
        written += n
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
