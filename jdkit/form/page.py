"""The form's page: its style sheet, its script, and the Voila template that serves both.

``CSS`` lays the form out (fields left and preview right, each scrolling on its own, at
1000 px and wider; stacked below with a sticky score bar), with a 3 px focus ring and
tab colours of at least 4.5:1. It ships inside the form (an HTML widget), so JupyterLab
gets it too. ``SCRIPT`` does what ipywidgets cannot do from the kernel, reading CSS classes
the kernel sets: accessible names and groups (``jdkit-aria=``, ``jdkit-group=``), moving the
focus (``jdkit-focus-<n>``), the leave-page prompt while ``jdkit-unsaved`` is on the form,
ending the page's kernel when the page goes (Voila's own request lacked the XSRF token),
and checking an upload's size before anything is sent. ``write_template`` writes the
``jdkit`` Voila template (Voila's ``lab`` one, without its CDN style sheets, plus the script).
"""

from __future__ import annotations

import json
from pathlib import Path

__all__ = ["CSS", "SCRIPT", "TEMPLATE", "script", "write_template", "UPLOAD_LIMIT"]

UPLOAD_LIMIT = 1_000_000  # bytes: jdkit.params.MAX_BYTES, checked in the browser before sending

CSS = """
.jdkit-form { color: #111; }
.jdkit-form > * { flex: 0 0 auto; }
.jdkit-form > .jdkit-main { flex: 1 1 auto; }
.jdkit-title { font-size: 1.25em; margin: 0 12px 0 0; font-weight: bold; }
.jdkit-scorebar-box, .jdkit-table-head, .jdkit-row, .jdkit-row-cells, .jdkit-bar {
  overflow: visible !important; }
.jdkit-findings-list { max-height: 30vh; overflow-y: auto; }
.jdkit-form .lm-TabBar-tab, .jdkit-form .p-TabBar-tab { flex: 0 0 auto !important;
  min-width: 0 !important; max-width: none !important; color: #222 !important;
  background: #e8e8e8 !important; }
.jdkit-form .lm-TabBar-tab.lm-mod-current, .jdkit-form .p-TabBar-tab.p-mod-current {
  color: #000 !important; background: #fff !important; }
.jdkit-form .lm-TabBar-content, .jdkit-form .p-TabBar-content { flex-wrap: wrap; }
.jdkit-form :focus-visible, .jdkit-form input:focus, .jdkit-form select:focus,
.jdkit-form textarea:focus, .jdkit-form button:focus, .jdkit-form summary:focus {
  outline: 3px solid #1a4fa0 !important; outline-offset: 1px !important;
  box-shadow: none !important; }
.jdkit-form .jupyter-button.mod-primary { background: #0d47a1 !important; color: #fff !important; }
.jdkit-form .widget-label, .jdkit-form .widget-label-basic { color: #111 !important; }
.jdkit-form select { max-width: 100%; }
.jdkit-bar { gap: 6px; align-items: center; }
.jdkit-role select { min-width: 24em; }
.jdkit-status-ok { color: #1b5e20; }
.jdkit-status-warn { color: #8a4500; background: #fff4e5; padding: 2px 6px; }
.jdkit-status-error { color: #b00020; }
.jdkit-saved-note { color: #333; }
.jdkit-box-title { font-weight: bold; }
.jdkit-question { border: 2px solid #8a4500; background: #fff4e5; padding: 6px 10px;
  margin: 4px 0; }
.jdkit-question-items { max-height: 12em; overflow-y: auto; margin: 2px 0; }
.jdkit-scorebar { display: flex; flex-wrap: wrap; gap: 12px; align-items: baseline;
  padding: 4px 6px; background: #fff; border-bottom: 1px solid #767676; }
.jdkit-score-value { font-size: 1.4em; }
.jdkit-stale-note { color: #111; background: #f2f2f2; border-left: 4px solid #8a4500;
  padding: 4px 8px; }
.jdkit-stale .jdkit-preview-frame { filter: grayscale(1); opacity: 0.5; }
.jdkit-stale .jdkit-scorebar { background: #f2f2f2; color: #595959; }
.jdkit-findings-panel summary { cursor: pointer; font-weight: bold; padding: 2px 0; }
.jdkit-findings-panel ul { margin: 4px 0; padding-left: 1.2em; }
.jdkit-where { font-weight: bold; }
.jdkit-row-number, .jdkit-col { font-weight: bold; }
.jdkit-table-head { border-bottom: 2px solid #767676; }
.jdkit-market { border: 1px solid #767676; background: #f7f7f7; padding: 4px 8px;
  margin: 4px 0 8px 0; }
.jdkit-market table { border-collapse: collapse; margin: 4px 0; }
.jdkit-market th, .jdkit-market td { border: 1px solid #999; padding: 1px 6px; text-align: right; }
.jdkit-market caption { text-align: left; font-size: 0.9em; }
.jdkit-preview-frame { width: 100%; border: 1px solid #767676; background: #fff; }
.jdkit-preview-kind { flex: 0 0 auto; margin: 4px 0; }
.jdkit-preview-kind .widget-radio-box { flex-direction: row; gap: 12px; }
.jdkit-preview-kind .widget-radio-box label { width: auto; }
@media (min-width: 1000px) {
  .jdkit-form { height: calc(100vh - 20px); }
  .jdkit-main { flex: 1 1 auto; min-height: 0; overflow: hidden; }
  .jdkit-fields { width: 56%; height: 100%; overflow-y: auto !important; }
  .jdkit-side { width: 44%; height: 100%; overflow-y: auto !important; }
  .jdkit-preview { flex: 1 1 auto; min-height: 0; }
  .jdkit-preview-frame { height: calc(100vh - 150px); min-height: 420px; }
}
@media (max-width: 999.98px) {
  /* sticky needs every box between the bar and the page's scroller to let it overflow */
  .jdkit-form, .jdkit-main, .jdkit-side, .jp-OutputArea, .jp-OutputArea-child,
  .jp-OutputArea-output, .jp-Cell-outputWrapper, .jp-Cell { overflow: visible !important; }
  .jdkit-main { flex-direction: column !important; }
  .jdkit-fields { width: 100% !important; }
  .jdkit-side { display: contents !important; }
  .jdkit-scorebar-box { order: -1; position: sticky; top: 0; z-index: 5; }
  .jdkit-preview-frame { height: 80vh; }
}
"""

