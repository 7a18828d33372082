// The record form's 政策解读 picker, progressive enhancement (no inline script: strict CSP). Without JavaScript the
// 查找 button submits the form, which comes back with the matches (src/publishing/interpretation-picker.views.ts).
// Here the search runs as the user types (GET <data-interp-picker>?q=…&exclude=…, JSON, at most 20 documents) and
// each match has an 添加 button that moves it, ticked, to 已选择的政策文件. The search field loses its name, so the
// form never searches by POST; Enter in it searches instead of submitting.
(() => {
  "use strict";
  for (const picker of document.querySelectorAll("fieldset[data-interp-picker]")) {
    const url = picker.getAttribute("data-interp-picker");
    const recordId = picker.getAttribute("data-record-id");
    const input = picker.querySelector("#interp-q");
    const button = picker.querySelector("button[name='interpSearch']");
    const chosen = picker.querySelector("#interp-chosen");
    const results = picker.querySelector("#interp-results");
    if (!url || !input || !button || !chosen || !results) continue;
    input.removeAttribute("name");
    picker.querySelector("input[name='interpShown']")?.remove();
    button.type = "button";
    button.removeAttribute("name");
    const hint = picker.querySelector("#interp-q-hint");
    if (hint) hint.textContent = "输入标题、文号或索引号中的文字，结果随输入列出；按“添加”选入，保存后生效。";

    // Results already on the page (a 查找 without script before) stay as they are; new searches replace them.
    let timer = 0;
    let seq = 0;
    const chosenIds = () =>
      Array.from(chosen.querySelectorAll("input[name='interpretsRecordIds']"))
        .filter((box) => box.checked)
        .map((box) => box.value);

    function meta(d) {
      const parts = [];
      if (d.docNumber) parts.push(d.docNumber);
      if (d.indexNo) parts.push(`索引号 ${d.indexNo}`);
      if (d.publishedDate) {
        const [y, m, day] = d.publishedDate.split("-");
        parts.push(`${y}年${Number(m)}月${Number(day)}日发布`);
      }
      const span = document.createElement("span");
      span.className = "picker-meta";
      span.textContent = parts.join("　");
      return span;
    }

    function add(d) {
      if (chosen.querySelector(`input[value='${d.id}']`)) return;
      const li = document.createElement("li");
      li.className = "check";
      const box = document.createElement("input");
      box.type = "checkbox";
      box.id = `interp-${d.id}`;
      box.name = "interpretsRecordIds";
      box.value = d.id;
      box.checked = true;
      const label = document.createElement("label");
      label.htmlFor = box.id;
      label.append(document.createTextNode(d.title), meta(d));
      li.append(box, label);
      chosen.appendChild(li);
      picker.querySelector("#interp-none")?.remove();
    }

    function show(data, query) {
      results.textContent = "";
      const status = document.createElement("p");
      status.id = "interp-status";
      status.setAttribute("role", "status");
      const n = data.documents.length;
      status.textContent =
        n === 0
          ? `未找到含“${query}”的已发布文件。`
          : `找到${data.more ? "超过" : ""}${n}个文件${data.more ? "，只列出最新的，请输入更多文字缩小范围" : ""}：`;
      results.appendChild(status);
      if (n === 0) return;
      const list = document.createElement("ul");
      list.className = "picker-list picker-found";
      list.setAttribute("aria-labelledby", "interp-status");
      for (const d of data.documents) {
        const li = document.createElement("li");
        const title = document.createElement("span");
        title.className = "picker-title";
        title.append(document.createTextNode(d.title), meta(d));
        const addButton = document.createElement("button");
        addButton.type = "button";
        addButton.className = "secondary";
        addButton.textContent = "添加";
        addButton.setAttribute("aria-label", `添加：${d.title}`);
        addButton.addEventListener("click", () => {
          add(d);
          const next = li.nextElementSibling || li.previousElementSibling;
          li.remove();
          const focusTo = next?.querySelector("button") || input;
          focusTo.focus();
        });
        li.append(title, addButton);
        list.appendChild(li);
      }
      results.appendChild(list);
    }

    async function search() {
      const query = input.value.trim();
      const mine = ++seq;
      const params = new URLSearchParams({ q: query });
      for (const id of chosenIds()) params.append("exclude", id);
      if (recordId) params.append("exclude", recordId);
      try {
        const res = await fetch(`${url}?${params}`, {
          headers: { accept: "application/json" },
          credentials: "same-origin",
        });
        if (!res.ok) throw new Error(String(res.status));
        const data = await res.json();
        if (mine === seq) show(data, query);
      } catch {
        if (mine !== seq) return;
        results.textContent = "";
        const p = document.createElement("p");
        p.setAttribute("role", "status");
        p.textContent = "查找失败，请稍后重试。";
        results.appendChild(p);
      }
    }

    input.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();
      window.clearTimeout(timer);
      search();
    });
    button.addEventListener("click", () => {
      window.clearTimeout(timer);
      search();
    });
  }
})();
