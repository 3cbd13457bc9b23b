"""Regenerates tests/fixtures/check/draft7_schema_cases.json: random schemas and whether
jsonschema 4.22's Draft7Validator.check_schema accepts them (the library checker's test).
Run with the checker's environment (jsonschema==4.22.0)."""
import json
import random

from jsonschema import Draft7Validator
from jsonschema.exceptions import SchemaError

random.seed(11)
VALUES = [None, True, False, 0, 1, -1, 1.0, 1.5, 0.0, "", "x", "string", "object", "integer", "str", "[", "^a+$",
          "(?<n>a)", "\\p{L}", [], ["a"], ["a", "a"], ["string", "null"], ["string", "string"], [1], [{}], [True],
          {}, {"type": "string"}, {"a": {}}, {"a": 1}, {"[": {}}, {"a": ["b"]}, {"a": "b"}]
KEYS = ["type", "title", "description", "properties", "required", "pattern", "patternProperties", "items",
        "minLength", "maxLength", "minItems", "enum", "const", "default", "multipleOf", "minimum",
        "additionalProperties", "dependencies", "uniqueItems", "readOnly", "examples", "allOf", "anyOf", "not",
        "format", "$schema", "$ref", "secrets", "definitions", "if", "propertyNames"]


def schema(depth):
    s = {}
    for _ in range(random.randint(0, 3)):
        k = random.choice(KEYS)
        if depth < 2 and random.random() < 0.3:
            v = schema(depth + 1)
            if k in ("properties", "definitions", "patternProperties", "dependencies"):
                v = {random.choice(["a", "b", "[", "^x"]): v}
            elif k in ("allOf", "anyOf", "items"):
                v = [v]
        else:
            v = random.choice(VALUES)
        s[k] = v
    return s


cases = []
seen = set()
while len(cases) < 3000:
    s = schema(0)
    key = json.dumps(s, sort_keys=True)
    if key in seen:
        continue
    seen.add(key)
    try:
        Draft7Validator.check_schema(s)
        ok = True
    except SchemaError:
        ok = False
    cases.append([s, ok])
with open("tests/fixtures/check/draft7_schema_cases.json", "w") as f:
    json.dump(cases, f)
print(len(cases), "schemas,", sum(ok for _, ok in cases), "valid")
