#!/usr/bin/env python3
"""Generates Gherkin corpora from the official testdata, into a git-ignored
folder (default bench/corpus/):

  bench  many/NNNNN.feature   real-world-sized files (2-40 KB): testdata
                              bodies repeated, renumbered
         big.feature          one ~100 MB document of Rule blocks
  diff   diff/NNNNN.feature   odd input for differential testing against the
                              official JS parser: odd whitespace, tabs, CRLF,
                              unicode, BOMs, deep outlines, huge tables, every
                              keyword of several dialects, broken files

Usage: gen-gherkin-corpus.py [--out DIR] [--shared DIR] [--big-mb N]
                             [--files N] [--seed S] bench|diff|all
Deterministic for a given seed.
"""
import argparse
import json
import os
import random
import re
import sys


def testdata(shared):
    good = os.path.join(shared, "conformance", "gherkin", "good")
    files = sorted(f for f in os.listdir(good) if f.endswith(".feature"))
    return [(f, open(os.path.join(good, f), encoding="utf-8", newline="").read())
            for f in files]


def split_body(text):
    """(header, body) when the body can be repeated (no Background, no Rule,
    no language header), else None."""
    if re.search(r"^\s*(Background|Rule):", text, re.M) or "# language" in text:
        return None
    m = re.search(r"^[ \t]*(Scenario|Example|Scenario Outline|Scenario Template)"
                  r"|^[ \t]*@", text, re.M)
    if not m:
        return None
    head = text[:m.start()]
    if "Feature:" not in head:
        return None
    return head, text[m.start():]


def gen_bench(out, shared, big_mb, nfiles, rnd):
    docs = [split_body(t) for _, t in testdata(shared)]
    docs = [d for d in docs if d and d[1].strip()]
    many = os.path.join(out, "many")
    os.makedirs(many, exist_ok=True)
    total = 0
    for i in range(nfiles):
        head, body = docs[i % len(docs)]
        target = rnd.choice([2000, 4000, 6000, 10000, 20000, 40000])
        parts = [head if head.endswith("\n") else head + "\n"]
        size = len(parts[0])
        k = 0
        while size < target:
            b = body.replace("Scenario:", "Scenario: %d" % k, 1)
            if not b.endswith("\n"):
                b += "\n"
            parts.append(b)
            size += len(b)
            k += 1
        data = "".join(parts)
        with open(os.path.join(many, "%05d.feature" % i), "w",
                  encoding="utf-8", newline="") as f:
            f.write(data)
        total += len(data.encode("utf-8"))
    print("bench: %d files, %.1f MB in %s" % (nfiles, total / 1e6, many))

    rule = open(os.path.join(shared, "conformance", "gherkin", "good",
                             "rule.feature"), encoding="utf-8").read()
    block = rule[rule.index("  Rule:"):]
    block = block.split("\n  Rule:")
    block = "\n  Rule:".join(block)
    extra = ("\n  Rule: outlines %d\n    Background:\n      Given a context\n"
             "    @tagged\n    Scenario Outline: eat <n>\n"
             "      Given there are <start> cucumbers\n"
             "      When I eat <eat> cucumbers\n"
             "      Then I should have <left> cucumbers\n"
             "        | name | value |\n        | <n>  | 1     |\n"
             "      Examples:\n        | n | start | eat | left |\n"
             "        | 1 |    12 |   5 |    7 |\n        | 2 |    20 |   5 |   15 |\n")
    path = os.path.join(out, "big.feature")
    limit = big_mb * 1000 * 1000
    with open(path, "w", encoding="utf-8") as f:
        f.write("Feature: one big document of Rule blocks\n")
        size = 0
        n = 0
        while size < limit:
            chunk = block.replace("Rule: A", "Rule: A%d" % n) + extra % n
            f.write(chunk)
            size += len(chunk)
            n += 1
    print("bench: %s, %.1f MB, %d blocks" % (path, os.path.getsize(path) / 1e6, n))


