#!/usr/bin/env python3
"""AAPOR final dispositions, reserve activations and outcome rates of a telephone attempt history,
computed by hand (independently of pingyi's code) for CallRatesTests.

    python3 Tests/Fixtures/calls/aapor_by_hand.py              # expected.csv from list.csv + attempts.csv
    python3 Tests/Fixtures/calls/aapor_by_hand.py --regenerate .build/debug/pingyi

--regenerate first makes list.csv and attempts.csv afresh with pingyi (the enterprises design,
seed 20170401; 4 simulated interviewers on 3 days from Monday 2017-11-06, seed 7), exactly as
the test does, then computes expected.csv from them.

The rules are AAPOR's Standard Definitions (2016) for telephone surveys as the enterprises
questionnaire's call rules state them (pingyi's defaults), written out here from the definitions:
after every attempt, in order, the first that holds closes the case —
  complete → I (1.1); break-off → P (1.2: the questionnaire has no complete-above share, so an
  interview broken off is partial); hard refusal → R (2.11); unable → O (2.30); reached but not
  eligible → NE (4.70); the last outcome on every number non-working or fax → NE (4.30); with the
  six attempts used: a soft refusal at some attempt → R (2.112), else a person reached at some
  attempt → NC (2.21), else UH (3.13).
A case closed as R, NC, O or UH puts the next unused reserve of its reserve group (by rank) into
use. Cases in use: the sample and the activated reserves; a case in use with no final
disposition is of unknown eligibility (U). e = (I+P+R+NC+O)/(I+P+R+NC+O+NE), and the rates are
Standard Definitions' RR1–6, COOP1–4, REF1–3 and CON1–3.
"""

import csv
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
MAX_ATTEMPTS = 6
CONTACT = {"complete", "break-off", "call-back", "not-available", "soft-refusal", "hard-refusal", "unable", "ineligible"}
NON_RESPONSE = {"R", "NC", "O", "UH"}


def regenerate(pingyi):
    work = tempfile.mkdtemp(prefix="pingyi-aapor-")
    db = os.path.join(work, "store.sqlite")
    run = lambda *args: subprocess.run([pingyi, *args], check=True, capture_output=True)
    run("sample", "--design", os.path.join(ROOT, "surveys/designs/enterprises.yaml"), "--seed", "20170401",
        "--out", os.path.join(HERE, "list.csv"))
    os.remove(os.path.join(HERE, "list.manifest.json"))
    run("cases", "load", "--list", os.path.join(HERE, "list.csv"), "--survey",
        os.path.join(ROOT, "surveys/questionnaires/enterprises.yaml"), "--db", db)
    run("simulate", "calls", "--questionnaire", "enterprises", "--list", os.path.join(HERE, "list.csv"), "--seed", "7",
        "--interviewers", "4", "--evenings", "3", "--start", "2017-11-06", "--db", db)
    run("calls", "export", "--out", os.path.join(HERE, "attempts.csv"), "--db", db)


def numbers(cell):
    parts = [p for p in cell.replace("；", ";").replace("，", ";").replace(",", ";").replace("/", ";").replace("、", ";").split(";")]
    digits = ["".join(c for c in p if c.isdigit()) for p in parts]
    return len([d for d in digits if len(d) >= 3]) or 1


def final(history, phones):
    """The final class and AAPOR code after the attempts so far, or None."""
    last = history[-1]["outcome"]
    if last == "complete":
        return "I", "1.1"
    if last == "break-off":
        return "P", "1.2"
    if last == "hard-refusal":
        return "R", "2.11"
    if last == "unable":
        return "O", "2.30"
    if last == "ineligible":
        return "NE", "4.70"
    by_number = {}
    for a in history:
        by_number[a["phone_rank"]] = a["outcome"]
    if len(by_number) >= phones and all(o in ("non-working", "fax") for o in by_number.values()):
        return "NE", "4.30"
    if len(history) >= MAX_ATTEMPTS:
        if any(a["outcome"] == "soft-refusal" for a in history):
            return "R", "2.112"
        if any(a["outcome"] in CONTACT for a in history):
            return "NC", "2.21"
        return "UH", "3.13"
    return None


