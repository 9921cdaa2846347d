// jili — the plan editor's lint as you type. The page works without this file: the 检查
// button renders the same findings on the server. This script posts the form (debounced
// 400 ms) to POST /api/plans/{measure}/lint and shows the findings in #lint-results.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const form = document.getElementById("plan-form");
  const out = document.getElementById("lint-results");
  if (!form || !out) return;
  const measure = form.getAttribute("data-measure");
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrfField = form.querySelector('input[name="csrf"]');
  const csrf = (meta && meta.getAttribute("content")) || (csrfField && csrfField.value) || "";
  let timer = null;
  let sent = 0;

  function cell(tag, text, cls) {
    const el = document.createElement(tag);
    el.textContent = text;
    if (cls) el.className = cls;
    return el;
  }

  function show(data) {
    out.replaceChildren();
    const findings = data.findings || [];
    if (findings.length === 0) {
      out.appendChild(cell("p", "检查通过：没有发现问题", "ok"));
      return;
    }
    const errors = findings.filter((f) => f.level === "error").length;
    const table = document.createElement("table");
    table.className = "findings";
    let caption = "检查结果：" + errors + " 个错误，" + (findings.length - errors) + " 个警告";
    if (errors > 0) caption += "（可以保存草稿，改正错误后才能提交审核）";
    table.appendChild(cell("caption", caption));
    const head = document.createElement("thead");
    const hr = document.createElement("tr");
    for (const h of ["级别", "位置", "说明"]) {
      const th = cell("th", h);
      th.setAttribute("scope", "col");
      hr.appendChild(th);
    }
    head.appendChild(hr);
    table.appendChild(head);
    const body = document.createElement("tbody");
    for (const f of findings) {
      const tr = document.createElement("tr");
      tr.className = "finding-" + f.level;
      tr.appendChild(cell("td", f.label, f.level === "error" ? "error" : "warn"));
      tr.appendChild(cell("td", f.at));
      tr.appendChild(cell("td", f.message));
      body.appendChild(tr);
    }
    table.appendChild(body);
    out.appendChild(table);
  }

  async function lint() {
    const n = ++sent;
    const data = {};
    for (const [k, v] of new FormData(form).entries()) {
      if (typeof v === "string" && k !== "csrf" && k !== "action") data[k] = v;
    }
    try {
      const r = await fetch("/api/plans/" + encodeURIComponent(measure) + "/lint", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
        body: JSON.stringify(data),
      });
      const json = await r.json();
      if (n !== sent) return; // a newer check is on its way
      if (!r.ok) {
        out.replaceChildren(cell("p", json.message || "检查失败", "error"));
        return;
      }
      show(json);
    } catch (e) {
      if (n === sent) out.replaceChildren(cell("p", "无法连接服务器，检查未完成：可按“检查”按钮重试", "error"));
    }
  }

  function later() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(lint, 400);
  }
  form.addEventListener("input", later);
  form.addEventListener("change", later);
});
