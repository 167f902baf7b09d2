"""What the real-browser checks share (scripts/browser-test.py, scripts/browser-calls.py): failing
with a message, running pingyi, headless Chromium (Debian's chromium and chromium-driver, driven
by Selenium), a pingyi server on a free port, and typing into whatever has the focus."""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SKIP = 77


def fail(name, message):
    print(f"{name}: FAIL: {message}", file=sys.stderr)
    sys.exit(1)


class Checks:
    def __init__(self, name):
        self.name = name

    def fail(self, message):
        fail(self.name, message)

    def check(self, condition, message):
        if not condition:
            fail(self.name, message)

    def run(self, args, **kwargs):
        result = subprocess.run(args, capture_output=True, text=True, **kwargs)
        if result.returncode != 0:
            fail(self.name, f"{' '.join(args)} exited {result.returncode}: {result.stderr.strip()}")
        return result.stdout


def browser_or_skip(name):
    """Selenium's modules and the paths of chromium and chromedriver, or None (after saying why)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    try:
        import selenium  # noqa: F401
    except ImportError:
        print(f"{name}: skipped: python3 has no selenium (apt install python3-selenium)", file=sys.stderr)
        return None
    if not chromium or not driver_path:
        print(f"{name}: skipped: chromium or chromedriver is not installed (PINGYI_SETUP_EXTRAS=1 scripts/setup.sh)", file=sys.stderr)
        return None
    return chromium, driver_path


def prepare(checks, doc, prefix):
    """Parses --pingyi and --out, finds the browser, makes the work folder: returns (options,
    chromium, driver_path, work, out), or None when the browser is missing (exit SKIP)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--pingyi", default=os.path.join(ROOT, ".build/debug/pingyi"))
    parser.add_argument("--out", default=None, help="folder for the screenshots (default: the temporary folder)")
    options = parser.parse_args()
    found = browser_or_skip(checks.name)
    if found is None:
        return None
    if not os.access(options.pingyi, os.X_OK):
        checks.fail(f"no pingyi binary at {options.pingyi} (swift build first)")
    work = tempfile.mkdtemp(prefix=prefix)
    out = options.out or work
    os.makedirs(out, exist_ok=True)
    return options, found[0], found[1], work, out


def urban_store(checks, pingyi, work):
    """A store in `work` for keying the urban household questionnaire: a respondent list drawn
    with seed 7, its cases, and the operator 录入员甲 (password 键盘录入员-2025-甲). Returns the
    store's path and its first two sample cases."""
    import sqlite3
    db = os.path.join(work, "pingyi.sqlite")
    checks.run([pingyi, "sample", "--design", os.path.join(ROOT, "surveys/designs/urban.yaml"), "--seed", "7", "--out", os.path.join(work, "urban.csv")])
    checks.run([pingyi, "cases", "load", "--list", os.path.join(work, "urban.csv"),
                "--survey", os.path.join(ROOT, "surveys/questionnaires/urban.yaml"), "--db", db])
    with open(os.path.join(work, "password"), "w") as f:
        f.write("键盘录入员-2025-甲\n")
    checks.run([pingyi, "users", "add", "录入员甲", "--role", "operator", "--password-file", os.path.join(work, "password"), "--db", db])
    with sqlite3.connect(db) as con:
        cases = [row[0] for row in con.execute("SELECT case_id FROM cases WHERE role = 'sample' ORDER BY line LIMIT 2")]
    return db, cases


def start_server(checks, pingyi, db):
    """pingyi serve on a free port: the process and its base URL."""
    server = subprocess.Popen([pingyi, "serve", "--db", db, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = server.stdout.readline()
    checks.check(line.startswith("pingyi serve: http://"),
                 f"the server did not start: {line!r} {server.stderr.read() if server.poll() is not None else ''}")
    return server, line.split()[2].rstrip("/")


def stop(driver, server):
    """Quits the browser (when it started) and stops the server."""
    if driver is not None:
        driver.quit()
    server.terminate()
    server.wait(timeout=20)


def start_browser(chromium, driver_path, width=1280, height=1400):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    chrome = webdriver.ChromeOptions()
    chrome.binary_location = chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                     "--lang=zh-CN", "--no-first-run", "--disable-extensions"]:
        chrome.add_argument(argument)
    chrome.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver_path), options=chrome)


def keyboard(driver):
    """`keys(...)` types into whatever has the focus, as a person at the keyboard does;
    `active(attribute)` reads an attribute of the focused element."""
    from selenium.webdriver.common.action_chains import ActionChains

    def keys(*sequence):
        ActionChains(driver).send_keys(*sequence).perform()

    def active(name):
        return driver.switch_to.active_element.get_attribute(name) or ""
    return keys, active


def page_problems(driver, base):
    """Scripts or styles the browser blocked or failed on, and resources loaded from elsewhere."""
    problems = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    return problems + [f"resource from elsewhere: {r}" for r in resources if not r.startswith(base)]


def waiter(driver, seconds):
    """A wait for a condition on the page that looks again when an element it read was replaced
    meanwhile (the page moved on between finding an element and reading it)."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, seconds, ignored_exceptions=(StaleElementReferenceException,))