WS = [" ", "  ", "\t", " \t ", "\u00a0", "\u3000", "\u2003", ""]
UNI = ["é", "ß", "日本語", "😀", "🥒", "Ω", "\u200b", "ﬁ", "\u0301", "א"]


def odd(rnd, s):
    return rnd.choice(WS) + s + rnd.choice(WS)


def gen_doc(rnd, d, code):
    """A random document in dialect d: valid most of the time."""
    kw = lambda k: rnd.choice(d[k]).strip() if k not in (
        "given", "when", "then", "and", "but") else rnd.choice(d[k])
    nl = "\r\n" if rnd.random() < 0.2 else "\n"
    out = []
    if rnd.random() < 0.1:
        out.append("\ufeff")
    if code != "en" or rnd.random() < 0.1:
        out.append("#%slanguage:%s%s%s" % (rnd.choice(["", " "]), rnd.choice(["", " "]),
                                          code, rnd.choice(["", " "])) + nl)
    for _ in range(rnd.randrange(0, 3)):
        out.append(odd(rnd, "# " + rnd.choice(UNI)) + nl)
    if rnd.random() < 0.5:
        out.append(odd(rnd, " ".join("@" + rnd.choice(["t", "wip", "x-y"] + UNI)
                                     + str(i) for i in range(rnd.randrange(1, 4)))) + nl)
    out.append(odd(rnd, kw("feature") + ":" + odd(rnd, "F " + rnd.choice(UNI))) + nl)
    if rnd.random() < 0.5:
        out.append(odd(rnd, "free text " + rnd.choice(UNI)) + nl)
        out.append(rnd.choice(WS) + nl)
    if rnd.random() < 0.4:
        out.append(odd(rnd, kw("background") + ":") + nl)
        out.append(odd(rnd, kw("given") + "bg step") + nl)

    def steps(n, outline):
        for i in range(n):
            k = rnd.choice(["given", "when", "then", "and", "but"])
            text = "step %d %s" % (i, rnd.choice(UNI))
            if outline:
                text += " <a> <b>"
            out.append(odd(rnd, kw(k) + text) + nl)
            r = rnd.random()
            if r < 0.15:
                cols = rnd.randrange(1, 6)
                for _ in range(rnd.randrange(1, 30)):
                    out.append(rnd.choice(WS) + "|" + "|".join(
                        odd(rnd, rnd.choice(["v", "\\|", "\\n", "\\\\", "<a>", ""] + UNI))
                        for _ in range(cols)) + "|" + rnd.choice(["", " "]) + nl)
            elif r < 0.25:
                sep = rnd.choice(['"""', "```"])
                ind = rnd.choice(["", "  ", "      "])
                out.append(ind + sep + rnd.choice(["", "json", " text/plain "]) + nl)
                for _ in range(rnd.randrange(0, 5)):
                    out.append(rnd.choice(["", "  ", "    ", "\t"]) + rnd.choice(
                        ["x", '\\"\\"\\"', "\\`\\`\\`", "<b>", "  "] + UNI) + nl)
                if rnd.random() < 0.95:
                    out.append(ind + sep + nl)

    def scenario():
        if rnd.random() < 0.4:
            out.append(odd(rnd, "@s" + rnd.choice(UNI)) + nl)
        outline = rnd.random() < 0.4
        k = kw("scenarioOutline") if outline else kw("scenario")
        out.append(odd(rnd, k + ":" + odd(rnd, "S <a> " + rnd.choice(UNI))) + nl)
        steps(rnd.randrange(0, 6), outline)
        if outline:
            for _ in range(rnd.randrange(0, 3)):
                if rnd.random() < 0.5:
                    out.append(odd(rnd, "@e") + nl)
                out.append(odd(rnd, kw("examples") + ":" + odd(rnd, "E")) + nl)
                rows = rnd.choice([1, 2, 3, 50, 400])
                out.append("  | a | b |" + nl)
                for r in range(rows):
                    out.append("  | %d%s | <a>%s |" % (r, rnd.choice(UNI), rnd.choice(WS)) + nl)
    for _ in range(rnd.randrange(0, 5)):
        scenario()
    for _ in range(rnd.randrange(0, 3)):
        out.append(odd(rnd, kw("rule") + ":" + odd(rnd, "R")) + nl)
        if rnd.random() < 0.5:
            out.append(odd(rnd, kw("background") + ":") + nl)
            out.append(odd(rnd, kw("given") + "rule bg") + nl)
        for _ in range(rnd.randrange(0, 3)):
            scenario()
    text = "".join(out)
    # sometimes break it: the reference decides what the error is
    r = rnd.random()
    lines = text.split(nl)
    if r < 0.1 and len(lines) > 3:
        lines.insert(rnd.randrange(1, len(lines)), odd(rnd, "not gherkin " + rnd.choice(UNI)))
    elif r < 0.15 and len(lines) > 3:
        lines.insert(rnd.randrange(1, len(lines)), "  @bad tag")
    elif r < 0.2:
        lines.append("  | only | one |")
        lines.append("  | three | cells | here |")
    return nl.join(lines)


