// The names page after a name was mapped: how far the server got resolving again the
// reports that give it (a run apart from the request), asked every two seconds until done.
"use strict";

(() => {
  const node = document.getElementById("mapping-run");
  if (!node || node.dataset.finished) return;
  const { t, number, getJson, strings } = Ceasefire;
  const percent = new Intl.NumberFormat(strings.language || "en", { style: "percent" });

  function said(run) {
    if (run.finished) {
      return run.incidents_changed === null
        ? t("run_done")
        : t("run_changed", { count: number(run.incidents_changed) });
    }
    if (run.failures > 0) return t("run_failing");
    if (run.progress === null) return t("run_finding");
    return t("run_progress", { share: percent.format(run.progress) });
  }

  async function follow() {
    const run = await getJson(`/api/v1/actors/mappings/${node.dataset.mapping}`);
    if (run) node.textContent = said(run);
    if (!run || !run.finished) setTimeout(follow, 2000);
  }

  setTimeout(follow, 2000);
})();
