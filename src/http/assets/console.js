// Console forms, progressive enhancement (no inline script: strict CSP). A <select data-depends-on="ID"> whose
// options sit in <optgroup data-key="…"> shows only the group matching the value of the select #ID (e.g. the
// 公开内容（要素） of the chosen 目录事项); with no value chosen, every group stays. Without JavaScript every group is
// listed and the server checks the pair.
(() => {
  "use strict";
  for (const dependent of document.querySelectorAll("select[data-depends-on]")) {
    const master = document.getElementById(dependent.getAttribute("data-depends-on") || "");
    if (!(master instanceof HTMLSelectElement)) continue;
    const groups = Array.from(dependent.querySelectorAll("optgroup[data-key]"));
    const sync = () => {
      const key = master.value;
      for (const g of groups) {
        const show = !key || g.getAttribute("data-key") === key;
        g.hidden = !show;
        g.disabled = !show;
      }
      const chosen = dependent.selectedOptions[0];
      if (chosen?.parentElement instanceof HTMLOptGroupElement && chosen.parentElement.disabled) dependent.value = "";
    };
    master.addEventListener("change", sync);
    sync();
  }
})();
