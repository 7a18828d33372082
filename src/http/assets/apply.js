// Application form (依申请公开): while the applicant types the name or 文号 of the information, list published
// records that may already answer it (条例第36条第（一）项). Progressive enhancement: without this script the
// "先查一查" button does the same on the server. No inline script (strict CSP); DOM built with textContent.
(() => {
  "use strict";
  const form = document.querySelector("form.apply-form[data-suggest-url]");
  if (!form) return;
  const url = form.getAttribute("data-suggest-url");
  const title = form.querySelector("#f-infoTitle");
  const doc = form.querySelector("#f-infoDocNumber");
  const box = document.getElementById("possible-answers");
  if (!url || !title || !doc || !box) return;
  let timer = 0;
  let last = "";
  let seq = 0;

  function render(answers) {
    box.hidden = false;
    box.replaceChildren();
    const h = document.createElement("h2");
    h.id = "pa-h";
    h.textContent = "本机关已公开的信息中可能有您需要的内容";
    box.append(h);
    if (!answers.length) {
      const p = document.createElement("p");
      p.textContent = "暂未找到相关的已公开信息，您可以继续填写申请。";
      box.append(p);
      return;
    }
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.textContent = "以下信息已经主动公开，可直接查阅；如仍需申请，请继续填写。";
    const list = document.createElement("ul");
    list.className = "answer-list";
    for (const a of answers) {
      const li = document.createElement("li");
      const link = document.createElement("a");
      link.href = a.url;
      link.textContent = a.title;
      li.append(link);
      for (const extra of [a.docNumber, a.publishedDate]) {
        if (!extra) continue;
        const span = document.createElement("span");
        span.className = "hint";
        span.textContent = ` ${extra}`;
        li.append(span);
      }
      list.append(li);
    }
    box.append(hint, list);
  }

  function run() {
    const q = title.value.trim();
    const d = doc.value.trim();
    const key = `${q}|${d}`;
    if (key === last) return;
    last = key;
    if (q.length < 2 && d.length < 4) return;
    const mine = ++seq;
    fetch(`${url}?q=${encodeURIComponent(q)}&doc=${encodeURIComponent(d)}`, {
      headers: { accept: "application/json" },
      credentials: "same-origin",
    })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (data && mine === seq && Array.isArray(data.answers)) render(data.answers);
      })
      .catch(() => {});
  }

  for (const input of [title, doc]) {
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(run, 500);
    });
  }
})();