def gen_diff(out, shared, nfiles, rnd):
    langs = json.load(open(os.path.join(shared, "conformance", "gherkin",
                                        "gherkin-languages.json"), encoding="utf-8"))
    codes = ["en", "fr", "de", "ru", "ja", "zh-CN", "ar", "he", "em", "en-pirate",
             "no", "ht", "tr", "uk", "vi", "en-lol"]
    d = os.path.join(out, "diff")
    os.makedirs(d, exist_ok=True)
    for i in range(nfiles):
        code = codes[i % len(codes)]
        text = gen_doc(rnd, langs[code], code)
        data = text.encode("utf-8")
        if i % 97 == 5:
            data = data.replace(b"step", b"st\xffep", 1)  # invalid UTF-8
        with open(os.path.join(d, "%05d.feature" % i), "wb") as f:
            f.write(data)
    # every keyword of several dialects, one file per dialect
    for code in codes:
        dd = langs[code]
        lines = ["# language: " + code, dd["feature"][0] + ": all keywords"]
        for k in dd["background"][:1]:
            lines.append("  %s:" % k)
            for s in dd["given"]:
                lines.append("    %sbg" % s)
        for sk in dd["scenario"] + dd["scenarioOutline"]:
            lines.append("  %s: s" % sk)
            for kind in ("given", "when", "then", "and", "but"):
                for s in dd[kind]:
                    lines.append("    %sx <a>" % s)
            for ek in dd["examples"]:
                lines.append("    %s:" % ek)
                lines.append("      | a |")
                lines.append("      | 1 |")
        for rk in dd["rule"]:
            lines.append("  %s: r" % rk)
            lines.append("    %s: s" % dd["scenario"][0])
            lines.append("      %sy" % dd["given"][-1])
        with open(os.path.join(d, "kw-%s.feature" % code), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
    print("diff: %d files in %s" % (nfiles + len(codes), d))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser()
    ap.add_argument("what", choices=["bench", "diff", "all"])
    ap.add_argument("--out", default=os.path.join(here, "..", "bench", "corpus"))
    ap.add_argument("--shared", default=os.environ.get(
        "LB_SHARED_DIR", os.path.join(here, "..", "..", "shared")))
    ap.add_argument("--big-mb", type=int, default=100)
    ap.add_argument("--files", type=int, default=0)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    rnd = random.Random(a.seed)
    if not os.path.isdir(os.path.join(a.shared, "conformance", "gherkin")):
        sys.exit("gen-gherkin-corpus: no testdata in %s (use --shared)" % a.shared)
    if a.what in ("bench", "all"):
        gen_bench(a.out, a.shared, a.big_mb, a.files or 5000, rnd)
    if a.what in ("diff", "all"):
        gen_diff(a.out, a.shared, a.files or 2000, rnd)


if __name__ == "__main__":
    main()
