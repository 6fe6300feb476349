#!/usr/bin/env python3
"""The `rkat serve` page in a real browser (Debian's chromium and chromium-driver, selenium).

Starts `rkat serve` on a free loopback port with a scratch copy of the Sumbagut 2018 example, then:
  - refuses a request without the token, with a wrong one, from a foreign Origin or Host;
  - moves the outreach-intensity slider (arrow keys, as a planner would), waits for the chart and the
    target table to change, measures the time from the slider change to the redrawn page;
  - presses "full run" and checks every target on the page equals `rkat run --set
    levers.outreach.intensity=1.3` (same draws and seed);
  - types a bad value and checks the page shows the reader's one-line message and keeps the result;
  - saves as a scenario, checks the file lies beside the original, and runs it with `rkat run`;
  - downloads targets.xlsx and report.html through the API;
  - load check: 200 changes in a row from this script, no failed request, resident memory after
    change 200 within 10% of that after change 20;
  - stops the server with SIGINT (it must exit 0).
Only loopback addresses; every wait and loop is bounded.

Usage: check_serve.py --binary .build/debug/rkat
"""
import argparse
import csv
import http.client
import json
import os
import re
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fail(msg):
    print(f"check_serve: FAIL: {msg}", file=sys.stderr)
    sys.exit(1)


