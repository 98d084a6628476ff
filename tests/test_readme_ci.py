#!/usr/bin/env python3
"""README's "Using slabsim in your CI", run as written.

Takes the section's YAML block (ci.yaml) and its shell commands, runs them
with the binary under test, and checks what the section promises: exit
codes, junit.xml parsed by a real XML parser with one test case per
expectation, expect.json, and diff against a baseline. Also checks that
every figure of a real summary.json is accepted as an expectation (the
load-time path table in sim/workload/expect.c keeps up with the summary).

Usage: test_readme_ci.py SLABSIM SOURCE_ROOT
"""
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def section(readme):
    m = re.search(r"^## Using slabsim in your CI\n(.*?)^## ", readme,
                  re.S | re.M)
    if not m:
        fail("README has no section 'Using slabsim in your CI'")
    return m.group(1)


def blocks(text, lang):
    return re.findall(r"```" + lang + r"\n(.*?)```", text, re.S)


def run(slabsim, words, cwd):
    """A README command line: build/slabsim replaced by the binary."""
    assert words[0] == "build/slabsim", words
    return subprocess.run([slabsim] + words[1:], cwd=cwd,
                          capture_output=True, text=True)


def expect_lines(yaml_text):
    return [l for l in yaml_text.split("\n") if l.startswith("  - {summary:")
            or l.startswith("  - {slabinfo:")]