SCRIPT = r"""
(function () {
  "use strict";
  if (window.jdkitPage) { return; }
  window.jdkitPage = true;
  var LIMIT = __LIMIT__;
  var lastFocus = 0;
  var findingsOpen = window.matchMedia("(min-width: 1000px)").matches;
  var CONTROLS = "input,select,textarea,button,summary";

  function config() {
    var node = document.getElementById("jupyter-config-data");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  }
  function unsaved() { return !!document.querySelector(".jdkit-form.jdkit-unsaved"); }
  function control(el) { return el.matches(CONTROLS) ? el : el.querySelector(CONTROLS); }

  // Leave-page prompt while there are unsaved edits. This listener is registered before
  // Voila's, which would end the kernel even when the consultant then stays on the page.
  window.addEventListener("beforeunload", function (event) {
    event.stopImmediatePropagation();
    if (unsaved()) {
      var sink = document.querySelector(".jdkit-upload-sink textarea");
      if (sink) {  // ask the kernel to keep the draft now, not in a second
        sink.value = JSON.stringify({flush: Date.now()});
        sink.dispatchEvent(new Event("input", {bubbles: true}));
      }
      event.preventDefault(); event.returnValue = ""; return "";
    }
  });
  // The page is gone for good: end its kernel, with the XSRF token the server asks for.
  window.addEventListener("pagehide", function () {
    var c = config();
    if (!c.kernelId) { return; }
    var data = new FormData();
    var m = document.cookie.match(/\b_xsrf=([^;]*)\b/);
    data.append("_xsrf", m ? m[1] : "");
    navigator.sendBeacon((c.baseUrl || "/") + "voila/api/shutdown/" + c.kernelId, data);
  });

  function focusSoon(el, tries) {
    var target = control(el) || el;
    if (target.offsetParent === null && tries > 0) {
      window.setTimeout(function () { focusSoon(el, tries - 1); }, 50);
      return;
    }
    target.focus({preventScroll: true});
    target.scrollIntoView({block: "center"});
  }

  function apply(el, old) {
    if (!el.classList) { return; }
    var i, cls, target;
    for (i = 0; i < el.classList.length; i++) {
      cls = el.classList[i];
      if (cls.indexOf("jdkit-aria=") === 0) {
        target = control(el);
        if (target) { target.setAttribute("aria-label", decodeURIComponent(cls.slice(11))); }
      } else if (cls.indexOf("jdkit-group=") === 0) {
        el.setAttribute("role", "group");
        el.setAttribute("aria-label", decodeURIComponent(cls.slice(12)));
      } else if (cls.indexOf("jdkit-focus-") === 0 && +cls.slice(12) > lastFocus) {
        lastFocus = +cls.slice(12);
        focusSoon(el, 40);
      }
    }
    if (el.classList.contains("jdkit-invalid") || (old && old.indexOf("jdkit-invalid") >= 0)) {
      target = control(el);
      if (target) {
        var invalid = el.classList.contains("jdkit-invalid");
        target.setAttribute("aria-invalid", invalid ? "true" : "false");
      }
    }
    if (el.classList.contains("jdkit-form")) {
      el.setAttribute("role", "form");
      el.setAttribute("aria-label", "Job description form");
      var cells = document.getElementById("rendered_cells");
      if (cells) { cells.setAttribute("role", "main"); }
    }
    if (el.classList.contains("jdkit-status")) { el.setAttribute("role", "status"); }
    if (el.classList.contains("jdkit-question")) { el.setAttribute("aria-live", "assertive"); }
    if (el.classList.contains("jdkit-findings-panel") && el.open !== findingsOpen) {
      el.open = findingsOpen;
    }
    if (el.getAttribute("title") === "null") { el.removeAttribute("title"); }
  }
  function sweep(root) {
    apply(root);
    var found = root.querySelectorAll
      ? root.querySelectorAll("[class*='jdkit-'],[title='null']") : [];
    for (var i = 0; i < found.length; i++) { apply(found[i]); }
  }
  new MutationObserver(function (records) {
    for (var r = 0; r < records.length; r++) {
      var record = records[r];
      if (record.type === "attributes") { apply(record.target, record.oldValue || ""); }
      for (var n = 0; n < record.addedNodes.length; n++) {
        if (record.addedNodes[n].nodeType === 1) { sweep(record.addedNodes[n]); }
      }
    }
  }).observe(document.documentElement, {subtree: true, childList: true, attributes: true,
    attributeFilter: ["class", "title"], attributeOldValue: true});
  document.addEventListener("toggle", function (event) {
    if (event.target.classList && event.target.classList.contains("jdkit-findings-panel")) {
      findingsOpen = event.target.open;
    }
  }, true);

  // Upload: read the file here and send it through a hidden box; a file over the limit is
  // never sent (a large message closes the kernel's connection), and the form says why.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest(".jdkit-upload") : null;
    if (!button) { return; }
    event.stopImmediatePropagation();
    event.preventDefault();
    var input = document.createElement("input");
    input.type = "file";
    input.accept = ".yaml,.yml,.json";
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var sink = document.querySelector(".jdkit-upload-sink textarea");
      if (!file || !sink) { return; }
      function send(data) {
        sink.value = JSON.stringify(data);
        sink.dispatchEvent(new Event("input", {bubbles: true}));
      }
      if (file.size > LIMIT) {
        send({name: file.name, size: file.size, error: "too-big", limit: LIMIT});
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        var text = String(reader.result);
        send({name: file.name, size: file.size, data: text.slice(text.indexOf(",") + 1)});
      };
      reader.readAsDataURL(file);
    });
    input.click();
  }, true);
})();
"""

CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@^5/css"
CDN_LINKS = tuple(
    f'<link rel="stylesheet" href="{CDN}/{name}" type="text/css" />'
    for name in ("all.min.css", "v4-shims.min.css")
)

# Voila's lab template without the CDN style sheets (Voila bundles Font
# Awesome itself), plus the script.
TEMPLATE = """{%- extends 'voila/templates/lab/index.html.j2' -%}
{%- block notebook_css -%}
{{ super() | replace(CDN_0, '') | replace(CDN_1, '') }}
{%- endblock notebook_css -%}
{%- block html_head_js -%}
{{ super() }}
<script>
{% raw %}__SCRIPT__{% endraw %}
</script>
{%- endblock html_head_js -%}
""".replace("CDN_0", json.dumps(CDN_LINKS[0])).replace("CDN_1", json.dumps(CDN_LINKS[1]))


def script(limit: int = UPLOAD_LIMIT) -> str:
    """The page script, with the upload limit in bytes."""
    return SCRIPT.replace("__LIMIT__", str(int(limit)))


def write_template(root: Path, *, limit: int = UPLOAD_LIMIT) -> Path:
    """Write the ``jdkit`` Voila template under ``root`` (a Jupyter data folder); return ``root``.

    Start Voila with ``JUPYTER_PATH=root`` and ``--template=jdkit``.
    """
    folder = root / "voila" / "templates" / "jdkit"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    (folder / "index.html.j2").write_text(
        TEMPLATE.replace("__SCRIPT__", script(limit)), encoding="utf-8"
    )
    return root
