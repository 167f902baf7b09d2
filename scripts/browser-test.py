#!/usr/bin/env python3
"""Real-browser check of `pingyi serve`: headless Chromium (Debian's chromium and chromium-driver,
driven by Selenium) signs in and keys two urban household forms with the keyboard alone, then the
forms are looked up in the store. Saves a screenshot of the keying page.

    python3 scripts/browser-test.py [--pingyi .build/debug/pingyi] [--out DIR]

Builds its own store in a temporary folder: a respondent list (pingyi sample), the urban
questionnaire (pingyi cases load), an operator (pingyi users add). Exits 0 when every check
passes, 1 with the failing check otherwise, 77 when Chromium, chromedriver or Selenium is missing
(the Swift test that runs this script then reports a skip).

Every wait is for a condition on the page (never a fixed sleep), with a generous time limit, so
the check does not depend on the machine's speed.
"""

import os
import shutil
import sqlite3
import sys

from browser_common import stop, SKIP, Checks, prepare, keyboard, page_problems, start_browser, start_server, urban_store, waiter

checks = Checks("browser-test")
fail, check = checks.fail, checks.check


def main():
    prepared = prepare(checks, __doc__, "pingyi-browser-")
    if prepared is None:
        return SKIP
    options, chromium, driver_path, work, out = prepared
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    pingyi = options.pingyi
    db, cases = urban_store(checks, pingyi, work)

    server, base = start_server(checks, pingyi, db)
    driver = None
    try:
        driver = start_browser(chromium, driver_path)
        wait = waiter(driver, 20)
        keys, active = keyboard(driver)

        # Sign in with the keyboard: the name field has the focus.
        driver.get(base + "/entry/urban/1")
        wait.until(lambda d: "/login" in d.current_url and active("name") == "name")
        keys("录入员甲", Keys.TAB, "键盘录入员-2025-甲", Keys.ENTER)
        wait.until(lambda d: d.current_url.endswith("/entry/urban/1") and active("id") == "case")
        items = driver.execute_script("return Q.items")
        names = [it["name"] for it in items]
        check(names[:2] == ["D01", "D02"] and "own_town" in names and names[-1] == "q_suggest", f"unexpected items {names}")
        label = driver.find_element(By.CSS_SELECTOR, "label[for=f-D01]").text
        check("市政府办" in label, f"the unit's Chinese name is not beside D01: {label!r}")

        def key_form(case_id, students, suggestion):
            keys(case_id, Keys.ENTER)
            wait.until(lambda d: "城镇居民户" in d.find_element(By.ID, "case-info").text and active("id") == "f-D01")
            info = driver.find_element(By.ID, "case-info").text
            check("街道" in info or "镇" in info, f"the town is not shown: {info!r}")
            typed = {}
            for i, it in enumerate(items):
                name = it["name"]
                if name == "q_education" and students != "1":
                    continue
                wait.until(lambda d: active("id") in (f"f-{name}",))
                if it["kind"] == "code":
                    if name == "D02":
                        # An invalid key is refused on the spot: nothing entered, the focus stays.
                        keys("5")
                        check(active("id") == "f-D02" and active("value") == "", "the invalid key 5 was accepted in D02")
                        check("按键「5」" in driver.find_element(By.ID, "status").text, "no message for the invalid key")
                    if name == "q_students":
                        value = students
                    elif name == "q_education":
                        value = "2"
                    else:
                        value = str(1 + (i % 4))
                    keys(value)
                    typed[name] = value
                elif it["kind"] == "number":
                    keys("4", Keys.ENTER)
                    typed[name] = "4"
                else:
                    if suggestion:
                        keys(suggestion)
                        typed[name] = suggestion
                    if name == "q_suggest":
                        break
                # q_education is asked only when q_students is 1: otherwise it is passed over.
                if name == "q_students" and students != "1":
                    check(items[i + 1]["name"] == "q_education", "q_education should follow q_students")
                    wait.until(lambda d: active("id") == "f-q_safety")
            wait.until(lambda d: active("id") == "f-q_suggest")
            if suggestion:
                driver.save_screenshot(screenshot)
            keys(Keys.ENTER)
            wait.until(lambda d: f"已保存 {case_id}" in d.find_element(By.ID, "status").text)
            wait.until(lambda d: active("id") == "case" and active("value") == "")
            return typed

        screenshot = os.path.join(out, "browser-keying.png")
        first = key_form(cases[0], "2", "")
        second = key_form(cases[1], "1", "路灯<b>坏了</b>'; DROP TABLE forms; --")
        check("本次已保存 2 份" in driver.find_element(By.ID, "count").text, "the page does not count two saved forms")
        check("q_education" not in first and second.get("q_education") == "2", "the skip of q_education was not followed")

        # The keying page again, with the second case: it is refused at once (already keyed).
        keys(cases[1], Keys.ENTER)
        wait.until(lambda d: "已录入" in d.find_element(By.ID, "case-info").text)
        check(os.path.getsize(screenshot) > 10_000, "the screenshot is empty")

        # No inline script or style was blocked, and nothing was loaded from elsewhere.
        problems = page_problems(driver, base)
        check(not problems, f"the browser reported problems: {problems}")
    finally:
        stop(driver, server)

    # The two forms are in the store, as keyed.
    with sqlite3.connect(db) as con:
        for case_id, typed in [(cases[0], first), (cases[1], second)]:
            row = con.execute("SELECT form_id, operator FROM forms WHERE case_id = ? AND kind = 'pass1'", (case_id,)).fetchone()
            check(row is not None, f"{case_id} is not in the store")
            check(row[1] == "录入员甲", f"{case_id} was keyed by {row[1]}")
            stored = dict(con.execute("SELECT item, value FROM answers WHERE form_id = ?", (row[0],)))
            check(stored == typed, f"{case_id}: stored {stored}, typed {typed}")
    print(f"browser-test: passed: keyed {cases[0]} and {cases[1]} with the keyboard alone; screenshot {screenshot}")
    if options.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
