#!/usr/bin/env python3
"""Render a pingyi report page (report.html, a feedback sheet, a printed list) to PNG with
headless Chromium, to look at the charts and the Chinese text as a reader's browser shows them.

Uses Selenium with Debian's chromium and chromium-driver (apt-get install chromium
chromium-driver python3-selenium fonts-noto-cjk). Without Selenium it falls back to
`chromium --headless --screenshot` (viewport only).

Usage:
  python3 scripts/screenshot_report.py out/report/report.html report.png
  python3 scripts/screenshot_report.py out/report/report.html scores.png --selector '#scores figure'
  python3 scripts/screenshot_report.py out/report/feedback/D01.html d01.png --width 820

Prints the page's size, the number of SVG charts, and whether the CJK font the page asks for
("Noto Sans CJK SC") is available to the browser. Exits 1 when the font is missing or the page
has fewer charts than --min-charts, so a script can rely on it.
"""
import argparse
import base64
import os
import shutil
import subprocess
import sys


def with_selenium(url, out, width, selector):
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By

    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                 "--force-device-scale-factor=1", f"--window-size={width},1000"):
        options.add_argument(flag)
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    driver = webdriver.Chrome(service=service, options=options)
    try:
        driver.get(url)
        driver.execute_script("return document.fonts.ready")
        charts = driver.execute_script("return document.querySelectorAll('svg').length")
        font = driver.execute_script("return document.fonts.check('16px \"Noto Sans CJK SC\"', '满意度')")
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, height + 100)
        if selector:
            element = driver.find_element(By.CSS_SELECTOR, selector)
            element.screenshot(out)
        else:
            shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
            with open(out, "wb") as f:
                f.write(base64.b64decode(shot["data"]))
        return charts, font, height
    finally:
        driver.quit()


def with_chromium(path, out, width):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={width},4000", f"--screenshot={out}", path], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    with open(path, encoding="utf-8") as f:
        charts = f.read().count("<svg")
    return charts, None, None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", help="the HTML file (report.html)")
    parser.add_argument("out", help="the PNG to write")
    parser.add_argument("--width", type=int, default=1040, help="window width in CSS pixels (default 1040)")
    parser.add_argument("--selector", help="screenshot only the first element matching this CSS selector")
    parser.add_argument("--min-charts", type=int, default=0, help="fail when the page has fewer <svg> charts")
    args = parser.parse_args()

    path = os.path.abspath(args.page)
    if not os.path.isfile(path):
        sys.exit(f"{args.page}: no such file")
    try:
        import selenium  # noqa: F401
        charts, font, height = with_selenium("file://" + path, args.out, args.width, args.selector)
    except ImportError:
        if args.selector:
            sys.exit("--selector needs Selenium (apt-get install python3-selenium)")
        charts, font, height = with_chromium(path, args.out, args.width)
    print(f"{args.out}: {charts} SVG chart(s)" + (f", page height {height}px" if height else "")
          + ("" if font is None else f", Noto Sans CJK SC {'available' if font else 'MISSING'}"))
    if charts < args.min_charts or font is False:
        sys.exit(1)


if __name__ == "__main__":
    main()