def ratio(a, b):
    return a / b if b > 0 else None


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--regenerate":
        regenerate(sys.argv[2])
    with open(os.path.join(HERE, "list.csv"), encoding="utf-8") as f:
        cases = list(csv.DictReader(f))
    with open(os.path.join(HERE, "attempts.csv"), encoding="utf-8") as f:
        attempts = list(csv.DictReader(f))
    attempts.sort(key=lambda a: int(a["attempt_id"]))

    reserves = {}
    for c in cases:
        if c["role"] == "reserve":
            reserves.setdefault(c["reserve_group"], []).append(c)
    for group in reserves.values():
        group.sort(key=lambda c: int(c["reserve_rank"]))
    in_use = {c["case_id"] for c in cases if c["role"] == "sample"}
    group_of = {c["case_id"]: c["reserve_group"] for c in cases}
    phones = {c["case_id"]: numbers(c["phone"]) for c in cases}
    used = set()
    histories, finals, activated = {}, {}, []
    for a in attempts:
        cid = a["case_id"]
        assert cid in in_use, f"attempt {a['attempt_id']} on {cid}, which is not in use"
        assert cid not in finals, f"attempt {a['attempt_id']} on {cid}, closed before"
        histories.setdefault(cid, []).append(a)
        result = final(histories[cid], phones[cid])
        if result is None:
            continue
        finals[cid] = result
        if result[0] in NON_RESPONSE:
            for r in reserves.get(group_of[cid], []):
                if r["case_id"] not in used:
                    used.add(r["case_id"])
                    in_use.add(r["case_id"])
                    activated.append((r["case_id"], cid))
                    break

    counts = {k: 0 for k in ("I", "P", "R", "NC", "O", "U", "NE")}
    for cid in in_use:
        cls = finals.get(cid, ("U",))[0]
        counts["U" if cls == "UH" else cls] += 1
    I, P, R, NC, O, U, NE = (counts[k] for k in ("I", "P", "R", "NC", "O", "U", "NE"))
    e = (I + P + R + NC + O) / (I + P + R + NC + O + NE)
    rates = {
        "RR1": ratio(I, I + P + R + NC + O + U), "RR2": ratio(I + P, I + P + R + NC + O + U),
        "RR3": ratio(I, I + P + R + NC + O + e * U), "RR4": ratio(I + P, I + P + R + NC + O + e * U),
        "RR5": ratio(I, I + P + R + NC + O), "RR6": ratio(I + P, I + P + R + NC + O),
        "COOP1": ratio(I, I + P + R + O), "COOP2": ratio(I + P, I + P + R + O),
        "COOP3": ratio(I, I + P + R), "COOP4": ratio(I + P, I + P + R),
        "REF1": ratio(R, I + P + R + NC + O + U), "REF2": ratio(R, I + P + R + NC + O + e * U), "REF3": ratio(R, I + P + R + NC + O),
        "CON1": ratio(I + P + R + O, I + P + R + O + NC + U), "CON2": ratio(I + P + R + O, I + P + R + O + NC + e * U),
        "CON3": ratio(I + P + R + O, I + P + R + O + NC),
    }
    with open(os.path.join(HERE, "expected.csv"), "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "value"])
        w.writerow(["cases", len(in_use)])
        for k, v in counts.items():
            w.writerow([k, v])
        w.writerow(["e", repr(e)])
        for k, v in rates.items():
            w.writerow([k, "" if v is None else repr(v)])
        for cid in sorted(finals):
            w.writerow(["final " + cid, "%s %s" % finals[cid]])
        for reserve, replaced in activated:
            w.writerow(["activated " + reserve, replaced])
    print("cases in use %d, finals %d, reserves activated %d; RR1 %.4f RR3 %.4f" % (len(in_use), len(finals), len(activated), rates["RR1"], rates["RR3"]))


if __name__ == "__main__":
    main()
