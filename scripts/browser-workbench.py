#!/usr/bin/env python3
"""Real-browser check of the workbench in `pingyi serve`: from an empty store to a downloaded
report, and the same job on the command line, compared byte by byte.

    python3 scripts/browser-workbench.py [--pingyi .build/debug/pingyi] [--out DIR]

In headless Chromium: the first-start setup link `pingyi serve` prints makes the first admin;
the enterprise frame is uploaded as a workbook (Tests/Fixtures/xlsx/enterprises.xlsx, sheet
企业); the shipped enterprise design's allocation is edited (a total of 200 instead of 240);
the draw is made with seed 7 and verified; its cases are loaded for the enterprise questionnaire;
the keyed answers (a CSV made by `pingyi simulate field` on that list) are uploaded; the scores
are computed and combined (enterprises = 100), the composite computed under the 大石桥 scheme
from the departments' component, indicator and event tables, and the report made and downloaded.

The command line does the same from the same inputs: `pingyi sample` with the YAML the page
shows, `cases load`, `responses import`, `score --db … --by group`, `score combine --across group`,
`composite`. The list, scores.csv and composite.csv the browser downloads must be byte-identical
to the files the command line writes. The questionnaire is the shipped enterprise one keyed once
(entry: single), so one pass counts; the sampled cases' answers are uploaded (reserves come in
only with a disposition). Exits 0 when every check passes, 1 with the failing check, 77 when
Chromium, chromedriver or Selenium is missing.
"""

import csv
import http.cookiejar
import io
import os
import shutil
import subprocess
import sys
import urllib.request
import zipfile

from browser_common import stop, ROOT, SKIP, Checks, prepare, page_problems, start_browser, waiter

checks = Checks("browser-workbench")
check, run = checks.check, checks.run

PASSWORD = "统计局管理员-2026-甲"


def surveys_folder(work):
    """A copy of surveys/ whose enterprise questionnaire is keyed once, beside links to the rest."""
    folder = os.path.join(work, "surveys")
    os.makedirs(os.path.join(folder, "questionnaires"))
    for name in ["designs", "scales", "schemes"]:
        os.symlink(os.path.join(ROOT, "surveys", name), os.path.join(folder, name))
    os.symlink(os.path.join(ROOT, "datasets"), os.path.join(work, "datasets"))
    with open(os.path.join(ROOT, "surveys/questionnaires/enterprises.yaml"), encoding="utf-8") as f:
        text = f.read()
    check("entry: double" in text, "enterprises.yaml no longer says entry: double")
    with open(os.path.join(folder, "questionnaires", "enterprises.yaml"), "w", encoding="utf-8") as f:
        f.write(text.replace("entry: double", "entry: single"))
    return folder


def departments_only(work, name):
    """datasets/dashiqiao/NAME.csv with the departments' rows (the enterprises rate departments)."""
    with open(os.path.join(ROOT, "datasets/dashiqiao", name + ".csv"), encoding="utf-8") as f:
        rows = list(csv.reader(f))
    path = os.path.join(work, name + ".csv")
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(rows[0])
        writer.writerows(r for r in rows[1:] if r[0].startswith("D"))
    return path


