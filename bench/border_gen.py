#!/usr/bin/env python3
"""Synthetic data for bench/border_checks.sh: SLTD documents, NOMINAL persons and the MRZs of
travellers presented at a border gate, all pure functions of a fixed seed.

  border_gen.py sltd N OUT.csv [FIRST]  N SLTD records (bench/sltd_gen.py's documents FIRST..
                                        FIRST+N-1, default 0) with the columns `ncbnet records
                                        import` reads
  border_gen.py nominal M OUT.jsonl     M persons (Latin names built from syllables, so that
                                        namesakes are as rare as in life), each with a passport
  border_gen.py mrz N M COUNT OUT.jsonl COUNT travellers' passports as {"mrz": "..."} lines:
                                        90% nobody sought (a fresh name and an absent document),
                                        5% a document stolen in SLTD, 5% a person of NOMINAL
                                        travelling on another passport
"""
import json
import random
import sys

import sltd_gen

SEED = 20261128
ONSETS = ["b", "ch", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "sh", "t", "v",
          "w", "y", "z", "br", "kr", "st", "tr"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou", "ia", "ya"]
CODAS = ["", "", "n", "r", "s", "l", "k", "m", "nd", "rt"]
NATIONALITIES = ["FRA", "DEU", "ITA", "ESP", "NLD", "POL", "ROU", "TUR", "RUS", "UKR", "MAR",
                 "DZA", "NGA", "BRA", "COL", "CHN", "IND", "PAK", "USA", "GBR"]


def word(rng, syllables):
    return "".join(rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)
                   for _ in range(syllables)).capitalize()


def person(rng):
    given = word(rng, rng.choice([1, 2, 2, 3]))
    family = word(rng, rng.choice([2, 2, 3]))
    year = rng.randrange(1950, 2006)
    dob = "%04d-%02d-%02d" % (year, rng.randrange(1, 13), rng.randrange(1, 29))
    return given, family, dob, rng.choice(NATIONALITIES), rng.choice("MF")


def check_digit(s):
    total = 0
    for i, c in enumerate(s):
        value = 0 if c == "<" else int(c) if c.isdigit() else ord(c) - 55
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def td3(state, family, given, number, nationality, dob, sex):
    """A passport's MRZ (ICAO Doc 9303 TD3) with every check digit right."""
    clean = lambda s: "".join(c if c.isalpha() else "<" for c in s.upper())
    line1 = ("P<" + state + clean(family) + "<<" + clean(given)).ljust(44, "<")[:44]
    n = number.ljust(9, "<")[:9]
    birth = dob[2:4] + dob[5:7] + dob[8:10]
    expiry = "300615"
    personal = "<" * 14
    body = n + check_digit(n) + nationality + birth + check_digit(birth) + sex + expiry + \
        check_digit(expiry) + personal + "<"
    composite = body[0:10] + body[13:20] + body[21:43]
    return line1 + "\n" + body + check_digit(composite)


def write_sltd(n, path, first=0):
    with open(path, "w", encoding="ascii") as f:
        f.write("number,issuing_country,document_type,status,event_date\n")
        for i in range(first, first + n):
            f.write(sltd_gen.record_line(i))


def persons(m):
    rng = random.Random(SEED)
    return [person(rng) for _ in range(m)]


def write_nominal(m, path):
    with open(path, "w", encoding="utf-8") as f:
        for i, (given, family, dob, nationality, sex) in enumerate(persons(m)):
            fields = {"name": given + " " + family, "sex": sex, "date_of_birth": dob,
                      "nationalities": [nationality],
                      "identity_documents": [{"number": "N%08d" % i, "issuing_country":
                                              nationality}],
                      "charges": ["fraud"]}
            f.write(json.dumps({"fields": fields, "external_id": "bench-nom-%d" % i,
                                "action": "Report the person's whereabouts to the owner NCB."})
                    + "\n")


def write_mrz(n, m, count, path):
    rng = random.Random(SEED + 1)
    wanted = persons(m)
    with open(path, "w", encoding="ascii") as f:
        for k in range(count):
            roll = rng.random()
            if roll < 0.05:  # a stolen document; its bearer is nobody sought
                i = rng.randrange(n)
                given, family, dob, _, sex = person(rng)
                mrz = td3(sltd_gen.country(i), family, given, sltd_gen.number(i),
                          sltd_gen.country(i), dob, sex)
            elif roll < 0.10:  # a wanted person on another passport
                given, family, dob, nationality, sex = wanted[rng.randrange(m)]
                mrz = td3(nationality, family, given, "X%08d" % k, nationality, dob, sex)
            else:
                given, family, dob, nationality, sex = person(rng)
                i = rng.randrange(n, sltd_gen.MISS_SPAN * n)
                mrz = td3(nationality, family, given, sltd_gen.number(i), nationality, dob, sex)
            f.write(json.dumps({"mrz": mrz}) + "\n")


def main(argv):
    if len(argv) in (4, 5) and argv[1] == "sltd":
        write_sltd(int(argv[2]), argv[3], int(argv[4]) if len(argv) == 5 else 0)
    elif len(argv) == 4 and argv[1] == "nominal":
        write_nominal(int(argv[2]), argv[3])
    elif len(argv) == 6 and argv[1] == "mrz":
        write_mrz(int(argv[2]), int(argv[3]), int(argv[4]), argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
