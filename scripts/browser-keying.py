#!/usr/bin/env python3
"""Real-browser check of the keying page's defects (issue 19), in headless Chromium at 1366x768
and at a 375-pixel phone width:

- Enter on an empty item stays on it (D11 after D01-D10), and says what is missing;
- every message (a refused key, an unanswered item, a number out of range, a server rejection,
  "saved") is inside the viewport and does not cover the item with the focus;
- a number past its range is refused by the browser before the server sees it, and a complete
  number moves on by itself; a server rejection puts the focus on the item at fault;
- lower-case case numbers and full-width digits are understood; an input method's composition
  (synthetic composition events) never writes a wrong answer;
- a session that expires with a form in progress keeps the form, and after signing in again in
  another tab, Enter saves it; a reload keeps the form in progress;
- unit labels are not cut, and at phone width nothing overlaps the inputs.

    python3 scripts/browser-keying.py [--pingyi .build/debug/pingyi] [--out DIR]

Exits 0 when every check passes, 1 with the failing check otherwise, 77 when Chromium,
chromedriver or Selenium is missing. Every wait is for a condition on the page, never a sleep.
"""

import os
import shutil
import sqlite3
import sys

from browser_common import stop, SKIP, Checks, prepare, keyboard, page_problems, start_browser, start_server, urban_store, waiter

checks = Checks("browser-keying")
fail, check = checks.fail, checks.check

# Whether an element is wholly inside the viewport; and whether the status bar leaves the focused
# element visible (the bar is fixed at the bottom of the window).
IN_VIEW = """
const e = document.getElementById(arguments[0]); if (!e) return 'missing';
const r = e.getBoundingClientRect();
if (r.height === 0 || e.textContent.trim() === '') return 'empty';
if (r.top < 0 || r.bottom > window.innerHeight || r.left < 0 || r.right > window.innerWidth) return 'outside ' + JSON.stringify([r.top, r.bottom, window.innerHeight]);
const a = document.activeElement.getBoundingClientRect();
if (document.activeElement !== document.body && a.bottom > r.top && a.top < r.bottom) return 'covers the focused ' + document.activeElement.id;
return 'ok';
"""

# Labels whose text does not fit (cut off or hidden), and inputs overlapped by another part of the page.
LAYOUT = """
const cut = Array.from(document.querySelectorAll('.item .label')).filter(l => l.scrollWidth > l.clientWidth + 1 || l.scrollHeight > l.clientHeight + 1).map(l => l.htmlFor);
const boxes = Array.from(document.querySelectorAll('input:not([type=hidden]), .legend, .items')).map(e => [e, e.getBoundingClientRect()]);
const overlaps = [];
const legend = document.querySelector('.legend').getBoundingClientRect();
for (const [e, r] of boxes) {
  if (e.tagName !== 'INPUT') continue;
  if (r.left < legend.right && legend.left < r.right && r.top < legend.bottom && legend.top < r.bottom) overlaps.push(e.id);
}
return {cut: cut, overlaps: overlaps, scrollWidth: document.documentElement.scrollWidth, width: window.innerWidth};
"""

# An input method's composition on the focused field: composing events, then the text it commits.
COMPOSE = """
const f = document.activeElement, text = arguments[0];
f.dispatchEvent(new CompositionEvent('compositionstart', {bubbles: true, data: ''}));
f.value = text;
f.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: true, data: text, inputType: 'insertCompositionText'}));
f.dispatchEvent(new CompositionEvent('compositionend', {bubbles: true, data: text}));
f.dispatchEvent(new InputEvent('input', {bubbles: true, isComposing: false, data: text, inputType: 'insertCompositionText'}));
return f.id;
"""


