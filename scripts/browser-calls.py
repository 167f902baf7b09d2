#!/usr/bin/env python3
"""Real-browser check of telephone interviewing in `pingyi serve`: headless Chromium signs in as
an interviewer, takes a case, records a no-answer, takes the next case and completes its
interview with the keyboard alone; then a supervisor's page shows the complete in the quota
table. The store is then read to check the dial, the interview and the form.

    python3 scripts/browser-calls.py [--pingyi .build/debug/pingyi] [--out DIR]

Builds its own store: the enterprise sample (pingyi sample) loaded with the enterprise
questionnaire whose calling windows are opened to the whole day (the server runs on the real
clock), an interviewer and a supervisor. Exits 0 when every check passes, 1 with the failing
check, 77 when Chromium, chromedriver or Selenium is missing.
"""

import os
import re
import shutil
import sqlite3
import sys

from browser_common import stop, ROOT, SKIP, Checks, prepare, keyboard, page_problems, start_browser, start_server, waiter

checks = Checks("browser-calls")
check, run = checks.check, checks.run


def questionnaire(work):
    """The enterprise questionnaire with paths made absolute and calling windows all day."""
    with open(os.path.join(ROOT, "surveys/questionnaires/enterprises.yaml"), encoding="utf-8") as f:
        text = f.read()
    text = text.replace("scale: four-tier", "scale: " + os.path.join(ROOT, "surveys/scales/four-tier.yaml"))
    text = text.replace("file: ../../datasets/units.csv", "file: " + os.path.join(ROOT, "datasets/units.csv"))
    text, n = re.subn(r"    weekdays: \[[^\]]*\]", "    weekdays: [00:00-24:00]\n    weekend: [00:00-24:00]", text)
    check(n == 1, "the enterprise questionnaire has no weekdays window to open")
    path = os.path.join(work, "enterprises.yaml")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def main():
    prepared = prepare(checks, __doc__, "pingyi-calls-")
    if prepared is None:
        return SKIP
    options, chromium, driver_path, work, out = prepared
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    db = os.path.join(work, "pingyi.sqlite")
    pingyi = options.pingyi
    survey = questionnaire(work)
    run([pingyi, "sample", "--design", os.path.join(ROOT, "surveys/designs/enterprises.yaml"), "--seed", "7",
         "--out", os.path.join(work, "enterprises.csv")])
    run([pingyi, "cases", "load", "--list", os.path.join(work, "enterprises.csv"), "--survey", survey, "--db", db])
    with open(os.path.join(work, "password"), "w") as f:
        f.write("电话访问员-2025-甲\n")
    for name, role in [("访员甲", "interviewer"), ("督导乙", "supervisor")]:
        run([pingyi, "users", "add", name, "--role", role, "--password-file", os.path.join(work, "password"), "--db", db])

    server, base = start_server(checks, pingyi, db)
    driver = None
    try:
        driver = start_browser(chromium, driver_path, 1366, 768)
        wait = waiter(driver, 20)
        keys, active = keyboard(driver)

        def sign_in(name, path):
            driver.get(base + path)
            wait.until(lambda d: "/login" in d.current_url and active("name") == "name")
            keys(name, Keys.TAB, "电话访问员-2025-甲", Keys.ENTER)
            wait.until(lambda d: d.current_url.endswith(path))

        # The interviewer's start page: N takes the next case.
        sign_in("访员甲", "/calls")
        wait.until(lambda d: "下一个案例（N）" in active("textContent") or active("data-key") == "n")
        keys("n")
        wait.until(lambda d: "/calls/enterprises/next" in d.current_url and d.find_elements(By.ID, "start"))
        first = driver.find_element(By.NAME, "case_id").get_attribute("value")
        check("新案例" in driver.page_source, "the call screen does not say it is a fresh case")
        check(active("id") == "start", "the start button does not have the focus")
        # 2: no answer. Back to the start page, which says so.
        keys("2")
        wait.until(lambda d: "已记录" in d.page_source and d.current_url.split("?")[0].endswith("/calls"))
        notice = driver.find_element(By.CSS_SELECTOR, "p.notice").text
        check(f"已记录 {first}：无人接听" in notice, f"the notice does not tell the no-answer: {notice!r}")
        # The next case, and its interview with the keyboard alone.
        wait.until(lambda d: active("data-key") == "n")
        keys("n")
        wait.until(lambda d: d.find_elements(By.ID, "start"))
        second = driver.find_element(By.NAME, "case_id").get_attribute("value")
        check(second != first, f"the no-answer case {first} was handed out again at once")
        items = driver.execute_script("return Q.items")
        keys(Keys.ENTER)
        wait.until(lambda d: active("id") == "f-" + items[0]["name"])
        typed = {}
        for i, it in enumerate(items):
            name = it["name"]
            if name == "q_approval_days":
                continue
            wait.until(lambda d: active("id") == f"f-{name}")
            if it["kind"] == "code":
                value = "2" if name == "q_approval" else str(1 + (i % 4))
                keys(value)
                typed[name] = value
            elif it["kind"] == "text":
                driver.save_screenshot(os.path.join(out, "browser-interview.png"))
                keys(Keys.ENTER)
        wait.until(lambda d: "已记录" in d.page_source and d.current_url.split("?")[0].endswith("/calls"))
        notice = driver.find_element(By.CSS_SELECTOR, "p.notice").text
        check(f"已记录 {second}：完成访问" in notice and "完成（AAPOR 1.1）" in notice, f"the interview was not recorded: {notice!r}")
        problems = page_problems(driver, base)
        check(not problems, f"the browser reported problems: {problems}")

        # The supervisor sees the complete in the quota table.
        driver.delete_all_cookies()
        sign_in("督导乙", "/supervise/calls")
        wait.until(lambda d: d.find_elements(By.ID, "quotas"))
        table = driver.find_element(By.ID, "quotas")
        rows = [[c.text for c in r.find_elements(By.TAG_NAME, "td")] for r in table.find_elements(By.TAG_NAME, "tr")[1:]]
        check(sum(int(r[2]) for r in rows) == 1 and sum(int(r[7]) for r in rows) == 2,
              f"the quota table does not show one complete in two dials: {rows}")
        driver.save_screenshot(os.path.join(out, "browser-supervise-calls.png"))
    finally:
        stop(driver, server)

    with sqlite3.connect(db) as con:
        dials = con.execute("SELECT case_id, interviewer, outcome FROM call_attempts ORDER BY attempt_id").fetchall()
        check(dials == [(first, "访员甲", "no-answer"), (second, "访员甲", "complete")], f"the dials stored: {dials}")
        form = con.execute("SELECT form_id, mode, kind FROM forms WHERE case_id = ?", (second,)).fetchone()
        check(form is not None and form[1:] == ("telephone", "final"), f"the interview's form: {form}")
        stored = dict(con.execute("SELECT item, value FROM answers WHERE form_id = ?", (form[0],)))
        check(stored == typed, f"stored {stored}, typed {typed}")
        disposition = con.execute("SELECT disposition FROM cases WHERE case_id = ?", (second,)).fetchone()[0]
        check(disposition == "complete", f"{second} is {disposition}")
    print(f"browser-calls: passed: {first} no answer, {second} interviewed ({len(typed)} answers) with the keyboard alone")
    if options.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
