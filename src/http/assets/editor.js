// Rich-text editing of record bodies (正文, also 政策解读), progressive enhancement (strict CSP: no inline script or
// style). Every <textarea data-editor="rich"> becomes a Squire editor (squire-rte, MIT, served from node_modules as
// /static/vendor/squire.js) with a keyboard-reachable toolbar; the textarea stays in the form, hidden, and receives
// the editor's HTML on every change and on submit. Without JavaScript the bare textarea takes plain text (the
// server makes paragraphs at blank lines).
//
// Whatever enters the editor (the stored body, a paste from Word/WPS, a drop) goes through `cleanFragment`: an
// allow-list mirroring the server's sanitiser (src/publishing/record-html.ts, which runs again on save): styles,
// classes, spans, fonts, comments, Office tags (o:p, w:…) and Word's list bullets are removed; headings,
// paragraphs, lists, tables and links stay. Images: only attachments of a record on this platform are kept (as on
// the server). A picture pasted as data (data:image/…, a screenshot, WPS) or chosen with 插入图片 is uploaded as
// an attachment of the record (POST <form data-image-upload>, the attachment checks) and shown by its platform URL;
// Word's file:///…/msohtmlclip images cannot be read by a page and are reported. A new record (not yet saved) has
// no upload URL: pictures are reported and dropped. Table buttons add and remove rows and columns at the caret.
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

  /** An attachment of a record on this platform (PLATFORM_IMAGE_SRC in src/publishing/record.paths.ts). */
  const PLATFORM_IMAGE = /^\/agencies\/[A-Za-z0-9_-]{1,100}\/records\/[0-9a-f-]{36}\/files\/[0-9a-f-]{36}$/;
  /** A pasted picture the editor can upload (kept in the editor until uploaded, never saved as such). */
  const DATA_IMAGE = /^data:image\/(png|jpeg|gif);base64,[A-Za-z0-9+/=\s]+$/;
  /** What the last cleaning dropped (reported under the editor). */
  const dropped = { local: 0, other: 0 };

  function safeUrl(tag, value) {
    const v = value.trim();
    if (tag === "IMG") return PLATFORM_IMAGE.test(v) || DATA_IMAGE.test(v);
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
      if (tag === "IMG" && !el.hasAttribute("src")) {
        // Word's pictures are local files (file:///…/msohtmlclip1/…) a page cannot read; other hosts are refused.
        if (/^file:/i.test(child.getAttribute("src") || "")) dropped.local += 1;
        else dropped.other += 1;
        continue;
      }
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
    dropped.local = 0;
    dropped.other = 0;
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

  /** The table cell at the caret, or null. */
  function currentCell(editor) {
    // The document's selection stays in the editor while a toolbar button has focus; Squire's saved one otherwise.
    const root = editor.getRoot();
    const live = window.getSelection();
    const inRoot = live && live.rangeCount && root.contains(live.anchorNode);
    const range = inRoot ? null : editor.getSelection();
    let node = inRoot ? live.anchorNode : range ? range.startContainer : null;
    const offset = inRoot ? live.anchorOffset : range ? range.startOffset : 0;
    // A click in an empty cell may leave the caret between the cells (in the row).
    if (node && node.nodeName === "TR" && node.children.length)
      node = node.children[Math.min(offset, node.children.length - 1)];
    while (node && node !== editor.getRoot()) {
      if (node.nodeName === "TD" || node.nodeName === "TH") return node;
      node = node.parentNode;
    }
    return null;
  }

  function emptyCell(tag) {
    const cell = document.createElement(tag);
    cell.appendChild(document.createElement("br"));
    return cell;
  }

  /** Runs `change(cell, row, table)` on the caret's cell; says so when the caret is not in a table. */
  function tableCommand(change) {
    return (editor, say) => {
      const cell = currentCell(editor);
      if (!cell) {
        say("请先把光标放在表格的单元格中。");
        return;
      }
      const row = cell.parentNode;
      const table = row.closest("table");
      editor.saveUndoState(editor.getSelection());
      editor.modifyDocument(() => change(cell, row, table, say));
    };
  }

  const addRow = tableCommand((cell, row) => {
    const copy = document.createElement("tr");
    for (const c of Array.from(row.children)) copy.appendChild(emptyCell(c.nodeName === "TH" && row.closest("thead") ? "TD" : c.nodeName));
    // A header row gets its new row at the top of the body.
    const body = row.closest("thead") ? row.closest("table").querySelector("tbody") : null;
    if (body) body.insertBefore(copy, body.firstChild);
    else row.after(copy);
  });
  const removeRow = tableCommand((cell, row, table, say) => {
    if (table.querySelectorAll("tr").length <= 1) {
      say("表格只剩一行，不能再删除；如需删除整个表格，请选中后删除。");
      return;
    }
    const section = row.parentNode;
    row.remove();
    if (section !== table && section.children.length === 0) section.remove();
  });
  const columnIndex = (cell) => Array.from(cell.parentNode.children).indexOf(cell);
  const addColumn = tableCommand((cell, row, table) => {
    const i = columnIndex(cell);
    for (const r of table.querySelectorAll("tr")) {
      const at = r.children[i];
      const fresh = emptyCell(at ? at.nodeName : r.closest("thead") ? "TH" : "TD");
      if (at) at.after(fresh);
      else r.appendChild(fresh);
    }
  });
  const removeColumn = tableCommand((cell, row, table, say) => {
    if (row.children.length <= 1) {
      say("表格只剩一列，不能再删除；如需删除整个表格，请选中后删除。");
      return;
    }
    const i = columnIndex(cell);
    for (const r of table.querySelectorAll("tr")) r.children[i]?.remove();
  });

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
    ["插入行", addRow],
    ["删除行", removeRow],
    ["插入列", addColumn],
    ["删除列", removeColumn],
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
    const status = document.createElement("p");
    status.className = "editor-status";
    status.setAttribute("role", "status");
    wrapper.append(toolbar, root, status);
    textarea.before(wrapper);
    const say = (text) => {
      status.textContent = text;
    };
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
        run(editor, say);
        editor.focus();
        sync();
      });
      toolbar.appendChild(button);
    }

    // ----- images: upload pasted pictures and chosen files as attachments of the record -----
    const form = textarea.form;
    const uploadUrl = form?.getAttribute("data-image-upload") || "";
    const csrf = form?.querySelector("input[name='_csrf']")?.value || "";
    let pending = 0;
    const uploading = new WeakSet();

    async function upload(blob, name) {
      const data = new FormData();
      data.append("file", blob, name);
      const res = await fetch(uploadUrl, {
        method: "POST",
        body: data,
        headers: { "x-csrf-token": csrf, accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await res.json().catch(() => null);
      if (!res.ok || !answer?.url) throw new Error(answer?.error?.message || "图片上传失败，请稍后重试。");
      return answer.url;
    }

    function dataToBlob(src) {
      const [head, base64] = src.split(",", 2);
      const type = /^data:(image\/[a-z]+)/.exec(head)[1];
      const bytes = atob(base64.replace(/\s/g, ""));
      const buf = new Uint8Array(bytes.length);
      for (let i = 0; i < bytes.length; i++) buf[i] = bytes.charCodeAt(i);
      return new Blob([buf], { type });
    }

    const EXT = { "image/png": "png", "image/jpeg": "jpg", "image/gif": "gif" };
    let imageNo = 0;
    const nextName = (type) => `正文图片-${Date.now().toString(36)}-${++imageNo}.${EXT[type]}`;

    /** Uploads every data: picture in the editor and points it at its platform URL (or removes it). */
    async function uploadPastedImages() {
      const images = Array.from(root.querySelectorAll("img")).filter(
        (img) => /^data:/i.test(img.getAttribute("src") || "") && !uploading.has(img),
      );
      if (images.length === 0) return;
      for (const img of images) uploading.add(img);
      if (!uploadUrl) {
        editor.modifyDocument(() => {
          for (const img of images) img.remove();
        });
        sync();
        say(`粘贴内容中的${images.length}张图片未插入：请先保存草稿，再在“修改”中粘贴图片或用“插入图片”上传。`);
        return;
      }
      pending += images.length;
      say(`正在上传${images.length}张图片……`);
      let failed = "";
      for (const img of images) {
        try {
          const blob = dataToBlob(img.getAttribute("src"));
          const url = await upload(blob, nextName(blob.type));
          editor.modifyDocument(() => img.setAttribute("src", url));
        } catch (e) {
          failed = e.message;
          editor.modifyDocument(() => img.remove());
        }
        pending -= 1;
      }
      sync();
      say(failed ? `有图片未能上传：${failed}` : `已上传${images.length}张图片，作为本信息的附件保存。`);
    }

    async function insertFiles(files) {
      const images = Array.from(files).filter((f) => EXT[f.type]);
      if (images.length < files.length) say("只能插入 PNG、JPG 或 GIF 图片。");
      if (images.length === 0) return;
      if (!uploadUrl) {
        say("请先保存草稿，再插入图片。");
        return;
      }
      pending += images.length;
      say(`正在上传${images.length}张图片……`);
      try {
        for (const file of images) {
          const url = await upload(file, file.name && /\.(png|jpe?g|gif)$/i.test(file.name) ? file.name : nextName(file.type));
          editor.insertImage(url, { alt: "" });
          pending -= 1;
        }
        say(`已上传${images.length}张图片，作为本信息的附件保存。`);
      } catch (e) {
        pending = 0;
        say(`图片未能上传：${e.message}`);
      }
      sync();
    }

    editor.addEventListener("input", () => {
      if (dropped.local || dropped.other) {
        const parts = [];
        if (dropped.local) parts.push(`${dropped.local}张来自 Word 的图片无法直接读取，请在 Word 中右键图片“另存为图片”后用“插入图片”上传`);
        if (dropped.other) parts.push(`${dropped.other}张外部网站的图片未保留`);
        say(`${parts.join("；")}。`);
        dropped.local = 0;
        dropped.other = 0;
      }
      uploadPastedImages();
    });
    // A picture alone on the clipboard (a screenshot, an image copied from WPS).
    editor.addEventListener("pasteImage", (event) => {
      const files = Array.from(event.detail.clipboardData.items || [])
        .filter((item) => item.kind === "file" && item.type.startsWith("image/"))
        .map((item) => item.getAsFile())
        .filter(Boolean);
      insertFiles(files);
    });
    if (uploadUrl) {
      const chooser = document.createElement("input");
      chooser.type = "file";
      chooser.accept = "image/png,image/jpeg,image/gif";
      chooser.hidden = true;
      chooser.addEventListener("change", () => {
        insertFiles(chooser.files || []);
        chooser.value = "";
      });
      const pick = document.createElement("button");
      pick.type = "button";
      pick.className = "editor-button";
      pick.textContent = "插入图片";
      pick.addEventListener("click", () => chooser.click());
      toolbar.append(pick, chooser);
    }
    // Leaving while pictures upload would save a body without them.
    form?.addEventListener("submit", (event) => {
      if (pending > 0) {
        event.preventDefault();
        say("图片仍在上传，请稍候再保存。");
      }
    });
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