def main():
    prepared = prepare(checks, __doc__, "pingyi-keying-")
    if prepared is None:
        return SKIP
    options, chromium, driver_path, work, out = prepared
    from selenium.webdriver.common.keys import Keys
    pingyi = options.pingyi
    db, cases = urban_store(checks, pingyi, work)

    server, base = start_server(checks, pingyi, db)
    driver = None
    try:
        driver = start_browser(chromium, driver_path, 1366, 768)
        driver.set_window_size(1366, 768)
        waiting = waiter(driver, 20)
        keys, active = keyboard(driver)

        class wait:  # noqa: N801 - a WebDriverWait that says where the page was when it timed out
            @staticmethod
            def until(condition):
                from selenium.common.exceptions import TimeoutException
                try:
                    return waiting.until(condition)
                except TimeoutException:
                    fail(f"timed out at {driver.current_url}: focus {active('id')!r}, status {status()!r}, "
                         f"case {driver.find_element('id', 'case-info').text if driver.find_elements('id', 'case-info') else ''!r}")

        def status():
            return driver.find_element("id", "status").text

        def in_view(element="status"):
            where = driver.execute_script(IN_VIEW, element)
            check(where == "ok", f"the message {status()!r} is not seen at {driver.get_window_size()}: {where}")

        def sign_in():
            wait.until(lambda d: "/login" in d.current_url and active("name") == "name")
            keys("录入员甲", Keys.TAB, "键盘录入员-2025-甲", Keys.ENTER)

        def open_case(case_id, typed=None):
            keys(typed or case_id, Keys.ENTER)
            wait.until(lambda d: active("id") == "f-D01" and d.find_element("id", "case").get_attribute("value") == case_id)

        def key_codes(first, last, code):
            for n in range(first, last + 1):
                name = f"D{n:02d}"
                wait.until(lambda d: active("id") == f"f-{name}")
                keys(code)

        driver.get(base + "/entry/urban/1")
        sign_in()
        wait.until(lambda d: d.current_url.endswith("/entry/urban/1") and active("id") == "case")
        check(driver.execute_script("return window.innerHeight") <= 768, "the window is taller than 768 pixels")
        layout = driver.execute_script(LAYOUT)
        check(not layout["cut"], f"unit labels are cut at 1366x768: {layout['cut']}")

        # A lower-case case number is the case (the page shows it as stored).
        first, second = cases
        open_case(first, typed=first.lower())

        # D01-D10, then Enter on the empty D11: the focus stays on D11, the message is seen.
        key_codes(1, 10, "1")
        wait.until(lambda d: active("id") == "f-D11")
        keys(Keys.ENTER)
        wait.until(lambda d: "尚未回答" in status())
        check(active("id") == "f-D11", f"Enter on the empty D11 moved the focus to {active('id')}")
        in_view()
        # A wrong key: refused, seen; a full-width digit is the digit.
        keys("5")
        wait.until(lambda d: "按键「5」" in status())
        check(active("id") == "f-D11" and active("value") == "", "the invalid key 5 was taken in D11")
        in_view()
        keys("３")
        wait.until(lambda d: active("id") == "f-D12")
        check(driver.find_element("id", "f-D11").get_attribute("value") == "3", "the full-width ３ was not taken as 3")
        # An input method's composition: text that is no code is taken back, a full-width digit is the code.
        driver.execute_script(COMPOSE, "ｘ")
        wait.until(lambda d: "不是" in status())
        check(active("id") == "f-D12" and active("value") == "", f"a composed ｘ was written into D12: {active('value')!r}")
        driver.execute_script(COMPOSE, "你")
        check(active("id") == "f-D12" and active("value") == "", f"a composed 你 was written into D12: {active('value')!r}")
        driver.execute_script(COMPOSE, "２")
        wait.until(lambda d: active("id") == "f-D13")
        check(driver.find_element("id", "f-D12").get_attribute("value") == "2", "the composed ２ was not taken as 2")
        key_codes(13, 44, "2")
        wait.until(lambda d: active("id") == "f-own_town")
        keys("1")
        # members (1-20): 25 is refused before the server sees it; 20 is complete and moves on.
        wait.until(lambda d: active("id") == "f-members")
        keys("2", "5")
        wait.until(lambda d: "超出范围" in status())
        check(active("id") == "f-members" and active("value") == "2", f"members holds {active('value')!r} after 2, 5")
        in_view()
        keys("0")
        wait.until(lambda d: active("id") == "f-q_students")
        check(driver.find_element("id", "f-members").get_attribute("value") == "20", "members is not 20")
        keys("2")
        wait.until(lambda d: active("id") == "f-q_safety")
        keys("x")
        wait.until(lambda d: "按键「x」" in status())
        in_view()
        keys("1")
        wait.until(lambda d: active("id") == "f-q_suggest")
        driver.save_screenshot(os.path.join(out, "keying-1366x768.png"))

        # The session expires with the form in progress: saving says so and keeps the answers.
        with sqlite3.connect(db) as con:
            con.execute("DELETE FROM sessions")
        keys(Keys.ENTER)
        wait.until(lambda d: "登录已过期" in status())
        in_view()
        check(driver.find_element("id", "f-D11").get_attribute("value") == "3", "the answers were lost when the session expired")
        keying = driver.current_window_handle
        # Signing in again in another tab; back here, Enter saves the form kept on the page.
        driver.switch_to.new_window("tab")
        driver.get(base + "/login")
        sign_in()
        wait.until(lambda d: "/login" not in d.current_url)
        driver.switch_to.window(keying)
        keys(Keys.ENTER)
        wait.until(lambda d: f"已保存 {first}" in status())
        in_view()
        wait.until(lambda d: active("id") == "case")

        # A reload keeps the form in progress (this tab only), and goes to its first unanswered item.
        open_case(second)
        key_codes(1, 2, "4")
        wait.until(lambda d: active("id") == "f-D03")
        driver.refresh()
        wait.until(lambda d: "已恢复" in status() and active("id") == "f-D03")
        check(driver.find_element("id", "case").get_attribute("value") == second, "the case number was not kept over the reload")
        check([driver.find_element("id", f"f-D0{n}").get_attribute("value") for n in (1, 2)] == ["4", "4"], "the answers were not kept over the reload")

        # A server rejection puts the focus on the item at fault (the page's own range check
        # widened here, so that the server is the one to refuse).
        driver.execute_script("Q.items.find(function (it) { return it.name === 'members'; }).max = 99;")
        key_codes(3, 44, "2")
        wait.until(lambda d: active("id") == "f-own_town")
        keys("2")
        wait.until(lambda d: active("id") == "f-members")
        keys("2", "5")
        wait.until(lambda d: active("id") == "f-q_students")
        keys("1")
        wait.until(lambda d: active("id") == "f-q_education")
        keys("3")
        wait.until(lambda d: active("id") == "f-q_safety")
        keys("2")
        wait.until(lambda d: active("id") == "f-q_suggest")
        keys(Keys.ENTER)
        wait.until(lambda d: "1–20" in status())
        check(active("id") == "f-members", f"the server's rejection of members = 25 put the focus on {active('id')}")
        in_view()
        keys(Keys.BACKSPACE, "6", Keys.ENTER)
        wait.until(lambda d: f"已保存 {second}" in status())
        in_view()

        # The expired session's 401 and the rejection's 422 were meant; anything else is a problem.
        problems = [p for p in page_problems(driver, base) if not ("/entry/urban/1 " in p and ("status of 401" in p or "status of 422" in p))]
        check(not problems, f"the browser reported problems: {problems}")

        # At phone width: nothing overlaps the inputs, nothing is cut, no sideways scrolling.
        driver.set_window_size(375, 812)
        driver.get(base + "/entry/urban/1")
        wait.until(lambda d: active("id") == "case")
        width = driver.execute_script("return window.innerWidth")
        check(width <= 400, f"the phone-width window is {width} pixels wide")
        layout = driver.execute_script(LAYOUT)
        check(not layout["overlaps"], f"at phone width the legend covers {layout['overlaps']}")
        check(not layout["cut"], f"unit labels are cut at phone width: {layout['cut']}")
        check(layout["scrollWidth"] <= layout["width"] + 1, f"the page scrolls sideways at phone width: {layout}")
        keys("x", Keys.ENTER)
        wait.until(lambda d: d.find_element("id", "case-info").text != "" and "核对中" not in d.find_element("id", "case-info").text)
        in_view("case-info")
        driver.save_screenshot(os.path.join(out, "keying-375.png"))
    finally:
        stop(driver, server)

    with sqlite3.connect(db) as con:
        def stored(case_id):
            row = con.execute("SELECT form_id FROM forms WHERE case_id = ? AND kind = 'pass1'", (case_id,)).fetchone()
            check(row is not None, f"{case_id} is not in the store")
            return dict(con.execute("SELECT item, value FROM answers WHERE form_id = ?", (row[0],)))
        a = stored(first)
        check(a.get("D10") == "1" and a.get("D11") == "3" and a.get("D12") == "2" and a.get("D13") == "2" and a.get("members") == "20"
              and a.get("q_safety") == "1" and "q_education" not in a, f"{first} stored {a}")
        b = stored(second)
        check(b.get("D01") == "4" and b.get("D03") == "2" and b.get("members") == "6" and b.get("q_education") == "3", f"{second} stored {b}")
    print(f"browser-keying: passed: Enter on an empty item, messages in view at 1366x768, range and server checks, "
          f"full-width and composed input, session expiry and reload keep the form ({first}, {second} saved), phone width")
    if options.out is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