def start_first_server(pingyi, db, surveys, work_folder):
    """pingyi serve on a new store: the process, its base URL and the setup link it prints."""
    server = subprocess.Popen([pingyi, "serve", "--db", db, "--port", "0", "--surveys", surveys, "--work", work_folder],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first, second = server.stdout.readline(), server.stdout.readline()
    check(first.startswith("pingyi serve: http://"), f"the server did not start: {first!r}")
    check("first start: make the first admin at http://" in second, f"no setup link printed: {second!r}")
    link = second.split(" at ", 1)[1].split()[0]
    return server, first.split()[2].rstrip("/"), link


def main():
    prepared = prepare(checks, __doc__, "pingyi-workbench-")
    if prepared is None:
        return SKIP
    options, chromium, driver_path, work, out = prepared
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    pingyi = options.pingyi
    surveys = surveys_folder(work)
    questionnaire = os.path.join(surveys, "questionnaires", "enterprises.yaml")
    book = os.path.join(ROOT, "Tests/Fixtures/xlsx/enterprises.xlsx")
    db = os.path.join(work, "new.sqlite")
    server, base, link = start_first_server(pingyi, db, surveys, os.path.join(work, "bench"))
    driver = None
    try:
        driver = start_browser(chromium, driver_path, 1366, 900)
        wait = waiter(driver, 60)

        def get(path):
            """The bytes of a download, fetched with the browser's session cookie."""
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
            request = urllib.request.Request(base + path, headers={"Cookie": cookie})
            with opener.open(request) as response:
                return response.read()

        def submit(button_id, until):
            driver.find_element(By.ID, button_id).click()
            wait.until(until)
            problems = page_problems(driver, base)
            check(not problems, f"the browser reported problems after {button_id}: {problems}")
            errors = driver.find_elements(By.CSS_SELECTOR, "p.error")
            check(not errors, f"{button_id}: the page says {[e.text for e in errors]}")

        # Nothing is reachable before the first admin exists.
        driver.get(base + "/login")
        check("尚未完成首次设置" in driver.page_source, "the sign-in page was reachable before the setup")
        # The setup link makes the first admin, who is signed in.
        driver.get(link)
        driver.find_element(By.NAME, "name").send_keys("管理员")
        driver.find_element(By.NAME, "password").send_keys(PASSWORD)
        driver.find_element(By.NAME, "again").send_keys(PASSWORD)
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(lambda d: "管理员（管理员）" in d.page_source)
        driver.get(link)
        check("首次设置已完成" in driver.page_source, "the setup link worked a second time")
        driver.get_log("browser")  # the 403 and 410 above were meant

        # Upload the frame as a workbook.
        driver.get(base + "/work")
        driver.find_element(By.ID, "frame-file").send_keys(book)
        driver.find_element(By.ID, "frame-sheet").send_keys("企业")
        submit("frame-upload", lambda d: d.find_elements(By.ID, "columns"))
        frame_url = driver.current_url
        summary = driver.find_element(By.ID, "summary").text
        check("企业" in summary and "行数 3000" in summary, f"the frame's summary: {summary!r}")

        # Start from the shipped enterprise design and give it a total of 200.
        frame_id = frame_url.rsplit("/", 1)[1]
        driver.get(base + f"/work/designs/new?from=enterprises&frame={frame_id}")
        n = driver.find_element(By.ID, "design-n")
        check(n.get_attribute("value") == "240", f"the shipped design's total reads {n.get_attribute('value')!r}")
        n.clear()
        n.send_keys("200")
        submit("design-preview", lambda d: d.find_elements(By.ID, "allocation"))
        heading = driver.find_element(By.XPATH, "//h2[starts-with(., '分配预览')]").text
        yaml = driver.find_element(By.ID, "design-yaml").get_attribute("value")
        check("total: 200" in yaml, f"the YAML does not say total: 200:\n{yaml}")
        design_file = os.path.join(work, "edited.yaml")
        with open(design_file, "w", encoding="utf-8") as f:
            f.write(yaml)
        allocation = run([pingyi, "sample", "allocate", "--design", design_file, "--frame", book, "--sheet", "企业"])
        total = heading.split("抽取 ")[1].split(" ")[0]
        check(f"抽取 {total} 个单位" in allocation, f"the preview says {heading!r}; pingyi sample allocate says {allocation.splitlines()[0]!r}")
        driver.save_screenshot(os.path.join(out, "browser-workbench-design.png"))

        # Draw with seed 7, verify, load the cases.
        driver.find_element(By.ID, "draw-seed").send_keys("7")
        submit("draw", lambda d: d.find_elements(By.ID, "strata"))
        draw_path = driver.current_url.replace(base, "").split("?")[0]
        web_list = get(draw_path + "/list.csv")
        submit("verify", lambda d: d.find_elements(By.CSS_SELECTOR, "p.notice"))
        check("一致" in driver.find_element(By.CSS_SELECTOR, "p.notice").text, "the draw did not verify")
        Select(driver.find_element(By.ID, "load-questionnaire")).select_by_value("file:enterprises.yaml")
        submit("load", lambda d: "已载入" in d.find_element(By.CSS_SELECTOR, "p.notice").text if d.find_elements(By.CSS_SELECTOR, "p.notice") else False)

        # The command line, from the same inputs.
        cli = os.path.join(work, "cli")
        os.makedirs(cli)
        cli_db = os.path.join(cli, "cli.sqlite")
        cli_list = os.path.join(cli, "list.csv")
        run([pingyi, "sample", "--design", design_file, "--frame", book, "--sheet", "企业", "--seed", "7", "--out", cli_list])
        with open(cli_list, "rb") as f:
            check(f.read() == web_list, "the list downloaded from the workbench differs from pingyi sample's")
        run([pingyi, "cases", "load", "--list", cli_list, "--survey", questionnaire, "--db", cli_db])
        field = os.path.join(work, "field")
        run([pingyi, "simulate", "field", "--list", cli_list, "--survey", questionnaire, "--seed", "7", "--out", field])
        with open(cli_list, encoding="utf-8") as f:
            sampled = {r["case_id"] for r in csv.DictReader(f) if r["role"] == "sample"}
        with open(os.path.join(field, "pass1.csv"), encoding="utf-8") as f:
            rows = list(csv.reader(f))
        answers = os.path.join(work, "answers.csv")
        with open(answers, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(rows[0])
            keyed = [r for r in rows[1:] if r[0] in sampled]
            writer.writerows(keyed)
        run([pingyi, "responses", "import", answers, "--survey", questionnaire, "--pass", "1", "--operator", "录入员甲", "--db", cli_db])
        scale = os.path.join(ROOT, "surveys/scales/four-tier.yaml")
        run([pingyi, "score", "--db", cli_db, "--scale", scale, "--by", "group", "--rate-interval", "logit",
             "--out", os.path.join(cli, "scores_by_group.csv"), "--distribution", os.path.join(cli, "distribution.csv")])
        run([pingyi, "score", "combine", os.path.join(cli, "scores_by_group.csv"), "--across", "group", "--weights", "enterprises=100",
             "--partial", "--rate-interval", "logit", "--out", os.path.join(cli, "scores.csv")])
        tables = {name: departments_only(work, name) for name in ["components", "indicators", "events"]}
        run([pingyi, "composite", "--scheme", os.path.join(ROOT, "surveys/schemes/dashiqiao.yaml"), "--components", tables["components"],
             "--indicators", tables["indicators"], "--events", tables["events"], "--public", os.path.join(cli, "scores.csv"),
             "--out", os.path.join(cli, "composite.csv")])

        # Upload the keyed answers.
        driver.get(base + "/work")
        Select(driver.find_element(By.ID, "answers-questionnaire")).select_by_value("enterprises")
        driver.find_element(By.ID, "answers-keyer").send_keys("录入员甲")
        driver.find_element(By.ID, "answers-file").send_keys(answers)
        submit("answers-upload", lambda d: d.find_elements(By.CSS_SELECTOR, "p.notice"))
        notice = driver.find_element(By.CSS_SELECTOR, "p.notice").text
        check(f"已导入 " in notice and f"第 1 遍 {len(keyed)} 份" in notice, f"the answers were not imported: {notice!r}")

        # Score and combine, then the composite and the report.
        driver.get(base + "/work/analysis")
        Select(driver.find_element(By.ID, "score-rate-interval")).select_by_value("logit")
        weights = driver.find_element(By.ID, "score-weights")
        weights.clear()
        weights.send_keys("enterprises=100")
        submit("score", lambda d: d.find_elements(By.ID, "scores"))
        analysis = driver.current_url.replace(base, "").split("?")[0]
        for name in ["scores_by_group.csv", "distribution.csv", "scores.csv"]:
            with open(os.path.join(cli, name), "rb") as f:
                check(get(f"{analysis}/{name}") == f.read(), f"{name} from the workbench differs from the command line's")
        Select(driver.find_element(By.ID, "composite-scheme")).select_by_value("dashiqiao")
        driver.find_element(By.ID, "composite-components").send_keys(tables["components"])
        driver.find_element(By.ID, "composite-indicators").send_keys(tables["indicators"])
        driver.find_element(By.ID, "composite-events").send_keys(tables["events"])
        driver.find_element(By.ID, "composite-units").send_keys(os.path.join(ROOT, "datasets/units.csv"))
        submit("composite", lambda d: d.find_elements(By.ID, "composite"))
        with open(os.path.join(cli, "composite.csv"), "rb") as f:
            check(get(f"{analysis}/composite.csv") == f.read(), "composite.csv from the workbench differs from the command line's")
        title = driver.find_element(By.ID, "report-title")
        title.clear()
        title.send_keys("示范县企业经营者评议（浏览器检查）")
        driver.find_element(By.ID, "report-issued").send_keys("2018-01-05")
        submit("report", lambda d: "报告已生成" in d.page_source)
        driver.save_screenshot(os.path.join(out, "browser-workbench-analysis.png"))
        report = zipfile.ZipFile(io.BytesIO(get(f"{analysis}/report.zip")))
        names = report.namelist()
        check("report/report.html" in names and "report/report.xlsx" in names, f"the report zip holds {names[:8]}")
        html = report.read("report/report.html").decode("utf-8")
        check("示范县企业经营者评议（浏览器检查）" in html, "the report does not carry its title")
        feedback = [n for n in names if n.startswith("report/feedback/")]
        check(len(feedback) > 0, "the report has no feedback sheets")
    finally:
        stop(driver, server)
    with open(os.path.join(cli, "scores.csv"), encoding="utf-8") as f:
        units = sum(1 for _ in f) - 1
    print(f"browser-workbench: passed: setup, frame, design (total 200), draw (seed 7), load, {len(keyed)} forms uploaded, "
          f"{units} units scored, composite and report; list, scores.csv and composite.csv identical to the command line's")
    if options.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
