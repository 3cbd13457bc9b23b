"""Regenerates tests/fixtures/check/python_re_cases.json: random patterns and whether CPython's
re.compile accepts them (run with Python 3.11, the version the library's checker is run with)."""
import json
import random
import re
import warnings

warnings.simplefilter("ignore")
random.seed(7)
ATOMS = ["a", "b", "1", ".", "^", "$", "*", "+", "?", "{", "}", "{2}", "{1,3}", "{3,1}", "{,2}", "(", ")",
         "(?:", "(?P<n>", "(?P<m>", "(?P=n)", "(?<=", "(?<!", "(?=", "(?!", "(?i)", "(?x)", "(?i:", "(?-i:",
         "(?#c)", "(?>", "[", "]", "[^", "-", "\\d", "\\w", "\\b", "\\B", "\\A", "\\Z", "\\1", "\\2", "\\0",
         "\\12", "\\x4", "\\x41", "\\u00e9", "\\p", "\\k", "\\\\", "\\.", "\\-", "|", "(?(1)", "(?(n)", " ", "#",
         "\n", "é", "\\N{LATIN SMALL LETTER A}", "a{", "\\"]
VALID_ATOMS = ["a", "b", ".", "\\d", "[a-z]", "(a)", "(?:b)", "(?P<n>a)", "*", "+", "?", "{2}", "|", "^", "$",
               "(?<=ab)", "(?<=a|b)", "(?<=a*)", "(?<=(a))", "\\1", "[\\w-]", "[]a]", "(?(1)a|b)", "(?i)"]
cases = {}
for atoms, lengths, count in ((ATOMS, (1, 7), 6000), (VALID_ATOMS, (1, 5), 4000)):
    for _ in range(count):
        p = "".join(random.choice(atoms) for _ in range(random.randint(*lengths)))
        try:
            re.compile(p)
            ok = True
        except (re.error, OverflowError, ValueError):
            ok = False
        cases[p] = ok
with open("tests/fixtures/check/python_re_cases.json", "w") as f:
    json.dump(sorted(cases.items()), f, indent=0, ensure_ascii=False)
print(len(cases), "patterns,", sum(cases.values()), "valid")
