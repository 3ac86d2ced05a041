#!/usr/bin/env python3
"""Lists the FtpServer spec fields of the CRD, or checks that README.md documents each of them.

  helm/crd-fields.py CRD_FILE                 print every field path with its type and default
  helm/crd-fields.py CRD_FILE --check README  fail when a field path is missing from README's table

CRD_FILE is the YAML in crds/ (needs PyYAML) or JSON (kubectl get crd ... -o json; no dependency).
Fields of Kubernetes' own types (resources, affinity, ...) are listed as one entry.
"""
import json
import sys

OPAQUE = {"resources", "tolerations", "affinity", "nodeSelector", "podAnnotations", "annotations"}


def load(path):
    text = open(path, encoding="utf-8").read()
    try:
        return json.loads(text)
    except ValueError:
        import yaml  # PyYAML, only for the YAML form
        return yaml.safe_load(text)


def fields(crd):
    version = next(v for v in crd["spec"]["versions"] if v.get("storage", True))
    spec = version["schema"]["openAPIV3Schema"]["properties"]["spec"]
    out = []

    def walk(prefix, schema):
        required = set(schema.get("required", []))
        for name, sub in sorted((schema.get("properties") or {}).items()):
            path = prefix + name
            if sub.get("properties") and name not in OPAQUE:
                walk(path + ".", sub)
            else:
                out.append((path, sub.get("type", "object"), sub.get("default"), name in required))

    walk("", spec)
    return out


def main():
    if len(sys.argv) not in (2, 4) or (len(sys.argv) == 4 and sys.argv[2] != "--check"):
        sys.exit(__doc__)
    found = fields(load(sys.argv[1]))
    if len(sys.argv) == 2:
        for path, typ, default, req in found:
            print("%-32s %-8s %s%s" % (path, typ, "" if default is None else "default %s" % json.dumps(default),
                                       " (required)" if req else ""))
        return 0
    readme = open(sys.argv[3], encoding="utf-8").read()
    missing = [p for p, *_ in found if "`%s`" % p not in readme]
    if missing:
        print("README.md's FtpServer reference lacks: %s" % ", ".join(missing), file=sys.stderr)
        return 1
    print("README.md documents all %d FtpServer spec fields" % len(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
