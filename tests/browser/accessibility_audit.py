#!/usr/bin/python3
"""A WCAG 2.2 AA audit of the dashboard, the login page and the public results page, built on Chromium
itself (Debian has no axe-core): one headless Chromium session, Selenium for the pages and the keyboard,
the DevTools protocol for the accessibility tree and the narrow viewport.

Run by tests/integration/accessibility_audit_test.cpp, which starts the real server with a staff account,
responses and a result text. On every page it checks:
  name        every link, button, form control, image and region has an accessible name (4.1.2, 1.1.1),
              from Chromium's own accessibility tree (Accessibility.getFullAXTree)
  image       every <img> has alt, every <svg> is role="img" with a name or aria-hidden (1.1.1)
  title/lang  the page has a title (2.4.2) and <html lang> (3.1.1); Arabic is dir="rtl"
  headings    one h1 first, no level skipped going down (1.3.1, 2.4.6)
  contrast    every text's computed colour against its effective background (composited up the tree):
              4.5:1, 3:1 for large text (1.4.3); SVG text by its fill
  non-text    chart bars and lines against their background, form control borders (or fills), 3:1 (1.4.11)
  keyboard    Tab reaches every focusable control, in document order, no positive tabindex (2.1.1, 2.4.3)
  focus       each Tab stop shows a focus ring that the unfocused control lacks: outline >= 2 px whose
              colour has 3:1 against the background, and the control is on screen (2.4.7, 2.4.11)
  target      links, buttons and controls at least 24x24 CSS px, unless inline in a sentence or spaced
              so that a 24 px circle on each touches no other target (2.5.8)
  reflow      at 320 CSS px wide (400 % zoom of 1280) the document does not scroll sideways (1.4.10)
Every violation is printed as "VIOLATION page | element | rule | detail"; exit status 0 only without any.
Also prints "figure" lines (pages, checks, Tab stops, seconds) for the report.
"""
import argparse
import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

violations = []
counts = {"checks": 0, "tab_stops": 0}
# While the audit checks itself (self_test), what it finds goes here instead, and is not printed.
planted = None


def violation(page, element, rule, detail):
    if planted is not None:
        planted.append(rule)
        return
    violations.append((page, element, rule, detail))
    print("VIOLATION %s | %s | %s | %s" % (page, element, rule, detail), flush=True)


# A page with one planted violation of each rule: the audit must find every one of them, or it would
# pass pages it cannot see into (a check that cannot fail proves nothing).
SELF_TEST_PAGE = """<!DOCTYPE html><html><head><title>zelftest</title></head><body>
<h1>Zelftest</h1><h3>level skipped</h3>
<p style="color:#aaaaaa">grey on white</p>
<a href="#leeg"></a>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<svg width="20" height="20"><rect width="20" height="20" fill="#eeeeee"/></svg>
<input id="vaag" style="border:1px solid #eeeeee;background:#ffffff">
<button id="geen-ring" style="outline:none;border:2px solid #000000">ring</button>
<p><a href="#a" style="display:inline-block;width:12px;height:12px">a</a><a href="#b"
   style="display:inline-block;width:12px;height:12px">b</a></p>
<span tabindex="3">positive</span>
<div style="width:700px">wide</div>
</body></html>"""
SELF_TEST_RULES = {"lang", "heading-order", "contrast", "name", "image-alt", "non-text-contrast",
                   "focus-visible", "target-size", "focus-order", "reflow"}


def self_test(driver):
    global planted
    planted = []
    try:
        driver.get("data:text/html;charset=utf-8;base64," + base64.b64encode(SELF_TEST_PAGE.encode()).decode())
        audit(driver, None, None)
        found = set(planted)
    finally:
        planted = None
    missed = SELF_TEST_RULES - found
    if missed:
        violation("self-test", "planted page", "audit", "the audit missed planted violations: %s"
                  % ", ".join(sorted(missed)))
    print("self-test: the audit found every planted kind (%s)" % ", ".join(sorted(found)), flush=True)


def spki_pin(cert_file):
    pem = subprocess.run(["openssl", "x509", "-in", cert_file, "-pubkey", "-noout"], check=True,
                         capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pem, check=True,
                         capture_output=True).stdout
    return base64.b64encode(hashlib.sha256(der).digest()).decode()


# [SECTION] in-page checks (one script per page: a round trip each, not one per element)

