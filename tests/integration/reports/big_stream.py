#!/usr/bin/env python3
"""Writes a Cucumber Messages stream of N scenarios with S steps each to
stdout (one feature per 100 scenarios, every 50th scenario failing), to
measure the formatters' speed and memory. Usage: big_stream.py N S"""
import json
import sys

n, s = int(sys.argv[1]), int(sys.argv[2])
w = sys.stdout.write
ids = iter(range(1, 10**9))
t = [0]


def ts():
    t[0] += 1000
    return {"seconds": t[0] // 10**9, "nanos": t[0] % 10**9}


def emit(k, v):
    w(json.dumps({k: v}, separators=(",", ":")) + "\n")


emit("meta", {"protocolVersion": "31.1.0",
              "implementation": {"name": "logos-bdd", "version": "0"},
              "runtime": {"name": "c"}, "os": {"name": "linux"},
              "cpu": {"name": "x64"}})
emit("stepDefinition", {"id": "d1", "pattern": {
    "source": "node {int} has height {int}", "type": "CUCUMBER_EXPRESSION"},
    "sourceReference": {"uri": "steps/s.c", "location": {"line": 1}}})
cases = []
for f in range((n + 99) // 100):
    uri = "features/f%d.feature" % f
    children, pickles = [], []
    for k in range(min(100, n - f * 100)):
        line = 3 + k * (s + 2)
        steps = [{"id": "a%d" % next(ids), "location": {"line": line + 1 + j, "column": 5},
                  "keyword": "Given ", "keywordType": "Context",
                  "text": "node %d has height %d" % (j, k)} for j in range(s)]
        sc = {"id": "a%d" % next(ids), "tags": [], "location": {"line": line, "column": 3},
              "keyword": "Scenario", "name": "scenario %d" % k, "description": "",
              "steps": steps, "examples": []}
        children.append({"scenario": sc})
        pid = "p%d" % next(ids)
        pickles.append({"id": pid, "uri": uri, "location": sc["location"],
                        "name": sc["name"], "language": "en", "tags": [],
                        "astNodeIds": [sc["id"]],
                        "steps": [{"id": "ps%d" % next(ids), "text": st["text"],
                                   "type": "Context", "astNodeIds": [st["id"]]}
                                  for st in steps]})
    emit("source", {"uri": uri, "data": "Feature: f\n",
                    "mediaType": "text/x.cucumber.gherkin+plain"})
    emit("gherkinDocument", {"uri": uri, "comments": [], "feature": {
        "tags": [], "location": {"line": 1, "column": 1}, "language": "en",
        "keyword": "Feature", "name": "feature %d" % f, "description": "",
        "children": children}})
    for p in pickles:
        emit("pickle", p)
        cases.append(p)
emit("testRunStarted", {"id": "run", "timestamp": ts()})
for i, p in enumerate(cases):
    tc = "c%d" % next(ids)
    tsteps = [{"id": "t%d" % next(ids), "pickleStepId": st["id"],
               "stepDefinitionIds": ["d1"],
               "stepMatchArgumentsLists": [{"stepMatchArguments": []}]}
              for st in p["steps"]]
    emit("testCase", {"id": tc, "pickleId": p["id"], "testSteps": tsteps,
                      "testRunStartedId": "run"})
    st_id = "s%d" % next(ids)
    emit("testCaseStarted", {"id": st_id, "testCaseId": tc, "timestamp": ts(),
                             "attempt": 0})
    for j, tstep in enumerate(tsteps):
        emit("testStepStarted", {"testCaseStartedId": st_id,
                                 "testStepId": tstep["id"], "timestamp": ts()})
        res = {"status": "PASSED", "duration": {"seconds": 0, "nanos": 1000}}
        if i % 50 == 49 and j == s - 1:
            res = {"status": "FAILED", "message": "height 3 < 10",
                   "duration": {"seconds": 0, "nanos": 1000}}
        emit("testStepFinished", {"testCaseStartedId": st_id,
                                  "testStepId": tstep["id"],
                                  "testStepResult": res, "timestamp": ts()})
    emit("testCaseFinished", {"testCaseStartedId": st_id, "timestamp": ts(),
                              "willBeRetried": False})
emit("testRunFinished", {"testRunStartedId": "run", "timestamp": ts(),
                         "success": n < 50})
