#!/usr/bin/env python3
"""Real-browser check of online self-completion in `pingyi serve`: headless Chromium at a phone's
size (375 x 800) opens a letter's link, answers half the questionnaire by tapping, leaves, comes
back by typing the code at /s, finishes and submits; a second submission is refused. The store is
then read: the case is complete with an online form holding exactly the answers given. Then the
same questionnaire with `online: {layout: one-per-screen}`: one item on the screen at a time, a
tier tapped moves on, 上一题 goes back, a return visit starts at the first unanswered item, and
the submit button is on the last screen only.

    python3 scripts/browser-online.py [--pingyi .build/debug/pingyi] [--out DIR]

Builds its own store: the deputies sample (pingyi sample) loaded with the shipped deputies
questionnaire, codes made by `pingyi invitations make`, letters by `pingyi invitations print`
(a screenshot of the first letter is taken too). Exits 0 when every check passes, 1 with the
failing check, 77 when Chromium, chromedriver or Selenium is missing.
"""

import csv
import os
import shutil
import sqlite3
import sys

from browser_common import stop, ROOT, SKIP, Checks, prepare, page_problems, start_browser, start_server, waiter

checks = Checks("browser-online")
check, run = checks.check, checks.run


def main():
    prepared = prepare(checks, __doc__, "pingyi-online-")
    if prepared is None:
        return SKIP
    options, chromium, driver_path, work, out = prepared
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    db = os.path.join(work, "pingyi.sqlite")
    pingyi = options.pingyi
    run([pingyi, "sample", "--design", os.path.join(ROOT, "surveys/designs/deputies.yaml"), "--seed", "7",
         "--out", os.path.join(work, "deputies.csv")])
    run([pingyi, "cases", "load", "--list", os.path.join(work, "deputies.csv"), "--survey",
         os.path.join(ROOT, "surveys/questionnaires/deputies.yaml"), "--db", db])
    codes_file = os.path.join(work, "codes.csv")
    run([pingyi, "invitations", "make", "--questionnaire", "deputies", "--base-url", "http://127.0.0.1", "--out", codes_file, "--db", db])
    run([pingyi, "invitations", "print", "--invitations", codes_file, "--from", "某某市统计局", "--deadline", "2026年12月20日",
         "--out", os.path.join(work, "letters")])
    with open(codes_file, encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    case_id, code = first["case_id"], first["code"]
    path = first["link"].replace("http://127.0.0.1", "")

    # A server answers nobody before its first admin exists (the first-start setup).
    with open(os.path.join(work, "password"), "w") as f:
        f.write("统计局管理员-2026\n")
    run([pingyi, "users", "add", "管理员", "--role", "admin", "--password-file", os.path.join(work, "password"), "--db", db])
    server, base = start_server(checks, pingyi, db)
    driver = None
    try:
        driver = start_browser(chromium, driver_path, 500, 900)
        # A phone's screen (headless windows are at least 500 pixels wide): the device metrics.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 800, "deviceScaleFactor": 2, "mobile": True})
        wait = waiter(driver, 20)

        def items():
            return [e for e in driver.find_elements(By.CSS_SELECTOR, ".item") if e.is_displayed()]

        answered = {}

        def answer(row):
            name = row.get_attribute("data-name")
            labels = row.find_elements(By.CSS_SELECTOR, ".choices label")
            if labels:
                # The second button: a tier, or the second choice (a skip where there is one).
                choice = labels[1 if len(labels) > 1 else 0]
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", choice)
                choice.click()
                answered[name] = choice.find_element(By.TAG_NAME, "input").get_attribute("value")
            else:
                field = row.find_element(By.CSS_SELECTOR, "textarea, input[type=text]")
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", field)
                field.send_keys("<b>请多下基层</b>")
                field.send_keys(Keys.TAB)
                answered[name] = "<b>请多下基层</b>"
            wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")

        # The letter's link: the questionnaire, nothing of anyone else.
        driver.get(base + path)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".item"))
        width = driver.execute_script("return window.innerWidth")
        check(width <= 400, f"the page is {width} pixels wide, not a phone's")
        check("退出" not in driver.page_source and case_id not in driver.find_element(By.TAG_NAME, "body").text,
              "the respondent's page shows staff menus or the case number")
        rows = items()
        half = len(rows) // 2
        for row in rows[:half]:
            answer(row)
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        check(scroll <= width + 1, f"the page scrolls sideways at phone width ({scroll} > {width})")
        driver.save_screenshot(os.path.join(out, "browser-online-form.png"))

        # Closed and back another day: the code typed in lower case, with spaces.
        driver.delete_all_cookies()
        driver.get(base + "/s")
        box = wait.until(lambda d: d.find_element(By.NAME, "code"))
        box.send_keys(code.lower().replace("-", " "))
        box.send_keys(Keys.ENTER)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".item"))
        kept = {r.get_attribute("data-name"): r for r in items()}
        for name, value in answered.items():
            row = kept[name]
            if value.startswith("<"):
                check(row.find_element(By.CSS_SELECTOR, "textarea, input[type=text]").get_attribute("value") == value, f"{name} lost its text")
            else:
                check(row.find_element(By.CSS_SELECTOR, f"input[type=radio][value='{value}']").is_selected(), f"{name} lost its answer {value}")
        for row in items():
            if row.get_attribute("data-name") not in answered:
                answer(row)
        submit = driver.find_element(By.ID, "submit")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", submit)
        submit.click()
        wait.until(lambda d: "问卷已提交" in d.page_source)
        problems = page_problems(driver, base)
        check(not problems, f"the browser reported: {problems}")
        # The same link again says it was submitted; a second submission is refused.
        driver.get(base + path)
        wait.until(lambda d: "已经提交" in d.page_source)
        again = driver.execute_script(
            "return fetch(arguments[0], {method: 'POST', body: new URLSearchParams({q_style: '1'})}).then(r => r.status)", path + "/submit")
        check(again == 410, f"a second submission answered {again}, not 410")

        # The letter, as printed.
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 820, "height": 1160, "deviceScaleFactor": 1, "mobile": False})
        driver.get("file://" + os.path.join(work, "letters", "letters.html"))
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "section.letter svg"))
        driver.save_screenshot(os.path.join(out, "browser-online-letter.png"))
    finally:
        stop(driver, server)

    one_screen(options, chromium, driver_path, work, out)

    with sqlite3.connect(db) as con:
        form = con.execute("SELECT form_id, mode, kind FROM forms WHERE case_id = ?", (case_id,)).fetchall()
        check(len(form) == 1 and form[0][1:] == ("online", "final"), f"the forms of {case_id}: {form}")
        stored = dict(con.execute("SELECT item, value FROM answers WHERE form_id = ?", (form[0][0],)))
        check(stored == answered, f"stored {stored}, answered {answered}")
        disposition = con.execute("SELECT disposition FROM cases WHERE case_id = ?", (case_id,)).fetchone()[0]
        check(disposition == "complete", f"{case_id} is {disposition}")
    print(f"browser-online: passed: {case_id} answered {len(answered)} items in two visits at 375 pixels and submitted once")
    if options.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def one_screen(options, chromium, driver_path, work, out):
    """The deputies' questionnaire answered one item per screen, in two visits."""
    from selenium.webdriver.common.by import By
    pingyi = options.pingyi
    # A copy of the shipped questionnaire saying one-per-screen, beside links to the scales and units it names.
    folder = os.path.join(work, "surveys", "questionnaires")
    os.makedirs(folder, exist_ok=True)
    os.symlink(os.path.join(ROOT, "surveys", "scales"), os.path.join(work, "surveys", "scales"))
    os.symlink(os.path.join(ROOT, "datasets"), os.path.join(work, "datasets"))
    with open(os.path.join(ROOT, "surveys/questionnaires/deputies.yaml"), encoding="utf-8") as f:
        text = f.read()
    check("layout: page" in text, "deputies.yaml no longer says layout: page")
    questionnaire = os.path.join(folder, "deputies.yaml")
    with open(questionnaire, "w", encoding="utf-8") as f:
        f.write(text.replace("layout: page", "layout: one-per-screen"))
    db = os.path.join(work, "one.sqlite")
    run([pingyi, "cases", "load", "--list", os.path.join(work, "deputies.csv"), "--survey", questionnaire, "--db", db])
    codes_file = os.path.join(work, "one-codes.csv")
    run([pingyi, "invitations", "make", "--questionnaire", "deputies", "--base-url", "http://127.0.0.1", "--out", codes_file, "--db", db])
    with open(codes_file, encoding="utf-8") as f:
        first = next(csv.DictReader(f))
    case_id, path = first["case_id"], first["link"].replace("http://127.0.0.1", "")
    run([pingyi, "users", "add", "管理员", "--role", "admin", "--password-file", os.path.join(work, "password"), "--db", db])
    server, base = start_server(checks, pingyi, db)
    driver = None
    answered = {}
    try:
        driver = start_browser(chromium, driver_path, 500, 900)
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {"width": 375, "height": 800, "deviceScaleFactor": 2, "mobile": True})
        wait = waiter(driver, 20)

        def shown():
            rows = [e for e in driver.find_elements(By.CSS_SELECTOR, ".item") if e.is_displayed()]
            check(len(rows) == 1, f"{len(rows)} items on the screen, not one")
            return rows[0]

        def counter():
            return driver.find_element(By.ID, "count").text

        def answer_shown():
            row = shown()
            name, before = row.get_attribute("data-name"), counter()
            labels = row.find_elements(By.CSS_SELECTOR, ".choices label")
            last = not driver.find_element(By.ID, "next").is_displayed()
            if labels:
                choice = labels[1 if len(labels) > 1 else 0]
                choice.click()
                answered[name] = choice.find_element(By.TAG_NAME, "input").get_attribute("value")
                wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")
                if not last:
                    wait.until(lambda d: counter() != before)
            else:
                field = row.find_element(By.CSS_SELECTOR, "textarea, input[type=text]")
                field.send_keys("一题一屏")
                answered[name] = "一题一屏"
                if not last:
                    driver.find_element(By.ID, "next").click()
                else:
                    driver.find_element(By.ID, "prev").click()
                    driver.find_element(By.ID, "next").click()
                wait.until(lambda d: d.find_element(By.ID, "status").text == "已保存")
            return last

        driver.get(base + path)
        wait.until(lambda d: d.find_element(By.ID, "count").text)
        total = int(counter().split("/")[1].split()[0])
        check(counter() == f"第 1 / {total} 题", f"the first screen says {counter()!r}")
        check(not driver.find_element(By.ID, "submit").is_displayed(), "the submit button shows before the last item")
        for _ in range(3):
            answer_shown()
        check(counter() == f"第 4 / {total} 题", f"after three taps the screen says {counter()!r}")
        driver.find_element(By.ID, "prev").click()
        check(counter() == f"第 3 / {total} 题" and shown().find_element(By.CSS_SELECTOR, "input:checked"), "上一题 does not show the third item answered")
        driver.save_screenshot(os.path.join(out, "browser-online-one-per-screen.png"))
        # Back later: the first unanswered item.
        driver.delete_all_cookies()
        driver.get(base + path)
        wait.until(lambda d: d.find_element(By.ID, "count").text)
        check(counter() == f"第 4 / {total} 题", f"the return visit starts at {counter()!r}, not the first unanswered item")
        for _ in range(total + 5):
            if answer_shown():
                break
        submit = driver.find_element(By.ID, "submit")
        check(submit.is_displayed(), "no submit button on the last screen")
        submit.click()
        wait.until(lambda d: "问卷已提交" in d.page_source)
        problems = page_problems(driver, base)
        check(not problems, f"the browser reported: {problems}")
    finally:
        stop(driver, server)
    with sqlite3.connect(db) as con:
        form = con.execute("SELECT form_id FROM forms WHERE case_id = ? AND mode = 'online'", (case_id,)).fetchall()
        check(len(form) == 1, f"the online forms of {case_id}: {form}")
        stored = dict(con.execute("SELECT item, value FROM answers WHERE form_id = ?", (form[0][0],)))
        check(stored == answered, f"one per screen: stored {stored}, answered {answered}")
    print(f"browser-online: one item per screen: {len(answered)} items in two visits, resumed at the first unanswered")


if __name__ == "__main__":
    sys.exit(main())
