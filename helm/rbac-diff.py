#!/usr/bin/env python3
"""Compares the permissions of two sets of RBAC roles, as (apiGroup, resource, verb, resourceNames).

  helm/rbac-diff.py A.json B.json

Each file is YAML (one or more documents, e.g. `helm template` output or operator/rbac/; needs
PyYAML) or JSON as `kubectl get ... -o json` writes it: objects or Lists; only ClusterRoles and
Roles count. Exit 1 and print the differences when the two grant different permissions (a rule
limited to resourceNames is a different permission from an unlimited one).
"""
import json
import sys


def documents(text):
    """YAML documents, or JSON values written one after the other (kubectl's output for several objects)."""
    if not text.lstrip().startswith(("{", "[")):
        import yaml  # PyYAML, only for the YAML form
        return [doc for doc in yaml.safe_load_all(text) if doc]
    decoder, pos, docs = json.JSONDecoder(), 0, []
    while True:
        while pos < len(text) and text[pos].isspace():
            pos += 1
        if pos >= len(text):
            return docs
        doc, pos = decoder.raw_decode(text, pos)
        docs.append(doc)


def triples(path):
    items = []
    for doc in documents(open(path, encoding="utf-8").read()):
        items.extend(doc.get("items", [doc]) if isinstance(doc, dict) else doc)
    out = set()
    for item in items:
        if item.get("kind") not in ("ClusterRole", "Role"):
            continue
        for rule in item.get("rules") or []:
            for group in rule.get("apiGroups", [""]):
                for resource in rule.get("resources", []):
                    for verb in rule.get("verbs", []):
                        names = ",".join(sorted(rule.get("resourceNames") or []))
                        out.add((group, resource, verb, names))
    return out


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    a, b = triples(sys.argv[1]), triples(sys.argv[2])
    for name, extra in ((sys.argv[1], a - b), (sys.argv[2], b - a)):
        for group, resource, verb, names in sorted(extra):
            print("only in %s: %s %s/%s%s" % (name, verb, group or "core", resource,
                                              " named " + names if names else ""))
    if a != b:
        return 1
    print("same %d permissions" % len(a))
    return 0


if __name__ == "__main__":
    sys.exit(main())
