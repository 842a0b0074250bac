#!/usr/bin/python3
"""Drives the real dashboard with headless Chromium (Selenium + chromedriver, Debian packages).

Run by tests/integration/dashboard_browser_test.cpp, which starts the real server over loopback HTTPS
with the test CA, adds a staff account and stores responses; this script then checks, as a council
employee would see it: the login is in the way without a session and refuses a wrong password; the
consultation page's chart numbers equal what the database holds; a group under 5 is suppressed; the
CSV (and XLSX, when the server offers it) downloads and reads back with every row. Screenshots go to
--artifacts. Exit status 0 only when every check passed; each failure is printed.
"""
import argparse
import base64
import collections
import csv
import hashlib
import io
import os
import pathlib
import sqlite3
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message, flush=True)
    return condition


def spki_pin(cert_file):
    """base64(SHA-256(SubjectPublicKeyInfo)) of the server's certificate: Chromium then trusts exactly
    this key (--ignore-certificate-errors-spki-list), no other certificate error is waved through."""
    pem = subprocess.run(["openssl", "x509", "-in", cert_file, "-pubkey", "-noout"], check=True,
                         capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pem, check=True,
                         capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


class Database:
    """The server's database for the checks: an SQLite file, or a postgresql:// address read with psql
    (Debian's client; no Python driver needed). Queries use '?' parameters either way."""

    def __init__(self, address):
        self.address = address
        self.pg = address.startswith(("postgresql://", "postgres://"))
        self.sqlite = None if self.pg else sqlite3.connect(address)

    def execute(self, sql, params=()):
        if not self.pg:
            return self.sqlite.execute(sql, params)
        # psql variables, quoted by psql itself (:'p1'), stand in for the '?'s.
        parts = sql.split("?")
        text = parts[0] + "".join(":'p%d'%s" % (i + 1, part) for i, part in enumerate(parts[1:]))
        command = ["psql", "-X", "-q", "-A", "-t", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-d", self.address]
        for i, value in enumerate(params):
            command += ["-v", "p%d=%s" % (i + 1, value)]
        out = subprocess.run(command, input=text + ";\n", capture_output=True, text=True, check=True).stdout
        rows = []
        for line in out.splitlines():
            if line:
                rows.append(tuple(int(v) if v.isdigit() else v for v in line.split("\x1f")))
        return Rows(rows)


class Rows(list):
    def fetchone(self):
        return self[0] if self else None

    def fetchall(self):
        return list(self)


def wait_for_file(folder, suffix, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in pathlib.Path(folder).iterdir() if p.name.endswith(suffix)]
        if done and not any(p.name.endswith(".crdownload") for p in pathlib.Path(folder).iterdir()):
            return done[0]
        time.sleep(0.1)
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--cert", required=True, help="the server's certificate (pinned)")
    parser.add_argument("--db", required=True, help="SQLite file or postgresql:// address")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--consultation", required=True)
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()
    artifacts = pathlib.Path(args.artifacts)
    artifacts.mkdir(parents=True, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="buurtstem-chromium-")
    downloads = tempfile.mkdtemp(prefix="buurtstem-downloads-")

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1600",
                 "--user-data-dir=" + profile, "--ignore-certificate-errors-spki-list=" + spki_pin(args.cert),
                 "--no-first-run", "--disable-extensions", "--lang=nl"]:
        options.add_argument(flag)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")  # Chromium refuses to run as root with its sandbox (CI)
    options.add_experimental_option("prefs", {"download.default_directory": downloads,
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    wait = WebDriverWait(driver, 15)
    db = Database(args.db)
    try:
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})

        # Without a session the dashboard sends the browser to the login.
        driver.get(args.url + "/dashboard/consultation/" + args.consultation)
        wait.until(EC.presence_of_element_located((By.ID, "password")))
        check(driver.current_url.rstrip("/") == args.url, "without login, landed on " + driver.current_url)
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl", "login page lang is not nl")
        driver.save_screenshot(str(artifacts / "01-login.png"))

        check(driver.switch_to.active_element.get_attribute("id") == "user", "the login does not start in the user field")

        # A wrong password is refused.
        driver.find_element(By.ID, "user").send_keys(args.user)
        driver.find_element(By.ID, "password").send_keys("not-the-password")
        driver.find_element(By.ID, "login").click()
        wait.until(EC.presence_of_element_located((By.ID, "login-error")))
        check("klopt niet" in driver.find_element(By.ID, "login-error").text, "wrong password: no clear refusal")
        check(not driver.find_elements(By.ID, "consultations"), "wrong password showed the dashboard")
        driver.save_screenshot(str(artifacts / "02-wrong-password.png"))

        # The right one opens the dashboard.
        field = driver.find_element(By.ID, "user")
        field.clear()
        field.send_keys(args.user)
        driver.find_element(By.ID, "password").send_keys(args.password)
        driver.find_element(By.ID, "login").click()
        wait.until(EC.presence_of_element_located((By.ID, "consultations")))
        check(driver.get_cookie("__Host-buurtstem") is not None, "no session cookie after login")
        cookie = driver.get_cookie("__Host-buurtstem") or {}
        check(cookie.get("httpOnly") and cookie.get("secure") and cookie.get("sameSite") == "Strict",
              "session cookie flags: " + repr(cookie))
        total_db = db.execute("SELECT count(*) FROM responses WHERE consultation_id = ?",
                              (args.consultation,)).fetchone()[0]
        row = driver.find_element(By.CSS_SELECTOR, 'tr[data-consultation="%s"]' % args.consultation)
        shown = row.find_element(By.CSS_SELECTOR, "td[data-count]").get_attribute("data-count")
        check(int(shown) == total_db, "list shows %s responses, database holds %d" % (shown, total_db))
        driver.save_screenshot(str(artifacts / "03-consultations.png"))

        # Keyboard only: the first Tab reaches the skip link, and the focus is drawn.
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        active = driver.switch_to.active_element
        check(active.get_attribute("class") == "skip", "first Tab does not reach the skip link")
        outline = active.value_of_css_property("outline-style")
        check(outline not in ("none", ""), "focused skip link has no visible outline (" + outline + ")")
        driver.save_screenshot(str(artifacts / "03b-focus.png"))

        # The consultation: totals, the language breakdown, and a question chart against the database.
        row.find_element(By.TAG_NAME, "a").click()
        wait.until(EC.presence_of_element_located((By.ID, "total")))
        check(int(driver.find_element(By.ID, "total").get_attribute("data-count")) == total_db, "page total")
        per_language = dict(db.execute("SELECT language, count(*) FROM responses WHERE consultation_id = ?"
                                       " GROUP BY language", (args.consultation,)).fetchall())
        bars = {g.get_attribute("data-label"): g.get_attribute("data-value")
                for g in driver.find_elements(By.CSS_SELECTOR, "#breakdown-language g.bar")}
        check(set(bars) == set(per_language), "languages in chart %r vs database %r" % (bars, per_language))
        suppressed_seen = False
        for language, count in per_language.items():
            if count < 5:
                suppressed_seen = True
                check(bars.get(language) == "suppressed", "group %s of %d not suppressed: %r" % (language, count, bars))
            else:
                check(bars.get(language) == str(count), "group %s: chart %r, database %d" % (language, bars.get(language), count))
        check(suppressed_seen, "the test data has no group under 5 (test set-up)")
        table_text = driver.find_element(By.CSS_SELECTOR, "#breakdown-language table").text
        check("minder dan 5" in table_text, "the suppressed group is not stated in words: " + table_text)
        check(driver.find_element(By.ID, "suppression-note").is_displayed(), "no suppression note on the page")

        answered = collections.Counter(v for (v,) in db.execute(
            "SELECT a.value FROM answers a JOIN responses r ON r.seq = a.response_seq"
            " WHERE r.consultation_id = ? AND a.question_id = 'kent-regelingen'", (args.consultation,)))
        chart = sorted(int(g.get_attribute("data-value"))
                       for g in driver.find_elements(By.CSS_SELECTOR, "#question-kent-regelingen g.bar"))
        options_count = len(chart)
        expected = sorted(list(answered.values()) + [0] * (options_count - len(answered)))
        check(chart == expected, "kent-regelingen chart %r vs database %r" % (chart, expected))
        driver.save_screenshot(str(artifacts / "04-consultation.png"))

        # Free-text search.
        search = driver.find_element(By.ID, "zoek")
        search.send_keys("buurthuis")
        search.submit()
        wait.until(EC.url_contains("zoek=buurthuis"))
        texts = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#free-texts li")]
        matches = db.execute("SELECT count(*) FROM answers a JOIN responses r ON r.seq = a.response_seq"
                             " WHERE r.consultation_id = ? AND a.question_id = 'ideeen' AND lower(a.value) LIKE"
                             " '%buurthuis%'", (args.consultation,)).fetchone()[0]
        check(len(texts) == matches and all("buurthuis" in t for t in texts),
              "search shows %d texts, database has %d" % (len(texts), matches))

        # Downloads: CSV and XLSX, read back with every row.
        ids = {r for (r,) in db.execute("SELECT id FROM responses WHERE consultation_id = ?", (args.consultation,))}
        driver.find_element(By.ID, "download-csv").click()
        csv_file = wait_for_file(downloads, ".csv")
        if check(csv_file is not None, "CSV download did not arrive"):
            rows = list(csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8-sig")), delimiter=";"))
            check(rows[0][0] == "response_id", "CSV header: %r" % rows[0][:3])
            check(len(rows) - 1 == total_db, "CSV has %d rows, database %d" % (len(rows) - 1, total_db))
            check({r[0] for r in rows[1:]} == ids, "CSV response ids differ from the database")
            print("csv: %d rows read back" % (len(rows) - 1), flush=True)
        xlsx_links = driver.find_elements(By.ID, "download-xlsx")
        if check(xlsx_links, "no XLSX download link"):
            xlsx_links[0].click()
            xlsx_file = wait_for_file(downloads, ".xlsx")
            if check(xlsx_file is not None, "XLSX download did not arrive"):
                import openpyxl
                book = openpyxl.load_workbook(xlsx_file, read_only=True)
                sheet = book.worksheets[0]
                rows = list(sheet.iter_rows(values_only=True))
                check(len(rows) - 1 == total_db, "XLSX has %d rows, database %d" % (len(rows) - 1, total_db))
                check({r[0] for r in rows[1:]} == ids, "XLSX response ids differ from the database")
                print("xlsx: %d rows, %d sheets read back" % (len(rows) - 1, len(book.worksheets)), flush=True)

        # An enrolment code: its QR code, as drawn on the screen, read by zbarimg (a reader not ours)
        # carries exactly the code printed beside it.
        driver.get(args.url + "/dashboard/devices")
        driver.find_element(By.ID, "device").send_keys("kiosk-qr-test")
        driver.find_element(By.XPATH, "//button[text()='Maak een code']").click()
        wait.until(EC.presence_of_element_located((By.ID, "enrolment-code")))
        code = driver.find_element(By.ID, "enrolment-code").text
        qr_png = artifacts / "06-enrolment-qr.png"
        qr_png.write_bytes(driver.find_element(By.CSS_SELECTOR, ".qr svg").screenshot_as_png)
        decoded = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(qr_png)],
                                 capture_output=True, text=True)
        check(decoded.returncode == 0, "zbarimg found no QR code in the enrolment QR (%s)" % decoded.stderr)
        check(decoded.stdout.strip() == code,
              "the enrolment QR says %r, the page shows %r" % (decoded.stdout.strip(), code))
        print("enrolment qr: decoded %r" % decoded.stdout.strip(), flush=True)

        # The public results page, in English, without figures under 5.
        driver.get(args.url + "/r/" + args.consultation)
        wait.until(EC.presence_of_element_located((By.ID, "lang-en")))
        driver.find_element(By.ID, "lang-en").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        check("Number of responses: %d" % total_db in driver.find_element(By.ID, "total").text, "public total")
        driver.save_screenshot(str(artifacts / "05-public-results-en.png"))

        # Logging out ends the session.
        driver.get(args.url + "/dashboard")
        driver.find_element(By.XPATH, "//button[text()='Uitloggen']").click()
        wait.until(EC.presence_of_element_located((By.ID, "password")))
        driver.get(args.url + "/dashboard")
        check(driver.find_elements(By.ID, "password"), "after logout the dashboard still opens")
    finally:
        try:
            driver.save_screenshot(str(artifacts / "99-last.png"))
        finally:
            driver.quit()
    if failures:
        print("%d check(s) failed" % len(failures))
        return 1
    print("all browser checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
