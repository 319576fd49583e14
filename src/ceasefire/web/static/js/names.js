// The names page after a name was mapped: how far the server got resolving again the
// reports that give it (a run apart from the request), asked every two seconds until done.
"use strict";

(() => {
  const node = document.getElementById("mapping-run");
  if (!node || node.dataset.finished) return;
  const { t, number, getJson } = Ceasefire;

  async function follow() {
    const run = await getJson(`/api/v1/actors/mappings/${node.dataset.mapping}`);
    if (run && run.finished) {
      node.textContent = run.incidents_changed === null
        ? t("run_done")
        : t("run_changed", { count: number(run.incidents_changed) });
      return;
    }
    if (run && run.reports_total !== null) {
      node.textContent = t("run_progress", {
        done: number(run.reports_done), total: number(run.reports_total),
      });
    }
    setTimeout(follow, 2000);
  }

  setTimeout(follow, 2000);
})();
