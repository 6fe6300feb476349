import Foundation
import PlanIO
import Planning

/// The what-if page: one self-contained document (inline CSS and script, no font, script or image
/// from elsewhere). The charts and the target table come from the server, rendered by the report's
/// own code (`ReportParts`); the words from `Words`.
enum Page {
    static func html(_ app: WhatIf, words w: Words) -> String {
        func e(_ s: String) -> String {
            s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let s = app.baseline
        var controls = ""
        for (i, c) in app.controls(w).enumerated() {
            let text = Self.text(c.value, scale: c.scale)
            controls += """
                <div class="ctl" data-key="\(e(c.key))" data-scale="\(c.scale.rawValue)" data-step="\(c.step)">
                <label for="s\(i)">\(e(c.label))</label>
                <div class="row"><input type="range" id="s\(i)" min="\(c.min)" max="\(c.max)" step="\(c.step)" value="\(c.value)">
                <input type="text" class="val" id="v\(i)" value="\(e(text))" data-base="\(e(text))" size="9" spellcheck="false" aria-label="\(e(c.label))">
                <span class="unit">\(e(c.unit))</span></div>
                \(c.note.map { "<p class=\"note\">\(e($0))</p>" } ?? "")
                </div>

                """
        }
        // The solve panel offers every lever control (levers.*); the page's value is where it starts.
        let levers = app.controls(w).filter { $0.key.hasPrefix("levers.") && !$0.key.hasSuffix(".elasticity") }
        let leverOptions = levers.map { "<option value=\"\(e($0.key))\">\(e($0.label))</option>" }.joined()
        let confidence = Self.text(s.targets.confidence, scale: .percent)
        let jsWords = [
            "computing": w.computing, "noChanges": w.noChanges, "fullRun": w.fullRun, "staleResult": w.staleResult,
        ]
        let wordsJSON =
            "{"
            + jsWords.sorted { $0.key < $1.key }.map { "\(JSONText.string($0.key)): \(JSONText.string($0.value))" }
            .joined(separator: ", ") + "}"
        let other = w.indonesian ? "en" : "id"
        return """
            <!DOCTYPE html>
            <html lang="\(w.indonesian ? "id" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="referrer" content="no-referrer">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(e(w.pageTitle)) — \(e(s.name))</title>
            <style>
            \(ReportParts.style)
            \(css)
            </style>
            </head>
            <body>
            <header><h1>\(e(w.pageTitle)): \(e(s.name))</h1>
            <a id="lang" href="?lang=\(other)">\(e(w.languageSwitch))</a></header>
            <p class="hint">\(e(w.stoppedHint))</p>
            <div class="layout">
            <aside>
            <h2>\(e(w.controlsHeading))</h2>
            \(controls)
            <div class="buttons"><button id="full" type="button">\(e(w.fullRun)) (\(app.fullDraws))</button>
            <button id="reset" type="button">\(e(w.reset))</button></div>
            <h3>\(e(w.changedValues))</h3>
            <ul id="changed"><li>\(e(w.noChanges))</li></ul>
            <h3>\(e(w.saveHeading))</h3>
            <form id="save">
            <label for="save-name">\(e(w.saveName))</label><input id="save-name" type="text" maxlength="200" required>
            <label for="save-description">\(e(w.saveDescription))</label><textarea id="save-description" rows="2" maxlength="4000"></textarea>
            <button type="submit">\(e(w.saveButton))</button>
            <p class="note">\(e(w.saveNote))</p>
            <p id="saved" class="ok" role="status"></p>
            </form>
            <h3>\(e(w.downloadHeading))</h3>
            <div class="buttons"><button id="dl-xlsx" type="button">targets.xlsx</button><button id="dl-html" type="button">report.html</button></div>
            </aside>
            <main>
            <h2>\(e(w.resultsHeading))</h2>
            <p id="status" role="status"></p>
            <p id="warnings" class="note"></p>
            <p id="error" class="error" role="alert" hidden></p>
            <section id="table" class="wide"></section>
            <section id="charts"></section>
            <section id="solve-panel">
            <h2>\(e(w.solvePanelHeading))</h2>
            <p class="note">\(e(w.solvePanelNote))</p>
            <div class="buttons"><label for="solve-lever">\(e(w.t("Pengungkit", "Lever")))</label><select id="solve-lever">\(leverOptions)</select>
            <label for="solve-p">P(\(e(w.t("tercapai", "reach"))))</label><input id="solve-p" type="text" value="\(e(confidence))" size="5">
            <button id="solve-run" type="button">\(e(w.t("Hitung", "Compute")))</button></div>
            <p id="solve-status" role="status"></p>
            <section id="solve-table" class="wide"></section>
            </section>
            </main>
            </div>
            <script type="application/json" id="words">\(wordsJSON.replacingOccurrences(of: "</", with: "<\\/"))</script>
            <script>
            \(script)
            </script>
            </body>
            </html>

            """
    }

    /// A value as the scenario reader reads it: a percent string for shares, whole numbers, or the
    /// shortest decimal.
    static func text(_ v: Double, scale: Control.Scale) -> String {
        switch scale {
        case .percent:
            let p = (v * 1000).rounded() / 10
            return (p == p.rounded() ? String(Whole.clamped(p)) : String(p)) + "%"
        case .whole: return String(Whole.clamped(v, .toNearestOrAwayFromZero))
        case .number:
            let r = (v * 10000).rounded() / 10000
            return r == r.rounded() ? String(Whole.clamped(r)) : String(r)
        }
    }

    static let css = """
        body { max-width: none; margin: 0; padding: 12px 20px; }
        header { display: flex; align-items: baseline; gap: 16px; }
        header h1 { margin: 4px 0; }
        .hint { color: #555; font-size: 12px; margin: 0 0 8px; }
        .layout { display: grid; grid-template-columns: 400px minmax(0, 1fr); gap: 24px; align-items: start; }
        aside { position: sticky; top: 8px; max-height: calc(100vh - 16px); overflow-y: auto; padding-right: 8px; }
        aside h2, main h2 { margin-top: 4px; }
        aside h3 { font-size: 14px; margin: 18px 0 6px; border-bottom: 1px solid #ccc; }
        .ctl { margin: 0 0 12px; }
        .ctl label { display: block; font-size: 13px; font-weight: bold; }
        .ctl .row { display: grid; grid-template-columns: minmax(0, 1fr) 84px 96px; align-items: center; gap: 6px; }
        .ctl input[type=range] { width: 100%; margin: 0; }
        .ctl .val { width: 100%; box-sizing: border-box; font: inherit; font-size: 13px; text-align: right; }
        .ctl .val.changed { background: #fff4d6; }
        .ctl .val.bad { background: #fde2e2; border-color: #b00020; }
        .unit { font-size: 12px; color: #444; line-height: 1.1; }
        .note { font-size: 11px; color: #555; margin: 2px 0 0; }
        .buttons { display: flex; gap: 8px; flex-wrap: wrap; margin: 8px 0; }
        button { font: inherit; font-size: 13px; padding: 4px 10px; cursor: pointer; }
        #save label { display: block; font-size: 12px; margin-top: 6px; }
        #save input, #save textarea { width: 100%; box-sizing: border-box; font: inherit; font-size: 13px; }
        #save button { margin-top: 8px; }
        #changed { font-size: 12px; padding-left: 18px; margin: 4px 0; }
        #solve-panel { margin-top: 24px; }
        #solve-panel label { font-size: 13px; font-weight: bold; align-self: center; }
        #solve-status { font-size: 12px; color: #333; min-height: 1.2em; }
        #solve-status.busy { color: #8a5a00; }
        .stale { opacity: 0.5; outline: 2px dashed #b00020; outline-offset: 4px; }
        #status { font-size: 12px; color: #333; min-height: 1.2em; }
        #status.busy { color: #8a5a00; }
        #status.rough { background: #fff4d6; padding: 3px 6px; }
        .error { background: #fde2e2; border: 1px solid #b00020; color: #6d0014; padding: 6px 8px; font-size: 13px; white-space: pre-wrap; }
        .ok { color: #0a6b2d; font-size: 12px; }
        main { min-width: 0; }
        main table.targets { width: 100%; }
        """

    static let script = #"""
        "use strict";
        const TOKEN = new URLSearchParams(location.search).get("token") || "";
        const LANG = document.documentElement.lang === "en" ? "en" : "id";
        const W = JSON.parse(document.getElementById("words").textContent);
        const DEBOUNCE_MS = 60;
        const $ = (id) => document.getElementById(id);
        const controls = Array.from(document.querySelectorAll(".ctl"));
        let seq = 0, controller = null, timer = null, changedAt = 0, renders = 0;
        window.rkatLatencies = [];
        document.getElementById("lang").href += "&token=" + encodeURIComponent(TOKEN);

        function textOf(c, v) {
          const scale = c.dataset.scale;
          if (scale === "percent") return String(Math.round(v * 1000) / 10) + "%";
          if (scale === "whole") return String(Math.round(v));
          return String(Math.round(v * 10000) / 10000);
        }
        // A typed number as the server reads it (WhatIf's PageNumber): in Indonesian a decimal comma
        // and dots between thousands, in English commas between thousands.
        function numberOf(text) {
          if (LANG !== "en" && /^-?\d{1,3}(\.\d{3})+(,\d+)?$/.test(text)) return Number(text.replace(/\./g, "").replace(",", "."));
          if (LANG !== "en" && /^-?\d+,\d+$/.test(text)) return Number(text.replace(",", "."));
          if (LANG === "en" && /^-?\d{1,3}(,\d{3})+(\.\d+)?$/.test(text)) return Number(text.replace(/,/g, ""));
          return Number(text);
        }
        function values() {
          const out = {};
          for (const c of controls) {
            const t = c.querySelector(".val"), v = t.value.trim();
            t.classList.toggle("changed", v !== t.dataset.base);
            if (v !== t.dataset.base) out[c.dataset.key] = v;
          }
          return out;
        }
        function showChanged(v) {
          const ul = $("changed");
          ul.textContent = "";
          const keys = Object.keys(v);
          if (keys.length === 0) { const li = document.createElement("li"); li.textContent = W.noChanges; ul.appendChild(li); }
          // Each by the label the planner sees beside it.
          for (const k of keys) {
            const c = controls.find((x) => x.dataset.key === k);
            const li = document.createElement("li");
            li.textContent = (c ? c.querySelector("label").textContent : k) + ": " + v[k];
            ul.appendChild(li);
          }
        }
        function post(path, body, signal) {
          return fetch(path, { method: "POST", signal, headers: { "Content-Type": "application/json", "X-RKAT-Token": TOKEN }, body: JSON.stringify(body) });
        }
        function showError(msg) { const e = $("error"); e.textContent = msg; e.hidden = false; document.body.dataset.error = msg; }
        function clearError() { $("error").hidden = true; delete document.body.dataset.error; }

        async function run(full, started) {
          const my = ++seq;
          if (controller) controller.abort();
          controller = new AbortController();
          const v = values();
          showChanged(v);
          $("status").textContent = W.computing;
          $("status").classList.add("busy");
          try {
            const r = await post("api/run", { values: v, full, lang: LANG }, controller.signal);
            const j = await r.json();
            if (my !== seq || j.superseded) return;
            $("status").classList.remove("busy");
            if (!j.ok) {
              // The last good result stays, marked as such.
              $("status").textContent = W.staleResult;
              $("table").classList.add("stale");
              $("charts").classList.add("stale");
              document.body.dataset.stale = "true";
              showError(j.error);
              return;
            }
            clearError();
            $("table").classList.remove("stale");
            $("charts").classList.remove("stale");
            delete document.body.dataset.stale;
            for (const c of controls) c.querySelector(".val").classList.remove("bad");
            $("table").innerHTML = j.table;
            $("charts").innerHTML = j.charts;
            $("status").textContent = j.note;
            $("status").classList.toggle("rough", !j.full);
            $("warnings").textContent = j.warnings.join(" · ");
            document.body.dataset.draws = String(j.draws);
            document.body.dataset.full = String(j.full);
            requestAnimationFrame(() => setTimeout(() => {
              const ms = performance.now() - started;
              window.rkatLatencies.push(ms);
              document.body.dataset.latency = ms.toFixed(1);
              document.body.dataset.rendered = String(++renders);
            }, 0));
          } catch (e) {
            if (e.name !== "AbortError" && my === seq) { $("status").classList.remove("busy"); showError(String(e)); }
          }
        }
        function changed() {
          changedAt = performance.now();
          clearTimeout(timer);
          const started = changedAt;
          timer = setTimeout(() => run(false, started), DEBOUNCE_MS);
        }
        for (const c of controls) {
          const slider = c.querySelector("input[type=range]"), t = c.querySelector(".val");
          slider.addEventListener("input", () => { t.value = textOf(c, Number(slider.value)); changed(); });
          t.addEventListener("input", () => {
            const n = numberOf(t.value.trim().replace(/%$/, "")) / (c.dataset.scale === "percent" && /%$/.test(t.value.trim()) ? 100 : 1);
            if (Number.isFinite(n)) slider.value = String(n);
            changed();
          });
        }
        $("full").addEventListener("click", () => run(true, performance.now()));
        $("reset").addEventListener("click", () => {
          for (const c of controls) {
            const t = c.querySelector(".val"), slider = c.querySelector("input[type=range]");
            t.value = t.dataset.base;
            slider.value = slider.defaultValue;
          }
          run(true, performance.now());
        });
        $("save").addEventListener("submit", async (ev) => {
          ev.preventDefault();
          $("saved").textContent = "";
          const r = await post("api/save", { values: values(), lang: LANG, name: $("save-name").value, description: $("save-description").value });
          const j = await r.json();
          if (j.ok) { clearError(); $("saved").textContent = j.message; document.body.dataset.saved = j.file; }
          else showError(j.error);
        });
        async function download(name) {
          $("status").textContent = W.computing;
          const r = await post("api/download/" + name, { values: values(), lang: LANG });
          if (!r.ok) { const j = await r.json(); showError(j.error); return; }
          const url = URL.createObjectURL(await r.blob());
          const a = document.createElement("a");
          a.href = url; a.download = name; document.body.appendChild(a); a.click(); a.remove();
          setTimeout(() => URL.revokeObjectURL(url), 10000);
          $("status").textContent = "";
        }
        // "Apa yang dibutuhkan?": every target at the page's values, the chosen lever from its value.
        $("solve-run").addEventListener("click", async () => {
          $("solve-status").textContent = W.computing;
          $("solve-status").classList.add("busy");
          const r = await post("api/solve", { values: values(), lang: LANG, lever: $("solve-lever").value, probability: $("solve-p").value });
          const j = await r.json();
          $("solve-status").classList.remove("busy");
          if (!j.ok) { $("solve-status").textContent = ""; showError(j.error); return; }
          clearError();
          $("solve-table").innerHTML = j.table;
          $("solve-status").textContent = j.note;
          document.body.dataset.solved = String(j.runs);
        });
        $("dl-xlsx").addEventListener("click", () => download("targets.xlsx"));
        $("dl-html").addEventListener("click", () => download("report.html"));
        // The language switch keeps the values (the page is rendered again in the other language).
        $("lang").addEventListener("click", () => sessionStorage.setItem("rkat-values", JSON.stringify(values())));
        const kept = sessionStorage.getItem("rkat-values");
        sessionStorage.removeItem("rkat-values");
        if (kept) {
          const v = JSON.parse(kept);
          for (const c of controls) if (c.dataset.key in v) {
            c.querySelector(".val").value = v[c.dataset.key];
            const n = Number(String(v[c.dataset.key]).replace(/%$/, ""));
            if (Number.isFinite(n)) c.querySelector("input[type=range]").value = String(c.dataset.scale === "percent" ? n / 100 : n);
          }
        }
        run(true, performance.now());
        """#
}