PAGE_SCRIPT = r"""
const out = [];
const add = (el, rule, detail) => out.push([describe(el), rule, detail]);
function describe(el) {
  if (!el || !el.tagName) return String(el);
  let d = el.tagName.toLowerCase();
  if (el.id) d += '#' + el.id;
  const cls = el.getAttribute('class');
  if (cls) d += '.' + cls.trim().split(/\s+/).join('.');
  const text = (el.textContent || el.getAttribute('aria-label') || '').trim().replace(/\s+/g, ' ');
  if (text) d += ' "' + text.slice(0, 40) + '"';
  return d;
}
function parse(c) {
  const m = /rgba?\(([^)]+)\)/.exec(c || '');
  if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function over(top, below) {  // top composited over an opaque colour
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat([1]);
}
function luminance(c) {
  const l = c.slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}
function ratio(a, b) {
  const x = luminance(a), y = luminance(b);
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}
// The colour behind `el`: its own and its ancestors' backgrounds composited over the white canvas.
// null when a background image is in the way (then no ratio can be computed: reported).
function background(el, includeSelf) {
  const layers = [];
  for (let e = includeSelf ? el : el.parentElement; e; e = e.parentElement) {
    const cs = getComputedStyle(e);
    if (cs.backgroundImage && cs.backgroundImage !== 'none') return null;
    const bg = parse(cs.backgroundColor);
    if (bg && bg[3] > 0) { layers.push(bg); if (bg[3] >= 1) break; }
  }
  let c = [255, 255, 255, 1];
  for (let i = layers.length - 1; i >= 0; --i) c = over(layers[i], c);
  return c;
}
function visible(el) {
  const cs = getComputedStyle(el);
  if (cs.visibility === 'hidden' || cs.display === 'none') return false;
  return el.getClientRects().length > 0;
}
const fmt = r => r.toFixed(2) + ':1';
let checks = 0;

// title, lang, dir
checks++;
if (!document.title.trim()) add(document.documentElement, 'title', 'the page has no <title>');
const lang = document.documentElement.getAttribute('lang') || '';
checks++;
if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(lang)) add(document.documentElement, 'lang', 'html lang="' + lang + '"');
checks++;
if (lang === 'ar' && document.documentElement.getAttribute('dir') !== 'rtl') add(document.documentElement, 'dir', 'Arabic page without dir="rtl"');

// headings
const heads = [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].filter(visible);
checks++;
if (!heads.length || heads[0].tagName !== 'H1') add(heads[0] || document.body, 'heading-order', 'the first heading is not h1');
if (heads.filter(h => h.tagName === 'H1').length !== 1) add(document.body, 'heading-order', heads.filter(h => h.tagName === 'H1').length + ' h1 headings');
for (let i = 1; i < heads.length; ++i) {
  checks++;
  const prev = +heads[i - 1].tagName[1], level = +heads[i].tagName[1];
  if (level > prev + 1) add(heads[i], 'heading-order', 'h' + prev + ' then h' + level);
  if (!heads[i].textContent.trim()) add(heads[i], 'heading-order', 'empty heading');
}

// images
for (const img of document.querySelectorAll('img')) {
  checks++;
  if (!img.hasAttribute('alt')) add(img, 'image-alt', '<img> without alt');
}
for (const svg of document.querySelectorAll('svg')) {
  if (svg.parentElement && svg.parentElement.closest('svg')) continue;
  checks++;
  const hidden = svg.getAttribute('aria-hidden') === 'true';
  const named = svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby');
  if (!hidden && !(svg.getAttribute('role') === 'img' && named)) add(svg, 'image-alt', 'svg without role="img" and a name');
}

// text contrast (1.4.3)
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const seen = new Set();
for (let n = walker.nextNode(); n; n = walker.nextNode()) {
  const el = n.parentElement;
  if (!n.textContent.trim() || !el || seen.has(el)) continue;
  seen.add(el);
  if (el.closest('option, script, style, title') || !visible(el)) continue;
  const cs = getComputedStyle(el);
  const inSvg = el instanceof SVGElement;
  let fg = parse(inSvg ? cs.fill : cs.color);
  const bg = background(el, true);
  checks++;
  if (!fg || !bg) { add(el, 'contrast', 'colour or background not computable (' + (inSvg ? cs.fill : cs.color) + ')'); continue; }
  if (fg[3] < 1) fg = over(fg, bg);
  const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
  const large = size >= 24 || (bold && size >= 18.66);
  const need = large ? 3 : 4.5, r = ratio(fg, bg);
  if (r < need) add(el, 'contrast', fmt(r) + ' < ' + need + ':1 (' + cs.color + ' on ' + bg.slice(0, 3).join(',') + ', ' + size + 'px)');
}

// non-text contrast (1.4.11): chart marks, control boundaries
for (const mark of document.querySelectorAll('svg rect, svg line, svg path, svg circle')) {
  if (!visible(mark) || mark.closest('.qr')) continue;  // the QR code is a code, not a UI component
  const cs = getComputedStyle(mark);
  const paint = parse(cs.fill !== 'none' && cs.fill ? cs.fill : cs.stroke);
  const bg = background(mark.closest('svg'), false);
  checks++;
  if (!paint || !bg) continue;
  const r = ratio(paint[3] < 1 ? over(paint, bg) : paint, bg);
  if (r < 3) add(mark, 'non-text-contrast', 'chart mark ' + fmt(r) + ' < 3:1');
}
for (const c of document.querySelectorAll('input:not([type=hidden]), select, textarea, button')) {
  if (!visible(c)) continue;
  const cs = getComputedStyle(c), outside = background(c, false);
  const border = parse(cs.borderTopColor), fill = parse(cs.backgroundColor);
  const borderOk = parseFloat(cs.borderTopWidth) >= 1 && border && ratio(border[3] < 1 ? over(border, outside) : border, outside) >= 3;
  const fillOk = fill && fill[3] > 0 && ratio(over(fill, outside), outside) >= 3;
  checks++;
  if (!borderOk && !fillOk) add(c, 'non-text-contrast', 'control boundary under 3:1 (border ' + cs.borderTopColor + ', fill ' + cs.backgroundColor + ')');
}

// target size (2.5.8)
const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter(el => visible(el) && !el.classList.contains('skip'));
const rects = targets.map(el => el.getBoundingClientRect());
const small = (r) => r.width < 24 - 0.01 || r.height < 24 - 0.01;
function inSentence(el) {
  // WCAG's "inline" exception: a link inside a line of other text.
  if (getComputedStyle(el).display !== 'inline') return false;
  const block = el.parentElement;
  const own = (el.textContent || '').trim().length;
  return block && (block.textContent || '').trim().length > own;
}
function distance(x, y, r) {
  const dx = Math.max(r.left - x, 0, x - r.right), dy = Math.max(r.top - y, 0, y - r.bottom);
  return Math.hypot(dx, dy);
}
targets.forEach((el, i) => {
  checks++;
  const r = rects[i];
  if (!small(r) || inSentence(el)) return;
  const cx = (r.left + r.right) / 2, cy = (r.top + r.bottom) / 2;
  let clash = null;
  targets.forEach((other, j) => {
    if (i === j || clash) return;
    const o = rects[j];
    if (small(o)) {
      const ox = (o.left + o.right) / 2, oy = (o.top + o.bottom) / 2;
      if (Math.hypot(cx - ox, cy - oy) < 24) clash = other;
    } else if (distance(cx, cy, o) < 12) clash = other;
  });
  if (clash) add(el, 'target-size', Math.round(r.width) + 'x' + Math.round(r.height) + ' px, and a 24 px circle touches ' + describe(clash));
});
return [out, checks];
"""

