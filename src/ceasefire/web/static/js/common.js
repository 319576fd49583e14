// What every page shares: its translated sentences, small DOM helpers that only ever set
// text (never HTML: whatever a report says is shown as text), and the live feed, shown as a
// ticker and announced to the page as "ceasefire:incident" events.
"use strict";

const Ceasefire = (() => {
  const stringsNode = document.getElementById("strings");
  const strings = stringsNode ? JSON.parse(stringsNode.textContent) : { labels: {} };

  // A translated sentence with %(name)s placeholders filled in (as text).
  function t(key, values) {
    let text = strings[key] || key;
    for (const [name, value] of Object.entries(values || {})) {
      text = text.split(`%(${name})s`).join(String(value));
    }
    return text;
  }

  function label(group, code) {
    const found = (strings.labels[group] || {})[code];
    return found === undefined ? (code || "") : found;
  }

  // An element with attributes and children; strings become text nodes.
  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const dateFormat = new Intl.DateTimeFormat(strings.language || "en", {
    year: "numeric", month: "short", day: "numeric", timeZone: "UTC",
  });
  const numberFormat = new Intl.NumberFormat(strings.language || "en");

  function date(value) {
    return value ? dateFormat.format(new Date(value)) : "";
  }

  function number(value) {
    return numberFormat.format(value);
  }

  // JSON from the API with the session's cookie; a lapsed session goes back to sign-in.
  async function getJson(url, signal) {
    const response = await fetch(url, { signal, credentials: "same-origin" });
    if (response.status === 401) {
      location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
      return null;
    }
    return response.ok ? response.json() : null;
  }

  // The scenarios' admin areas, drawn as the basemap (a Leaflet GeoJSON layer to fill).
  function baseLayer() {
    return L.geoJSON(null, {
      style: (f) => ({
        color: "#8a8f98", weight: f.properties.level === "adm1" ? 1.2 : 0.6,
        fillColor: "#eef0f2", fillOpacity: 1, interactive: false,
      }),
    });
  }

  // Leaflet's zoom buttons, with their titles in the reader's language.
  function zoomButtons(map) {
    L.control.zoom({ zoomInTitle: t("zoom_in"), zoomOutTitle: t("zoom_out") }).addTo(map);
  }

  // Submit a form as soon as its select changes (the language switcher).
  // The page comes back as it is now (the map keeps its view in the URL as it moves).
  for (const select of document.querySelectorAll("select.autosubmit")) {
    select.addEventListener("change", () => {
      if (select.form.elements.next) select.form.elements.next.value = location.pathname + location.search;
      select.form.submit();
    });
  }

  // The live feed: incidents as they change, for everything the reader's party may read.
  function listen() {
    const list = document.getElementById("ticker-items");
    if (!list || !window.EventSource) return;
    const source = new EventSource("/api/v1/stream");
    const state = document.querySelector("#ticker .ticker-label");
    source.addEventListener("open", () => { if (state) state.textContent = t("connected"); });
    source.addEventListener("error", () => { if (state) state.textContent = t("disconnected"); });
    source.addEventListener("incident", (event) => {
      const incident = JSON.parse(event.data);
      const what = [label("classification", incident.classification)];
      if (incident.joint) what.push(label("joint", incident.joint));
      const item = el("li", { "data-incident": incident.id },
        el("a", { href: `/incidents/${incident.id}` },
          t("new_incident", { id: incident.id, what: what.join(" · ") })),
        incident.summary ? el("span", { class: "summary data" }, " — ", incident.summary) : null);
      list.prepend(item);
      while (list.children.length > 5) list.lastElementChild.remove();
      document.dispatchEvent(new CustomEvent("ceasefire:incident", { detail: incident }));
    });
  }
  listen();

  return { t, label, el, date, number, strings, getJson, baseLayer, zoomButtons };
})();
