// Rich-text editing of record bodies (正文, also 政策解读), progressive enhancement (strict CSP: no inline script or
// style). Every <textarea data-editor="rich"> becomes a Squire editor (squire-rte, MIT, served from node_modules as
// /static/vendor/squire.js) with a keyboard-reachable toolbar; the textarea stays in the form, hidden, and receives
// the editor's HTML on every change and on submit. Without JavaScript the bare textarea takes plain text (the
// server makes paragraphs at blank lines).
//
// Whatever enters the editor (the stored body, a paste from Word/WPS, a drop) goes through `cleanFragment`: an
// allow-list mirroring the server's sanitiser (src/publishing/record-html.ts, which runs again on save): styles,
// classes, spans, fonts, comments, Office tags (o:p, w:…) and Word's list bullets are removed; headings,
// paragraphs, lists, tables, links and http(s) images stay.
(() => {
  "use strict";
  const Squire = window.Squire;
  if (typeof Squire !== "function") return;

  /** Allowed tags and, for each, the attributes kept. */
  const ALLOWED = {
    P: [],
    BR: [],
    H2: [],
    H3: [],
    H4: [],
    UL: [],
    OL: ["start"],
    LI: [],
    STRONG: [],
    B: [],
    EM: [],
    I: [],
    U: [],
    SUB: [],
    SUP: [],
    BLOCKQUOTE: [],
    A: ["href", "title"],
    IMG: ["src", "alt", "width", "height"],
    TABLE: [],
    CAPTION: [],
    THEAD: [],
    TBODY: [],
    TFOOT: [],
    TR: [],
    TH: ["colspan", "rowspan", "scope"],
    TD: ["colspan", "rowspan"],
    HR: [],
    DIV: [],
  };
  /** Dropped with their content. */
  const DROP = new Set([
    "SCRIPT",
    "STYLE",
    "XML",
    "TITLE",
    "HEAD",
    "META",
    "LINK",
    "NOSCRIPT",
    "TEMPLATE",
    "IFRAME",
    "OBJECT",
    "EMBED",
    "SVG",
    "MATH",
    "FORM",
    "INPUT",
    "BUTTON",
    "SELECT",
    "TEXTAREA",
  ]);
  const RENAME = { H1: "H2", H5: "H4", H6: "H4" };
  const BLANK = /[\s\u00a0\u3000]/g;

  function safeUrl(tag, value) {
    const v = value.trim();
    if (tag === "IMG") return /^https?:\/\//i.test(v) || (v.startsWith("/") && !v.startsWith("//"));
    return /^(?:https?:|mailto:)/i.test(v) || (v.startsWith("/") && !v.startsWith("//")) || v.startsWith("#");
  }

  function copyClean(from, to) {
    for (const child of Array.from(from.childNodes)) {
      if (child.nodeType === Node.TEXT_NODE) {
        to.appendChild(document.createTextNode(child.data));
        continue;
      }
      if (child.nodeType !== Node.ELEMENT_NODE) continue; // comments, Word's <![if …]> markers
      const name = child.nodeName.toUpperCase();
      if (DROP.has(name)) continue;
      // Word's generated list numbers and bullets (<span style="mso-list:Ignore">1.</span>).
      if (/mso-list:\s*ignore/i.test(child.getAttribute("style") || "")) continue;
      const tag = RENAME[name] || name;
      const keep = ALLOWED[tag];
      if (!keep) {
        copyClean(child, to); // unwrap span, font, o:p, section …
        continue;
      }
      const el = document.createElement(tag);
      for (const attr of keep) {
        const value = child.getAttribute(attr);
        if (value === null) continue;
        if ((attr === "href" || attr === "src") && !safeUrl(tag, value)) continue;
        el.setAttribute(attr, value);
      }
      if (tag === "IMG" && !el.hasAttribute("src")) continue; // a local picture (file:, data:): upload instead
      if (tag === "A" && /^https?:/i.test(el.getAttribute("href") || "")) el.setAttribute("rel", "noopener noreferrer");
      copyClean(child, el);
      // Word's empty paragraphs (<p class=MsoNormal><o:p>&nbsp;</o:p></p>).
      if ((tag === "P" || tag === "DIV") && el.textContent.replace(BLANK, "") === "" && !el.querySelector("img,table,hr"))
        continue;
      to.appendChild(el);
    }
  }

  /**
   * Clean DOM nodes of the editor's document for an HTML string (DOMParser documents run no script, load nothing).
   * Style sheets and style attributes are cut from the string first: the parser would otherwise report each one as
   * refused by the page's CSP (they are never applied either way; the allow-list below is the actual filter).
   */
  function cleanFragment(html) {
    const unstyled = html
      .replace(/<style[\s\S]*?<\/style\s*>/gi, "")
      .replace(/(<[a-z][^>]*?)\sstyle\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi, "$1");
    const parsed = new DOMParser().parseFromString(unstyled, "text/html");
    const fragment = document.createDocumentFragment();
    copyClean(parsed.body, fragment);
    return fragment;
  }

  const BLOCKS = /^(?:P|DIV|H[1-6])$/;

  function setBlockTag(editor, tag) {
    editor.modifyBlocks((fragment) => {
      const out = document.createDocumentFragment();
      for (const node of Array.from(fragment.childNodes)) {
        if (node.nodeType === Node.ELEMENT_NODE && BLOCKS.test(node.nodeName)) {
          const el = document.createElement(tag);
          while (node.firstChild) el.appendChild(node.firstChild);
          out.appendChild(el);
        } else out.appendChild(node);
      }
      return out;
    });
  }

  const TABLE =
    "<table><thead><tr><th>表头</th><th>表头</th></tr></thead><tbody><tr><td>内容</td><td>内容</td></tr></tbody></table>";

  /** label, command, the tag whose presence presses the button. */
  const BUTTONS = [
    ["正文段落", (e) => setBlockTag(e, "P")],
    ["标题", (e) => setBlockTag(e, "H2"), "H2"],
    ["小标题", (e) => setBlockTag(e, "H3"), "H3"],
    ["加粗", (e) => (e.hasFormat("B") || e.hasFormat("STRONG") ? e.removeBold() : e.bold()), "B"],
    ["倾斜", (e) => (e.hasFormat("I") || e.hasFormat("EM") ? e.removeItalic() : e.italic()), "I"],
    ["编号列表", (e) => (e.hasFormat("OL") ? e.removeList() : e.makeOrderedList()), "OL"],
    ["项目列表", (e) => (e.hasFormat("UL") ? e.removeList() : e.makeUnorderedList()), "UL"],
    ["插入表格", (e) => e.insertHTML(TABLE)],
    [
      "链接",
      (e) => {
        if (e.hasFormat("A")) return e.removeLink();
        const url = window.prompt("链接地址（https://… 或本站路径 /…）");
        if (url && safeUrl("A", url)) e.makeLink(url.trim());
      },
      "A",
    ],
    ["撤销", (e) => e.undo()],
    ["重做", (e) => e.redo()],
  ];

  let n = 0;
  for (const textarea of document.querySelectorAll("textarea[data-editor='rich']")) {
    n += 1;
    const label = document.querySelector(`label[for='${textarea.id}']`);
    if (label && !label.id) label.id = `${textarea.id}-label`;
    const wrapper = document.createElement("div");
    wrapper.className = "editor";
    const toolbar = document.createElement("div");
    toolbar.className = "editor-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "正文格式");
    const root = document.createElement("div");
    root.className = "editor-area prose";
    root.id = `editor-${n}`;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    if (label) root.setAttribute("aria-labelledby", label.id);
    const described = textarea.getAttribute("aria-describedby");
    if (described) root.setAttribute("aria-describedby", described);
    if (textarea.getAttribute("aria-invalid")) root.setAttribute("aria-invalid", "true");
    toolbar.setAttribute("aria-controls", root.id);
    wrapper.append(toolbar, root);
    textarea.before(wrapper);
    textarea.hidden = true;

    const editor = new Squire(root, {
      blockTag: "P",
      sanitizeToDOMFragment: (html) => cleanFragment(html),
    });
    const initial = textarea.value;
    // A plain-text value (typed without JavaScript, or by an API client) becomes paragraphs as on the server.
    const startHtml = /<[a-z][\s\S]*>/i.test(initial)
      ? initial
      : initial
          .split(/\r?\n\s*\r?\n/)
          .filter((p) => p.trim() !== "")
          .map((p) => `<p>${p.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c])}</p>`)
          .join("");
    editor.setHTML(startHtml);
    const sync = () => {
      textarea.value = editor.getHTML();
    };
    editor.addEventListener("input", sync);
    textarea.form?.addEventListener("submit", sync);

    const pressed = [];
    for (const [text, run, tag] of BUTTONS) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "editor-button";
      button.textContent = text;
      if (tag) {
        button.setAttribute("aria-pressed", "false");
        pressed.push([button, tag]);
      }
      button.addEventListener("click", () => {
        run(editor);
        editor.focus();
        sync();
      });
      toolbar.appendChild(button);
    }
    // Roving focus inside the toolbar (WAI-ARIA toolbar pattern): Tab enters once, arrows move between buttons.
    const buttons = Array.from(toolbar.querySelectorAll("button"));
    buttons.forEach((b, i) => {
      b.tabIndex = i === 0 ? 0 : -1;
    });
    toolbar.addEventListener("keydown", (event) => {
      const i = buttons.indexOf(document.activeElement);
      if (i < 0) return;
      const next =
        event.key === "ArrowRight"
          ? (i + 1) % buttons.length
          : event.key === "ArrowLeft"
            ? (i - 1 + buttons.length) % buttons.length
            : event.key === "Home"
              ? 0
              : event.key === "End"
                ? buttons.length - 1
                : -1;
      if (next < 0) return;
      event.preventDefault();
      buttons[i].tabIndex = -1;
      buttons[next].tabIndex = 0;
      buttons[next].focus();
    });
    editor.addEventListener("pathChange", () => {
      for (const [button, tag] of pressed) {
        const on = editor.hasFormat(tag) || (tag === "B" && editor.hasFormat("STRONG")) || (tag === "I" && editor.hasFormat("EM"));
        button.setAttribute("aria-pressed", on ? "true" : "false");
      }
    });
  }
})();