# Marks every focusable element with its place in document order and notes how it looks unfocused.
FOCUSABLE_SCRIPT = r"""
if (document.activeElement) document.activeElement.blur();
const sel = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]),' +
            ' textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
const list = [...document.querySelectorAll(sel)].filter(el => {
  const cs = getComputedStyle(el);
  return cs.visibility !== 'hidden' && cs.display !== 'none' && el.getClientRects().length > 0 && el.tabIndex >= 0;
});
const positive = [...document.querySelectorAll('[tabindex]')].filter(el => el.tabIndex > 0).map(el => el.outerHTML.slice(0, 80));
list.forEach((el, i) => el.setAttribute('data-audit', String(i)));
return [list.map(el => {
  const cs = getComputedStyle(el);
  return [el.outerHTML.slice(0, 90), cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor + ' ' + cs.boxShadow];
}), positive];
"""

# What the focused element looks like now.
FOCUSED_SCRIPT = r"""
const el = document.activeElement;
if (!el || el === document.body || !el.hasAttribute('data-audit')) return null;
const cs = getComputedStyle(el);
function parse(c) {
  const m = /rgba?\(([^)]+)\)/.exec(c || '');
  if (!m) return null;
  const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(parseFloat);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
}
function luminance(c) {
  const l = c.slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
}
// The outline is drawn outside the element (outline-offset): against the parent's background.
let bg = [255, 255, 255, 1];
for (let e = el.parentElement; e; e = e.parentElement) {
  const c = parse(getComputedStyle(e).backgroundColor);
  if (c && c[3] >= 1) { bg = c; break; }
}
const oc = parse(cs.outlineColor);
const x = luminance(oc || bg), y = luminance(bg);
const r = el.getBoundingClientRect();
return {
  index: +el.getAttribute('data-audit'),
  look: cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor + ' ' + cs.boxShadow,
  style: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
  ratio: (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05),
  onScreen: r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth,
};
"""

