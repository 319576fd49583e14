// An open incident file follows the live feed: when the incident changes (another
// co-chair assesses it, a measure moves), its findings, measures and badges are fetched
// again and swapped in, without a reload (and without touching a form being filled in).
"use strict";

(() => {
  const root = document.getElementById("incident");
  if (!root) return;
  const id = Number(root.dataset.incident);
  const parts = ["classification", "joint", "findings", "measures"];

  async function refresh() {
    const response = await fetch(location.pathname, { credentials: "same-origin" });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const part of parts) {
      const now = document.getElementById(part);
      const next = fresh.getElementById(part);
      if (!now || !next) continue;
      const editing = now.contains(document.activeElement) && document.activeElement.form;
      if (editing && document.activeElement.value) continue;  // keep what is being typed
      now.replaceWith(document.importNode(next, true));
    }
    root.dataset.updated = String(Date.now());
  }

  document.addEventListener("ceasefire:incident", (event) => {
    if (event.detail && event.detail.id === id) refresh();
  });
})();
