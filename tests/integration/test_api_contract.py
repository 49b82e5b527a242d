"""The API contract: every route the hub registers (`ncbnet routes --json`, the router the
server runs) is a path and method of docs/openapi.yaml, and every path and method of the spec is
a route. A spec path parameter whose schema is an enum (`/v1/notices/{id}/{action}`) stands for
one path per value, which is how the router registers such steps. No hub is started.

The spec is read without a YAML library (the suite uses only Python's standard library): only
the `paths:` section's keys, which the spec keeps in block style, two spaces for a path and four
for a method; the linter (docs/redocly.yaml) checks the rest of the file."""

import json
import os
import re
import subprocess
import unittest

import hub

SPEC = os.path.join(hub.REPO_ROOT, "docs", "openapi.yaml")
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def spec_operations(text: str) -> set:
    """{(METHOD, path)} of the spec's `paths:` section, enum path parameters expanded."""
    blocks = []  # (path, lines of its block)
    in_paths = False
    for line in text.splitlines():
        if re.match(r"^\S", line):  # a top-level key: paths, components, ...
            in_paths = line.rstrip() == "paths:"
            continue
        if not in_paths:
            continue
        m = re.match(r"^  (/\S*):\s*(#.*)?$", line)
        if m:
            blocks.append((m.group(1), []))
        elif blocks:
            blocks[-1][1].append(line)
    operations = set()
    for path, lines in blocks:
        methods = [m.group(1) for m in (re.match(r"^    ([a-z]+):", ln) for ln in lines)
                   if m and m.group(1) in METHODS]
        params = parameter_items(lines)
        paths = [path]
        for name in re.findall(r"\{(\w+)\}", path):
            for item in params:
                if not re.search(r"\bname:\s*" + name + r"\b", item):
                    continue
                m = re.search(r"\benum:\s*\[([^\]]*)\]", item)
                if m:
                    values = [v.strip().strip("\"'") for v in m.group(1).split(",") if v.strip()]
                    paths = [p.replace("{" + name + "}", v) for p in paths for v in values]
        operations |= {(method.upper(), p) for p in paths for method in methods}
    return operations


def parameter_items(lines: list) -> list:
    """The text of each item of the `parameters:` lists in a path's block (the path's own and its
    operations'), one string per parameter."""
    items = []
    depth = None  # indentation of the `parameters:` key being read, if any
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if depth is not None and line.strip() and (
                indent < depth or (indent == depth and not line.lstrip().startswith("- "))):
            depth = None
        m = re.match(r"^(\s*)parameters:\s*$", line)
        if m:
            depth = len(m.group(1))
            continue
        if depth is None:
            continue
        if line.lstrip().startswith("- ") and indent <= depth + 2:
            items.append(line)
        elif items:
            items[-1] += "\n" + line
    return items


def describe(pairs: set) -> str:
    return "\n".join(f"  {method} {path}" for path, method in sorted((p, m) for m, p in pairs))


class ApiContractTest(unittest.TestCase):
    def routes(self, *args: str) -> subprocess.CompletedProcess:
        result = subprocess.run([hub.binary(), "routes", *args], capture_output=True, text=True,
                                timeout=hub.CLI_TIMEOUT_S, check=False)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result

    def test_routes_and_spec_paths_are_the_same(self) -> None:
        listed = json.loads(self.routes("--json").stdout)["routes"]
        routes = {(r["method"], r["path"]) for r in listed}
        self.assertEqual(len(routes), len(listed), "a route is registered twice")
        with open(SPEC, encoding="utf-8") as f:
            spec = spec_operations(f.read())
        # The parser found the spec, not nothing: a few routes known to be there.
        for known in [("GET", "/healthz"), ("POST", "/v1/auth/login"),
                      ("POST", "/v1/notices/{id}/review")]:
            self.assertIn(known, spec, "the spec's paths were not read")
        missing_from_spec = routes - spec
        not_routes = spec - routes
        message = []
        if missing_from_spec:
            message.append("routes the server registers that docs/openapi.yaml does not "
                           f"describe ({len(missing_from_spec)}):\n" + describe(missing_from_spec))
        if not_routes:
            message.append("operations of docs/openapi.yaml that the server does not register "
                           f"({len(not_routes)}):\n" + describe(not_routes))
        self.assertFalse(message, "\n".join(message))

    def test_text_output_lists_the_json_routes(self) -> None:
        listed = json.loads(self.routes("--json").stdout)["routes"]
        text = [line.split()[:2] for line in self.routes().stdout.splitlines() if line.strip()]
        self.assertEqual(text, [[r["method"], r["path"]] for r in listed])

    def test_parser_expands_enum_path_parameters(self) -> None:
        spec = ("openapi: 3.0.3\npaths:\n"
                "  /v1/x/{id}/{action}:  # a comment\n"
                "    parameters:\n"
                "      - { name: id, in: path, required: true, schema: { type: string } }\n"
                "      - name: action\n        in: path\n"
                "        schema: { type: string, enum: [a, \"b\"] }\n"
                "    post:\n      summary: s\n"
                "    get:\n      responses: {}\n"
                "  /v1/y:\n    description: not a method\n    delete:\n"
                "components:\n  /v1/z:\n    get: {}\n")
        self.assertEqual(spec_operations(spec), {
            ("POST", "/v1/x/{id}/a"), ("POST", "/v1/x/{id}/b"), ("GET", "/v1/x/{id}/a"),
            ("GET", "/v1/x/{id}/b"), ("DELETE", "/v1/y")})


if __name__ == "__main__":
    unittest.main()