REFLOW_SCRIPT = r"""
const width = document.documentElement.clientWidth;
const wide = [];
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.right > width + 1 && !el.closest('.table-wrap') && getComputedStyle(el).position !== 'absolute')
    wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' (' + Math.round(r.right) + ' px)');
}
return [document.documentElement.scrollWidth, width, wide.slice(0, 5)];
"""

INTERACTIVE_ROLES = {"link", "button", "textbox", "searchbox", "combobox", "listbox", "checkbox", "radio",
                     "spinbutton", "slider", "switch", "menuitem", "tab", "image", "img", "region"}


def describe_node(driver, backend_id):
    try:
        node = driver.execute_cdp_cmd("DOM.describeNode", {"backendNodeId": backend_id})["node"]
    except Exception:  # noqa: BLE001 - a node that went away: name it by its id
        return "node %d" % backend_id
    attributes = node.get("attributes", [])
    named = dict(zip(attributes[::2], attributes[1::2]))
    text = node["nodeName"].lower()
    if named.get("id"):
        text += "#" + named["id"]
    if named.get("class"):
        text += "." + ".".join(named["class"].split())
    if named.get("href"):
        text += ' href="%s"' % named["href"]
    return text


def audit_names(driver, page):
    tree = driver.execute_cdp_cmd("Accessibility.getFullAXTree", {})
    for node in tree.get("nodes", []):
        if node.get("ignored"):
            continue
        role = node.get("role", {}).get("value", "")
        if role not in INTERACTIVE_ROLES:
            continue
        counts["checks"] += 1
        name = str(node.get("name", {}).get("value", "")).strip()
        if not name:
            violation(page, describe_node(driver, node.get("backendDOMNodeId", 0)), "name",
                      "%s without an accessible name" % role)


def audit_keyboard(driver, page):
    focusables, positive = driver.execute_script(FOCUSABLE_SCRIPT)
    for html in positive:
        violation(page, html, "focus-order", "positive tabindex")
    if not focusables:
        return
    # Tab until a control comes round again. The first Tab after blur() may start anywhere (Chromium
    # keeps the blurred control as its starting point), and focus leaves the document after the last
    # control: so the loop runs past that gap, and the order is compared from its first control on.
    order = []
    seen = set()
    for _ in range(2 * len(focusables) + 6):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focused = driver.execute_script(FOCUSED_SCRIPT)
        if focused is None:
            continue
        index = focused["index"]
        if index in seen:
            break
        seen.add(index)
        order.append(index)
        counts["tab_stops"] += 1
        counts["checks"] += 1
        html, unfocused = focusables[index]
        if focused["style"] in ("none", "hidden") or focused["width"] < 2:
            violation(page, html, "focus-visible", "focused outline is '%s'" % focused["look"])
        elif focused["look"] == unfocused:
            violation(page, html, "focus-visible", "looks the same focused and unfocused (%s)" % unfocused)
        elif focused["ratio"] < 3:
            violation(page, html, "focus-visible", "focus ring %.2f:1 < 3:1 (%s)" % (focused["ratio"], focused["look"]))
        if not focused["onScreen"]:
            violation(page, html, "focus-not-obscured", "focused control is off screen")
    if order:
        first = order.index(min(order))
        order = order[first:] + order[:first]
    counts["checks"] += 1
    missing = [focusables[i][0] for i in range(len(focusables)) if i not in seen]
    for html in missing:
        violation(page, html, "keyboard", "Tab never reaches it")
    if order != sorted(order):
        violation(page, "Tab order", "focus-order", "Tab visits %s, document order is ascending" % order)