def request(port, method, path, body=None, headers=None, host=None):
    """One HTTP request to 127.0.0.1 (only loopback): (status, body bytes)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    h = {"Host": host or f"127.0.0.1:{port}"}
    h.update(headers or {})
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    if data is not None:
        h.setdefault("Content-Type", "application/json")
    c.request(method, path, body=data, headers=h)
    r = c.getresponse()
    out = r.status, r.read()
    c.close()
    return out


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    fail("no VmRSS")


def targets_csv(path):
    with open(path, newline="") as f:
        return [r for r in csv.DictReader(f)]


def page_number(text):
    """An Indonesian figure on the page (1.121.770) as a number; None for '—'."""
    t = text.strip()
    t = t[3:] if t.startswith("Rp ") else t  # iuran in rupiah
    return None if t in ("—", "") else float(t.replace(".", "").replace(",", "."))


def unit_of(label):
    """The divisor an indicator's label names: 'Penerimaan iuran (Rp miliar)' → 1e9, '(Rp juta)' → 1e6,
    anything else (persons, or '(Rp)' whole rupiah) → 1."""
    for name, divisor in [("Rp miliar", 1e9), ("Rp billion", 1e9), ("Rp juta", 1e6), ("Rp million", 1e6)]:
        if name in label:
            return divisor
    return 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--scenario", default="sumbagut-2018")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    work = tempfile.mkdtemp(prefix="rkat-check-serve-")
    os.makedirs(f"{work}/scenarios")
    os.makedirs(f"{work}/data")
    shutil.copy(f"{ROOT}/scenarios/{args.scenario}.yaml", f"{work}/scenarios/")
    shutil.copy(f"{ROOT}/data/sumbagut-2018-history.csv", f"{work}/data/")
    scenario = f"{work}/scenarios/{args.scenario}.yaml"

    server = subprocess.Popen([binary, "serve", scenario, "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    driver = None
    try:
        ready, _, _ = select.select([server.stdout], [], [], 30)
        if not ready:
            fail("rkat serve printed no address in 30 s")
        line = server.stdout.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)/\?token=([0-9a-f]{64})", line)
        if not m:
            fail(f"no address with a token in {line!r}")
        port, token = int(m.group(1)), m.group(2)
        url = f"http://127.0.0.1:{port}/?token={token}"
        auth = {"X-RKAT-Token": token}

        # --- Refusals (the token, Host and Origin checks) ---
        for what, path, headers, host in [
            ("no token", "/", {}, None),
            ("a wrong token", "/?token=" + "0" * 64, {}, None),
            ("a foreign Origin", f"/?token={token}", {"Origin": "http://evil.example"}, None),
            ("a foreign Host (DNS rebinding)", f"/?token={token}", {}, f"evil.example:{port}"),
        ]:
            status, _ = request(port, "GET", path, headers=headers, host=host)
            if status != 403:
                fail(f"a request with {what} got {status}, not 403")
        status, _ = request(port, "POST", "/api/run", {"values": {}}, headers={"Origin": "http://evil.example", **auth})
        if status != 403:
            fail(f"an API request from a foreign Origin got {status}")
        status, _ = request(port, "POST", "/api/run", b"x" * (65 * 1024), headers=auth)
        if status != 413:
            fail(f"a 65 KiB body got {status}, not 413")
        print("check_serve: refused without the token, with a wrong one, from a foreign Origin or Host, and a 65 KiB body")

        # --- The browser ---
        opts = webdriver.ChromeOptions()
        opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
        for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000"]:
            opts.add_argument(a)
        driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=opts)
        driver.set_page_load_timeout(60)
        driver.get(url)
        wait = WebDriverWait(driver, 60, poll_frequency=0.02)

        def rendered():
            return int(driver.find_element(By.TAG_NAME, "body").get_attribute("data-rendered") or 0)

        def wait_render(after):
            wait.until(lambda d: rendered() > after)
            return rendered()

        n = wait_render(0)
        table0 = driver.find_element(By.ID, "table").get_attribute("innerHTML")
        charts0 = driver.find_element(By.ID, "charts").get_attribute("innerHTML")
        if "<svg" not in charts0 or "P(tercapai)" not in table0:
            fail("the first page has no chart or no target table")
        slider = driver.find_element(By.CSS_SELECTOR, '.ctl[data-key="levers.outreach.intensity"] input[type=range]')
        box = driver.find_element(By.CSS_SELECTOR, '.ctl[data-key="levers.outreach.intensity"] .val')

        # Move the slider from 1 to 1.3 (six steps of 0.05), each step a redraw: the latency of each.
        latencies = []
        for _ in range(6):
            slider.send_keys(Keys.ARROW_RIGHT)
            n = wait_render(n)
            latencies.append(float(driver.find_element(By.TAG_NAME, "body").get_attribute("data-latency")))
        if box.get_attribute("value") != "1.3":
            fail(f"the intensity box shows {box.get_attribute('value')!r} after six steps, not 1.3")
        # Back and forth once more for more latency samples (ends at 1.3 again).
        for key in [Keys.ARROW_LEFT, Keys.ARROW_RIGHT] * 7:
            slider.send_keys(key)
            n = wait_render(n)
            latencies.append(float(driver.find_element(By.TAG_NAME, "body").get_attribute("data-latency")))
        body = driver.find_element(By.TAG_NAME, "body")
        if body.get_attribute("data-full") != "false" or body.get_attribute("data-draws") != "200":
            fail(f"an interactive change ran {body.get_attribute('data-draws')} draws (full={body.get_attribute('data-full')})")
        if driver.find_element(By.ID, "table").get_attribute("innerHTML") == table0:
            fail("the target table did not change")
        if driver.find_element(By.ID, "charts").get_attribute("innerHTML") == charts0:
            fail("the charts did not change")
        med, worst = statistics.median(latencies), max(latencies)
        print(f"check_serve: latency slider change -> redrawn page ({len(latencies)} changes, 200 draws, debounce included): "
              f"median {med:.0f} ms, max {worst:.0f} ms (aim < 300 ms)")
        if med > 2000:
            fail(f"median latency {med:.0f} ms")

        # The full run: every target on the page equals `rkat run --set levers.outreach.intensity=1.3`.
        driver.find_element(By.ID, "full").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-full") == "true")
        n = rendered()
        subprocess.run([binary, "run", scenario, "--set", "levers.outreach.intensity=1.3", "--out", f"{work}/cli"],
                       check=True, stdout=subprocess.DEVNULL)
        cli = targets_csv(f"{work}/cli/targets.csv")
        rows = driver.find_elements(By.CSS_SELECTOR, "#table table.targets tr")[1:]
        if len(rows) != len(cli):
            fail(f"the page shows {len(rows)} targets, rkat run {len(cli)}")
        for tr, r in zip(rows, cli):
            cells = [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            # Iuran in the unit its label names, one decimal (2.783,5 Rp miliar); persons whole.
            unit = unit_of(cells[2])
            shown, want = page_number(cells[6]), float(r["target"])
            close = shown == round(want) if unit == 1 else shown is not None and abs(shown - want / unit) <= 0.05 + 1e-9
            if cells[0] != r["region"] or cells[1] != r["segment"] or not close:
                fail(f"page row {cells[:2]} target {cells[6]} != rkat run {r['region']} {r['segment']} {r['metric']} {r['basis']} {want}")
            p = cells[7].strip()
            if r["p_reach"] and p != "—" and abs(float(p.rstrip("%").replace(",", ".")) / 100 - float(r["p_reach"])) > 0.0005:
                fail(f"page P(reach) {p} != rkat run {r['p_reach']} ({r['segment']} {r['metric']} {r['basis']})")
        pu = next(r for r in cli if r["segment"] == "PU" and r["metric"] == "acquisitions" and r["basis"] == "projection")
        print(f"check_serve: after the full run every target equals rkat run --set levers.outreach.intensity=1.3 "
              f"(e.g. PU acquisitions {float(pu['target']):,.0f}, P(reach) {pu['p_reach']})")

        # A bad value: the reader's one-line message on the page, the last good result kept.
        table_good = driver.find_element(By.ID, "table").get_attribute("innerHTML")
        box.clear()
        box.send_keys("abc")
        wait.until(lambda d: d.find_element(By.ID, "error").is_displayed())
        message = driver.find_element(By.ID, "error").text
        cli_err = subprocess.run([binary, "validate", scenario, "--set", "levers.outreach.intensity=abc"], capture_output=True, text=True)
        if cli_err.returncode != 2 or message.strip() != cli_err.stderr.strip():
            fail(f"the page says {message!r}; rkat validate --set says {cli_err.stderr.strip()!r}")
        if driver.find_element(By.ID, "table").get_attribute("innerHTML") != table_good:
            fail("a bad value replaced the last good result")
        # ... and marked as the last good one (issue 29), until a good value is run.
        if "stale" not in driver.find_element(By.ID, "table").get_attribute("class") or body.get_attribute("data-stale") != "true":
            fail("the last good result is not marked while a value is refused")
        print(f"check_serve: a bad value shows {message!r}, as rkat validate --set does; the last good result is marked")
        # The Indonesian decimal comma: 1,3 is 1.3 (the same figures as before the bad value).
        box.clear()
        box.send_keys("1,3")
        n = wait_render(n)
        if "stale" in driver.find_element(By.ID, "table").get_attribute("class") or body.get_attribute("data-stale"):
            fail("a good value left the result marked as stale")
        if driver.find_element(By.ID, "error").is_displayed():
            fail(f"1,3 was refused: {driver.find_element(By.ID, 'error').text!r}")
        # The changed values are listed by the labels beside their controls, not by scenario keys.
        label = driver.find_element(By.CSS_SELECTOR, '.ctl[data-key="levers.outreach.intensity"] label').text
        changed = [li.text for li in driver.find_elements(By.CSS_SELECTOR, "#changed li")]
        if f"{label}: 1,3" not in changed or any("levers." in c for c in changed):
            fail(f"changed values listed as {changed}, expected '{label}: 1,3'")
        print(f"check_serve: 1,3 typed runs as 1.3; changed values listed by label ({changed})")
        box.clear()
        box.send_keys("1.3")
        n = wait_render(n)

        # Save as scenario, then run the saved file.
        driver.find_element(By.ID, "save-name").send_keys("Uji browser: intensitas 1.3")
        driver.find_element(By.ID, "save-description").send_keys("Disimpan oleh scripts/check_serve.py")
        driver.find_element(By.CSS_SELECTOR, "#save button[type=submit]").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-saved"))
        saved = driver.find_element(By.TAG_NAME, "body").get_attribute("data-saved")
        path = f"{work}/scenarios/{saved}"
        if saved != "uji-browser-intensitas-1-3.yaml" or not os.path.isfile(path):
            fail(f"saved {saved!r}, no such file beside the scenario")
        text = open(path).read()
        if f"extends: \"{args.scenario}.yaml\"" not in text or "intensity: 1.3" not in text:
            fail(f"the saved file does not extend the scenario with the change:\n{text}")
        subprocess.run([binary, "run", path, "--out", f"{work}/saved"], check=True, stdout=subprocess.DEVNULL)
        if [r["target"] for r in targets_csv(f"{work}/saved/targets.csv")] != [r["target"] for r in cli]:
            fail("rkat run on the saved scenario gives other targets than rkat run --set")
        # Saving again under the same name is refused (never overwritten).
        status, _ = request(port, "POST", "/api/save", {"values": {}, "name": "Uji browser: intensitas 1.3"}, headers=auth)
        if status != 409:
            fail(f"a second save of the same name got {status}, not 409")
        print(f"check_serve: saved {saved} beside the scenario; rkat run on it gives the same targets; a second save is refused")

        # "Apa yang dibutuhkan?": the panel answers at the page's values (intensity 1.3), the chosen lever
        # searched from there; the same table as rkat solve --ajuan with that lever and range.
        driver.find_element(By.ID, "solve-p").clear()
        driver.find_element(By.ID, "solve-p").send_keys("70%")
        driver.find_element(By.ID, "solve-run").click()
        wait.until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-solved"))
        panel = driver.find_element(By.ID, "solve-table").get_attribute("innerHTML")
        if "aturan +20%" not in panel or "outreach.intensity" not in panel:
            fail(f"the solve panel shows no ajuan table: {panel[:300]!r}")
        driver.execute_script("document.getElementById('solve-panel').scrollIntoView()")
        driver.save_screenshot(f"{work}/solve-panel.png")
        shutil.copy(f"{work}/solve-panel.png", os.environ.get("RKAT_SCREENSHOTS", work) + "/solve-panel.png") if os.environ.get("RKAT_SCREENSHOTS") else None
        print(f"check_serve: the solve panel answered ({driver.find_element(By.ID, 'solve-status').text})")

        # Downloads, rendered in memory.
        status, xlsx = request(port, "POST", "/api/download/targets.xlsx", {"values": {"levers.outreach.intensity": "1.3"}}, headers=auth)
        if status != 200 or not xlsx.startswith(b"PK"):
            fail(f"targets.xlsx download: {status}")
        status, html = request(port, "POST", "/api/download/report.html", {"values": {"levers.outreach.intensity": "1.3"}, "lang": "en"}, headers=auth)
        if status != 200 or b"<svg" not in html or b"Targets 2018" not in html:
            fail(f"report.html download: {status}")
        if sorted(os.listdir(f"{work}/scenarios")) != sorted([f"{args.scenario}.yaml", saved]):
            fail(f"the scenario folder holds {os.listdir(work + '/scenarios')}")

        # Load: 200 changes in a row, no failed request; memory after 200 within 10% of after 20.
        driver.quit()
        driver = None
        rss20 = None
        started = time.monotonic()
        for i in range(1, 201):
            v = f"{0.5 + (i % 40) * 0.05:.2f}"
            status, out = request(port, "POST", "/api/run", {"values": {"levers.outreach.intensity": v, "targets.confidence": f"{40 + i % 30}%"}}, headers=auth)
            if status != 200 or not json.loads(out).get("ok"):
                fail(f"change {i} (intensity {v}) failed: {status} {out[:200]!r}")
            if i == 20:
                rss20 = rss_kib(server.pid)
            if time.monotonic() - started > 240:
                fail(f"the load check took over 240 s at change {i}")
        rss200 = rss_kib(server.pid)
        elapsed = time.monotonic() - started
        ratio = rss200 / rss20
        print(f"check_serve: 200 changes in a row, none failed ({elapsed:.1f} s, {elapsed / 200 * 1000:.0f} ms each); "
              f"resident memory {rss20 / 1024:.1f} MiB after change 20, {rss200 / 1024:.1f} MiB after 200 ({(ratio - 1) * 100:+.1f}%)")
        if abs(ratio - 1) > 0.10:
            fail("resident memory grew more than 10% from change 20 to change 200")

        # Ctrl-C stops it cleanly.
        server.send_signal(signal.SIGINT)
        try:
            code = server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            fail("rkat serve did not stop within 20 s of SIGINT")
        if code != 0:
            fail(f"rkat serve exited {code} after SIGINT: {server.stderr.read()}")
        print("check_serve: SIGINT stopped the server (exit 0)")
        print("check_serve: OK")
    finally:
        if driver is not None:
            driver.quit()
        if server.poll() is None:
            server.kill()
            server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
