#!/usr/bin/env python3
"""Writes a synthetic NVD API 2.0 file of N records: the records of the given NVD file repeated,
each copy after the first with new CVE ids (CVE-<2100+copy>-<n>), every other field unchanged.
Output is plain JSON on stdout (pipe it into `zstd`). Usage: gen_nvd.py NVD.json[.zst] N
"""
import json
import subprocess
import sys


def main():
    path, total = sys.argv[1], int(sys.argv[2])
    if path.endswith(".zst"):
        data = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
    else:
        data = open(path, "rb").read()
    records = json.loads(data)["vulnerabilities"]
    # Serialise each record once; a copy only swaps the id.
    texts = [(r["cve"]["id"], json.dumps(r, separators=(",", ":"))) for r in records]
    out = sys.stdout
    out.write('{"format":"NVD_CVE","version":"2.0","note":"synthetic: ' + path.split("/")[-1] +
              ' replicated with new ids","totalResults":%d,"vulnerabilities":[' % total)
    written = 0
    copy = 0
    while written < total:
        for n, (cve_id, text) in enumerate(texts):
            if written == total:
                break
            if copy > 0:
                text = text.replace('"id":"%s"' % cve_id, '"id":"CVE-%d-%06d"' % (2100 + copy, n), 1)
            if written:
                out.write(",")
            out.write(text)
            written += 1
        copy += 1
    out.write("]}\n")


if __name__ == "__main__":
    main()