def audit_reflow(driver, page, artifacts):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": 320, "height": 640, "deviceScaleFactor": 1, "mobile": False})
    try:
        scroll_width, width, wide = driver.execute_script(REFLOW_SCRIPT)
        if artifacts:
            driver.save_screenshot(os.path.join(artifacts, "a11y-%s-320px.png" % page))
        counts["checks"] += 1
        if scroll_width > width:
            violation(page, "document", "reflow",
                      "at 320 CSS px the page is %d px wide; widest: %s" % (scroll_width, ", ".join(wide)))
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def audit(driver, page, artifacts):
    problems, checks = driver.execute_script(PAGE_SCRIPT)
    counts["checks"] += checks
    for element, rule, detail in problems:
        violation(page, element, rule, detail)
    audit_names(driver, page)
    audit_keyboard(driver, page)
    audit_reflow(driver, page, artifacts)
    if artifacts:
        driver.save_screenshot(os.path.join(artifacts, "a11y-%s.png" % page))
        print("audited %s" % page, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--cert", required=True, help="the server's certificate (pinned)")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--consultation", required=True)
    parser.add_argument("--languages", default="nl,en,tr,pl,ar")
    parser.add_argument("--artifacts", required=True)
    args = parser.parse_args()
    os.makedirs(args.artifacts, exist_ok=True)
    started = time.monotonic()
    profile = tempfile.mkdtemp(prefix="buurtstem-chromium-")

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ["--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                 "--user-data-dir=" + profile, "--ignore-certificate-errors-spki-list=" + spki_pin(args.cert),
                 "--no-first-run", "--disable-extensions", "--lang=nl", "--force-device-scale-factor=1"]:
        options.add_argument(flag)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.set_page_load_timeout(30)
    wait = WebDriverWait(driver, 15)
    pages = 0
    try:
        driver.execute_cdp_cmd("Accessibility.enable", {})
        driver.execute_cdp_cmd("DOM.enable", {})
        self_test(driver)

        def visit(path, page, ready_id):
            nonlocal pages
            driver.get(args.url + path)
            wait.until(EC.presence_of_element_located((By.ID, ready_id)))
            audit(driver, page, args.artifacts)
            pages += 1

        visit("/", "login", "password")
        # The refused login, with its error box.
        driver.find_element(By.ID, "user").send_keys(args.user)
        driver.find_element(By.ID, "password").send_keys("not-the-password")
        driver.find_element(By.ID, "login").click()
        wait.until(EC.presence_of_element_located((By.ID, "login-error")))
        audit(driver, "login-refused", args.artifacts)
        pages += 1
        field = driver.find_element(By.ID, "user")
        field.clear()
        field.send_keys(args.user)
        driver.find_element(By.ID, "password").send_keys(args.password)
        driver.find_element(By.ID, "login").click()
        wait.until(EC.presence_of_element_located((By.ID, "consultations")))

        visit("/dashboard", "dashboard", "consultations")
        visit("/dashboard/consultation/" + args.consultation, "consultation", "total")
        visit("/dashboard/consultation/" + args.consultation + "?zoek=buurthuis", "consultation-search",
              "free-texts")
        visit("/dashboard/devices", "devices", "devices")
        driver.find_element(By.ID, "device").send_keys("kiosk-audit")
        driver.find_element(By.XPATH, "//button[text()='Maak een code']").click()
        wait.until(EC.presence_of_element_located((By.ID, "enrolment-code")))
        audit(driver, "devices-enrolment-code", args.artifacts)
        pages += 1
        visit("/dashboard/bestaat-niet", "dashboard-not-found", "inhoud")
        for language in args.languages.split(","):
            visit("/r/%s?lang=%s" % (args.consultation, language), "public-" + language, "total")
        visit("/r/bestaat-niet", "public-not-found", "inhoud")
    finally:
        driver.quit()
    seconds = time.monotonic() - started
    print("figure a11y_pages: %d pages" % pages)
    print("figure a11y_checks: %d checks" % counts["checks"])
    print("figure a11y_tab_stops: %d stops" % counts["tab_stops"])
    print("figure a11y_seconds: %.1f s" % seconds)
    if violations:
        print("%d accessibility violation(s)" % len(violations))
        return 1
    print("no accessibility violations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