def main():
    slabsim, src = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "README.md")) as f:
        sec = section(f.read())
    yaml_blocks = blocks(sec, "yaml")
    sh_blocks = blocks(sec, "sh")
    if len(yaml_blocks) != 1 or len(sh_blocks) != 2:
        fail("expected one yaml and two sh blocks in the CI section")
    ci_yaml = yaml_blocks[0]
    n_expect = len(expect_lines(ci_yaml))
    if n_expect < 4:
        fail("the example should show several expectations")

    with tempfile.TemporaryDirectory(prefix="slabsim-readme-ci-") as tmp:
        with open(os.path.join(tmp, "ci.yaml"), "w") as f:
            f.write(ci_yaml)

        # The CI job: every expectation holds, exit 0.
        cmds = [shlex.split(l, comments=True) for l in sh_blocks[0].strip().split("\n")]
        for words in cmds:
            r = run(slabsim, words, tmp)
            if r.returncode != 0:
                fail(f"{words}: exit {r.returncode}: {r.stderr}")
        out = r.stdout
        if f"expectations: {n_expect} passed, 0 failed" not in out:
            fail("summary line of the expectations missing:\n" + out)
        if "PASS  summary locks.contentions = " not in out:
            fail("a verdict line as the README shows it is missing")

        # junit.xml: a real parser, one case per expectation.
        tree = ET.parse(os.path.join(tmp, "ci-run", "junit.xml"))
        root = tree.getroot()
        if root.tag != "testsuites":
            fail("junit root is " + root.tag)
        suites = root.findall("testsuite")
        cases = root.findall("./testsuite/testcase")
        if len(suites) != 1 or len(cases) != n_expect:
            fail(f"{len(cases)} test cases for {n_expect} expectations")
        if int(suites[0].get("tests")) != n_expect or \
                int(suites[0].get("failures")) != 0:
            fail("testsuite counts are wrong")
        if any(c.find("failure") is not None for c in cases):
            fail("a passing run has a failure element")
        names = [c.get("name") for c in cases]
        if len(set(names)) != n_expect:
            fail("test case names are not distinct: %s" % names)

        # expect.json agrees.
        with open(os.path.join(tmp, "ci-run", "expect.json")) as f:
            ej = json.load(f)
        if ej["passed"] != n_expect or ej["failed"] != 0 or \
                len(ej["expectations"]) != n_expect:
            fail("expect.json counts")

        # The same workload with one bound tightened below its value:
        # exit 1, one <failure> naming the figure.
        contention = None
        for e in ej["expectations"]:
            if e["figure"] == "active_objs":
                contention = e
        if contention is None:
            fail("the example has no slabinfo active_objs expectation")
        v = contention["value"]
        bad = re.sub(r"(field: active_objs, min: )\d+", r"\g<1>%d" % (v + 1),
                     ci_yaml)
        with open(os.path.join(tmp, "bad.yaml"), "w") as f:
            f.write(bad)
        r = subprocess.run([slabsim, "run", "bad.yaml", "-o", "bad-run"],
                           cwd=tmp, capture_output=True, text=True)
        if r.returncode != 1:
            fail(f"a failed expectation exits {r.returncode}, not 1")
        root = ET.parse(os.path.join(tmp, "bad-run", "junit.xml")).getroot()
        failures = root.findall("./testsuite/testcase/failure")
        if len(failures) != 1 or "active_objs" not in failures[0].get("message"):
            fail("the failure is not reported in junit.xml")
        if "bad.yaml:" not in (failures[0].text or ""):
            fail("the failure does not say where the expectation is")

        # A figure that does not exist: exit 2, named, nothing written.
        typo = ci_yaml.replace("locks.contentions", "locks.contentionz")
        with open(os.path.join(tmp, "typo.yaml"), "w") as f:
            f.write(typo)
        r = subprocess.run([slabsim, "run", "typo.yaml", "-o", "typo-run"],
                           cwd=tmp, capture_output=True, text=True)
        if r.returncode != 2 or "locks.contentionz" not in r.stderr or \
                os.path.exists(os.path.join(tmp, "typo-run")):
            fail("a missing figure is not bad input: %d %s" %
                 (r.returncode, r.stderr))

        # The baseline form: the README's second block, with the first
        # run as the baseline; unchanged, diff exits 0.
        os.rename(os.path.join(tmp, "ci-run"), os.path.join(tmp, "baseline-run"))
        for words in [shlex.split(l, comments=True) for l in sh_blocks[1].strip().split("\n")]:
            r = run(slabsim, words, tmp)
            if r.returncode != 0:
                fail(f"{words}: exit {r.returncode}: {r.stdout}{r.stderr}")
        # A changed tunable moves figures beyond 2%: exit 1, named.
        r = subprocess.run([slabsim, "run", "ci.yaml", "-o", "shared-run", "-q",
                            "--set", "caches.inode_cache.tune.shared=8"],
                           cwd=tmp, capture_output=True, text=True)
        if r.returncode != 0:
            fail("tuned run: " + r.stderr)
        r = subprocess.run([slabsim, "diff", "baseline-run", "shared-run"],
                           cwd=tmp, capture_output=True, text=True)
        if r.returncode != 1 or "moved:" not in r.stdout:
            fail("diff did not report the changed tunable:\n" + r.stdout)

        # Every figure of a real summary is accepted as an expectation.
        with open(os.path.join(tmp, "baseline-run", "summary.json")) as f:
            summary = json.load(f)
        paths = []

        def walk(v, path):
            if isinstance(v, dict):
                for k, x in v.items():
                    walk(x, path + [k])
            elif isinstance(v, list):
                for i, x in enumerate(v):
                    walk(x, path + [str(i)])
            elif isinstance(v, bool):
                paths.append((".".join(path), "equal: %s" % str(v).lower()))
            elif isinstance(v, (int, float)):
                paths.append((".".join(path), "min: -1000000000"))
            elif isinstance(v, str) and "\n" not in v and v:
                paths.append((".".join(path),
                              "equal: '%s'" % v.replace("'", "''")))
        walk(summary, [])
        lines = "".join("  - {summary: '%s', %s}\n" % p for p in paths)
        every = ci_yaml.split("expect:\n")[0] + "expect:\n" + lines
        # the same file name: call sites are named FILE:LINE
        os.makedirs(os.path.join(tmp, "every"))
        with open(os.path.join(tmp, "every", "ci.yaml"), "w") as f:
            f.write(every)
        r = subprocess.run([slabsim, "run", "every/ci.yaml", "-o",
                            "every-run", "-q"], cwd=tmp,
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail("a figure of summary.json is refused or fails: " +
                 r.stdout + r.stderr)
    print("ok: README CI section, %d expectations, %d summary figures"
          % (n_expect, len(paths)))


if __name__ == "__main__":
    main()
