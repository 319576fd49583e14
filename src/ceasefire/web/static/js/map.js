// The shared map: the scenarios' admin areas as a basemap (no tile server needed), the
// regimes in their state at the selected time, incidents in view coloured by
// classification or joint finding (counted per cell by the server when there are many),
// monitors' access restrictions, humanitarian access, a time bar with play, filters, and the list of the
// incidents in view. The view lives in the URL, so it can be shared.
"use strict";

(() => {
  const { t, label, el, date, number, getJson, baseLayer, zoomButtons } = Ceasefire;
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const DAY = 86400000;

  // --- the view, from and into the URL ------------------------------------------------
  const params = new URLSearchParams(location.search);
  const first = data.first ? Date.parse(data.first) : Date.now() - 365 * DAY;
  const last = data.last ? Date.parse(data.last) : Date.now();
  // a time from the URL, if it is one (a shared link may have been cut or edited)
  const timeParam = (name, fallback) => {
    const value = Date.parse(params.get(name) || "");
    return Number.isFinite(value) ? value : fallback;
  };
  const state = {
    from: timeParam("from", first),
    to: timeParam("to", last),
    colour: params.get("colour") === "joint" ? "joint" : "classification",
    filters: {},
  };
  const FILTERS = ["agreement", "regime", "event_type", "classification", "joint", "source"];
  // an incident to show (the incident file's "Show on the map"): ringed, its popup opened
  const focus = Number(params.get("incident")) || null;
  let focusShown = false;
  // an area of control to show (the areas register's "On the map"): the map opens fitted
  // to its bounds, and its outline is drawn above the incidents' markers and counts
  const focusArea = Number(params.get("area")) || null;
  const fitTo = (params.get("bounds") || "").split(",").map(Number);
  const form = document.getElementById("filters");
  for (const name of FILTERS) {
    const value = params.get(name) || "";
    state.filters[name] = value;
    if (form.elements[name]) form.elements[name].value = value;
  }
  for (const radio of form.querySelectorAll("input[name=colour]")) {
    radio.checked = radio.value === state.colour;
  }

  // no attribution box unless a tile server is drawn (the boundaries are the scenarios')
  const map = L.map("map", { preferCanvas: true, worldCopyJump: false, zoomControl: false, attributionControl: !!data.tiles });
  zoomButtons(map);
  const canvas = L.canvas({ padding: 0.3 });
  const center = (params.get("ll") || "").split(",").map(Number);
  if (center.length === 2 && center.every(Number.isFinite)) {
    map.setView(center, Number(params.get("z")) || 6);
  } else if (fitTo.length === 4 && fitTo.every(Number.isFinite)) {  // west, south, east, north
    map.fitBounds([[fitTo[1], fitTo[0]], [fitTo[3], fitTo[2]]], { padding: [24, 24], maxZoom: 14 });
  } else {
    map.fitBounds(data.bounds || [[29, 22], [53, 45]]);
  }
  // a pane above the markers' (600) and below the popups' (700), that no click stops in
  const focusPane = map.createPane("focus");
  focusPane.style.zIndex = "650";
  focusPane.style.pointerEvents = "none";
  if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 18 }).addTo(map);

  // The legend stands over the map's corner: open at first only where the map has room
  // for it beside the incidents (a laptop's map lost western Syria under it), then as the
  // reader last left it.
  const legendBox = document.querySelector(".legend-box");
  if (legendBox) {
    const kept = localStorage.getItem("ceasefire.legend");
    const box = document.getElementById("map").getBoundingClientRect();
    legendBox.open = kept ? kept === "open" : box.width >= 1000 && box.height >= 850;
    legendBox.addEventListener("toggle", () => {
      localStorage.setItem("ceasefire.legend", legendBox.open ? "open" : "closed");
    });
  }

  function writeUrl() {
    const c = map.getCenter();
    const query = new URLSearchParams();
    query.set("ll", `${c.lat.toFixed(4)},${c.lng.toFixed(4)}`);
    query.set("z", String(map.getZoom()));
    query.set("from", new Date(state.from).toISOString().slice(0, 10));
    query.set("to", new Date(state.to).toISOString().slice(0, 10));
    if (state.colour !== "classification") query.set("colour", state.colour);
    if (focus) query.set("incident", String(focus));
    if (focusArea) query.set("area", String(focusArea));
    for (const name of FILTERS) if (state.filters[name]) query.set(name, state.filters[name]);
    history.replaceState(null, "", `${location.pathname}?${query}`);
  }

  // --- layers -------------------------------------------------------------------------
  // The layer registry: each overlay is registered once, with the name the reader sees,
  // and can be shown or hidden from the layers control (a layer added later registers
  // here the same way).
  const overlays = L.control.layers(null, null, { collapsed: true, position: "topright" }).addTo(map);
  const toggle = overlays.getContainer().querySelector(".leaflet-control-layers-toggle");
  if (toggle) { toggle.title = t("layers"); toggle.setAttribute("aria-label", t("layers")); }
  function register(key, layer) {
    layer.addTo(map);
    overlays.addOverlay(layer, label("layer", key));
    return layer;
  }
  const basemap = baseLayer().addTo(map);
  const regimes = register("regimes", L.geoJSON(null, { style: regimeStyle, onEachFeature: regimePopup }));
  const restrictions = register("restrictions", L.layerGroup());
  const accessions = register("accessions", L.layerGroup());
  const control = register("control", L.geoJSON(null, { style: controlStyle, onEachFeature: controlPopup }));
  // One canvas draws the overlays in the order they came: areas of control over the regimes,
  // the settlements that joined over both (so each is the one a click finds).
  function layerOrder() {
    control.bringToFront();
    accessions.eachLayer((marker) => marker.bringToFront());
  }
  const humanitarian = register("humanitarian", L.layerGroup());
  const incidents = register("incidents", L.layerGroup());

  function endAt(regime, when) {
    let end = regime.end ? Date.parse(regime.end) : null;
    let extended = 0;
    let ended = false; // the change in force brought the end forward
    for (const change of regime.extensions || []) {
      if (change.decided && Date.parse(change.decided) > when) continue;
      end = change.new_end ? Date.parse(change.new_end) : null;
      ended = change.kind === "ending";
      if (!ended) extended += 1;
    }
    return { end, extended, ended };
  }

  function regimeState(regime, when) {
    if (when < Date.parse(regime.start)) return "not_started";
    const { end, extended, ended } = endAt(regime, when);
    if (end !== null && when >= end) return ended ? "ended" : "expired";
    return extended ? "extended" : "in_force";
  }

  const REGIME_STYLE = {
    not_started: { color: "#5c6bc0", dashArray: "6 6", fillOpacity: 0.03, weight: 1.5 },
    in_force: { color: "#1e88e5", dashArray: null, fillOpacity: 0.12, weight: 2 },
    extended: { color: "#00897b", dashArray: null, fillOpacity: 0.16, weight: 3 },
    expired: { color: "#9e9e9e", dashArray: "2 5", fillOpacity: 0.02, weight: 1.5 },
    ended: { color: "#c62828", dashArray: "2 5", fillOpacity: 0.02, weight: 1.5 },
  };

  function regimeStyle(feature) {
    const style = REGIME_STYLE[regimeState(feature.properties, state.to)];
    return { ...style, fillColor: style.color };
  }

  // Areas of control: one colour per holder, drawn under the incidents, dashed outline.
  function controlColour(actorId) {
    let hash = 0;
    for (const c of actorId) hash = (hash * 31 + c.charCodeAt(0)) >>> 0;
    // warm and purple hues: the regimes are blue, the settlements that joined green
    const palette = ["#8c46a0", "#c0392b", "#b8690b", "#6d4c41", "#ad1457", "#5d4037", "#7b1fa2"];
    return palette[hash % palette.length];
  }
  function controlStyle(feature) {
    const colour = controlColour(feature.properties.actor_id);
    return { color: colour, weight: 1.5, dashArray: "2 4", fillColor: colour, fillOpacity: 0.12 };
  }
  function controlPopup(feature, layer) {
    const p = feature.properties;
    layer.bindPopup(() => el("div", { class: "popup" },
      el("strong", {}, t("held_by", { who: p.actor })),
      el("p", {}, p.valid_to ? t("held_from", { start: p.valid_from, end: p.valid_to })
        : t("held_since", { start: p.valid_from })),
      p.source ? el("p", {}, t("source", { source: p.source })) : null,
      p.note ? el("p", {}, p.note) : null));
  }

  // The area asked for (``area``), outlined in the pane above the incidents while it is
  // held on the time bar's last day; part of the areas' layer, shown and hidden with it.
  function outlineFocusArea(found) {
    const box = document.getElementById("map");
    const feature = focusArea && found.features.find((f) => f.id === focusArea);
    if (!feature) { delete box.dataset.area; return; }
    const outline = L.geoJSON(feature, {
      pane: "focus", interactive: false,
      style: { color: "#111", weight: 3, opacity: 0.9, fill: false, dashArray: null },
    });
    control.addLayer(outline);
    box.dataset.area = String(focusArea);  // outlined (for a test to wait on)
  }

  function regimePopup(feature, layer) {
    layer.bindPopup(() => {
      const r = feature.properties;
      const { end, extended } = endAt(r, state.to);
      const window = end === null
        ? t("open_ended", { start: date(r.start) })
        : t("window", { start: date(r.start), end: date(end) });
      return el("div", { class: "popup" },
        el("strong", {}, r.name),
        el("p", {}, t("state"), ": ", label("regime_state", regimeState(r, state.to))),
        el("p", {}, window),
        extended ? el("p", {}, t("extended", { count: extended })) : null,
        el("ol", { class: "extensions" }, (r.extensions || []).map((x) =>
          el("li", {}, x.kind === "ending" ? `${t("ended_at")} ` : "",
            x.new_end ? date(x.new_end) : "∞", x.note ? ` — ${x.note}` : ""))));
    });
  }

  // --- data ---------------------------------------------------------------------------
  getJson("/api/v1/places").then((found) => found && basemap.addData(found));
  getJson("/api/v1/regimes?f=geojson").then((found) => {
    if (found) { regimes.addData(found); layerOrder(); }
  });
  getJson("/api/v1/restrictions?f=geojson").then((found) => {
    if (!found) return;
    for (const feature of found.features) {
      const [lon, lat] = feature.geometry.coordinates;
      const marker = L.marker([lat, lon], {
        icon: L.divIcon({ className: "restriction-icon", iconSize: [16, 16] }),
        keyboard: true, title: t("restriction"),
      });
      marker.bindPopup(() => el("div", { class: "popup" },
        el("strong", {}, t("restriction")),
        el("p", {}, date(feature.properties.time)),
        el("p", {}, t("denied_by", { who: feature.properties.denied_by }))));
      restrictions.addLayer(marker);
    }
  });

  // Settlements that joined a regime, as of the time bar's last day: a filled dot while in,
  // a hollow one after leaving. Fetched again only when that day changes.
  let accessionDay = null;
  function refreshAccessions() {
    const day = new Date(state.to).toISOString().slice(0, 10);
    if (day === accessionDay) return;
    accessionDay = day;
    getJson(`/api/v1/control-areas?at=${day}`).then((found) => {
      if (!found || day !== accessionDay) return;
      control.clearLayers();
      control.addData(found);
      outlineFocusArea(found);
      layerOrder();
    });
    getJson(`/api/v1/accessions/map?at=${day}`).then((found) => {
      if (!found || day !== accessionDay) return;
      accessions.clearLayers();
      for (const feature of found.features) {
        const [lon, lat] = feature.geometry.coordinates;
        const p = feature.properties;
        const marker = L.circleMarker([lat, lon], {
          radius: 5, weight: 2, color: "#1b6e3a", fillColor: "#1b6e3a", fillOpacity: p.in ? 0.85 : 0,
        });
        marker.bindPopup(() => el("div", { class: "popup" },
          el("strong", { class: "data" }, p.name),
          el("p", {}, t("joined_on", { regime: p.regime_id, date: p.joined })),
          p.in ? null : el("p", {}, t("left_on", { date: p.last_change_on })),
          el("p", {}, t("through", { channel: p.channel }))));
        accessions.addLayer(marker);
      }
      layerOrder();
    });
  }
  // humanitarian access: each location with its status and its latest delivery
  getJson("/api/v1/humanitarian/map").then((found) => {
    if (!found) return;
    for (const feature of found.features) {
      const [lon, lat] = feature.geometry.coordinates;
      const p = feature.properties;
      const status = p.status ? p.status.status : "none";
      const marker = L.marker([lat, lon], {
        // the location's name is what the record says ("data"), not the interface's words
        icon: L.divIcon({ className: "humanitarian-icon data", html: el("span", { class: `humanitarian-${status}` }), iconSize: [16, 16] }),
        keyboard: true, title: p.name,
      });
      marker.bindPopup(() => el("div", { class: "popup" },
        el("strong", { class: "data" }, p.name),
        el("p", {}, p.status
          ? t("status_since", { status: label("humanitarian_status", p.status.status), date: date(p.status.since) })
          : t("no_status")),
        el("p", {}, t("access_requests", { approved: number(p.approved), denied: number(p.denied), pending: number(p.pending) })),
        el("p", {}, p.last_delivery ? t("last_delivery", { date: date(p.last_delivery) }) : t("no_delivery")),
        p.people_reached ? el("p", {}, t("people_reached", { count: number(p.people_reached) })) : null));
      humanitarian.addLayer(marker);
    }
  });

  let timer = null;
  let drawing = 0;  // the latest refresh: an older one that ends later draws nothing
  let listing = null;

  // The filters and time, as the API's query (the view's bbox apart).
  function filterQuery() {
    const q = new URLSearchParams({
      from: new Date(state.from).toISOString(),
      to: new Date(state.to + DAY).toISOString(),
    });
    for (const name of FILTERS) if (state.filters[name]) q.set(name, state.filters[name]);
    return q;
  }

  function viewQuery() {
    const b = map.getBounds();
    const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
    const q = filterQuery();
    q.set("bbox", [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90),
      clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)].map((v) => v.toFixed(5)).join(","));
    return q;
  }

  // Tiles of 512 pixels (the server's tiles of the zoom below), kept while the filters
  // and time stay the same: a pan fetches only the tiles it brings into view.
  const TILE = 512;
  const tiles = new Map();
  let tilesFor = "";

  function visibleTiles() {
    const z = Math.max(0, map.getZoom() - 1);
    const side = 2 ** z;
    const pixels = map.getPixelBounds();
    const clamp = (v) => Math.min(side - 1, Math.max(0, v));
    const found = [];
    for (let x = clamp(Math.floor(pixels.min.x / TILE)); x <= clamp(Math.floor((pixels.max.x - 1) / TILE)); x++) {
      for (let y = clamp(Math.floor(pixels.min.y / TILE)); y <= clamp(Math.floor((pixels.max.y - 1) / TILE)); y++) {
        found.push(`${z}/${x}/${y}`);
      }
    }
    return found;
  }

  function tile(key) {
    const filters = filterQuery().toString();
    if (filters !== tilesFor || tiles.size > 400) {
      tiles.clear();
      tilesFor = filters;
    }
    if (!tiles.has(key)) {
      const fetched = getJson(`/api/v1/map/tiles/${key}?${filters}`).catch(() => null);
      tiles.set(key, fetched);
      fetched.then((found) => { if (!found) tiles.delete(key); });
    }
    return tiles.get(key);
  }

  async function refresh() {
    const mine = ++drawing;
    refreshAccessions();
    const found = await Promise.all(visibleTiles().map(tile));
    if (mine !== drawing) return;
    draw(found.filter(Boolean));
    writeUrl();
    document.getElementById("map").dataset.settled = String(Date.now());
    document.dispatchEvent(new CustomEvent("ceasefire:map-settled"));
    refreshList(mine);
  }

  // The list beside the map: how many incidents are in view, and the latest of them.
  async function refreshList(mine) {
    if (listing) listing.abort();
    listing = new AbortController();
    document.getElementById("list-count").textContent = t("loading");
    let found;
    try {
      found = await getJson(`/api/v1/map/list?${viewQuery()}`, listing.signal);
    } catch (error) {
      if (error.name === "AbortError") return;
      throw error;
    }
    if (!found || mine !== drawing) return;
    const list = document.getElementById("incident-list");
    list.replaceChildren(...found.latest.map(listItem));
    document.getElementById("list-count").textContent = found.total
      ? t("shown_of", { shown: number(found.latest.length), total: number(found.total) })
      : t("none_here");
    document.getElementById("incident-list").dataset.settled = String(Date.now());
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(refresh, 120);
  }

  function draw(found) {
    incidents.clearLayers();
    for (const part of found) {
      for (const cell of part.cells || []) {
        const size = 20 + Math.min(10, Math.log2(cell.count) * 1.5);  // cells are 32 px apart
        const icon = L.divIcon({
          className: "cell-icon", iconSize: [size, size],
          html: el("span", {}, number(cell.count)).outerHTML,
        });
        const marker = L.marker([cell.lat, cell.lon], {
          icon, keyboard: true, title: t("cluster", { count: number(cell.count) }),
        });
        marker.on("click", () => map.setView([cell.lat, cell.lon], map.getZoom() + 2));
        incidents.addLayer(marker);
      }
      for (const incident of part.points || []) {
        const marker = Shapes.marker(incident, state.colour, canvas);
        marker.bindPopup(() => incidentPopup(incident));
        incidents.addLayer(marker);
        if (incident.id === focus) {
          // ringed, above the others drawn at the same point; its popup opened once
          incidents.addLayer(L.circleMarker([incident.lat, incident.lon], {
            renderer: canvas, radius: 13, weight: 3, color: "#111", fill: false, interactive: false,
          }));
          if (!focusShown) { focusShown = true; marker.openPopup(); }
        }
      }
    }
  }

  function summary(incident) {
    const parts = [label("classification", incident.classification)];
    if (incident.joint) parts.push(label("joint", incident.joint));
    return parts.join(" · ");
  }

  function incidentPopup(incident) {
    return el("div", { class: "popup" },
      el("strong", {}, t("incident", { id: incident.id })),
      el("p", {}, date(incident.time_start), " · ", label("event_type", incident.event_type)),
      incident.place ? el("p", { class: "data" }, incident.place) : null,
      el("p", {}, summary(incident)),
      incident.summary ? el("p", { class: "summary data" }, incident.summary) : null,
      el("p", {}, t("reports", { count: number(incident.report_count) })),
      el("a", { href: `/incidents/${incident.id}` }, t("open_file")));
  }

  function listItem(incident) {
    return el("li", { "data-incident": incident.id },
      el("span", { class: `glyph shape-${incident.classification}`, "aria-hidden": "true" }),
      el("a", { href: `/incidents/${incident.id}` },
        el("span", { class: "when" }, date(incident.time_start)),
        " ",
        el("span", { class: "data" }, incident.place || ""),
        " ",
        el("span", { class: "what" }, label("event_type", incident.event_type), " — ", summary(incident))),
      incident.summary ? el("p", { class: "summary data" }, incident.summary) : null);
  }

  // --- filters, colouring, time -------------------------------------------------------
  form.addEventListener("change", (event) => {
    if (event.target.name === "colour") {
      state.colour = event.target.value;
      document.getElementById("legend-classification").hidden = state.colour !== "classification";
      document.getElementById("legend-joint").hidden = state.colour !== "joint";
    } else if (FILTERS.includes(event.target.name)) {
      state.filters[event.target.name] = event.target.value;
    }
    refresh();
  });
  // on a phone the legend starts folded, so that it does not hide the map
  if (window.matchMedia("(max-width: 760px)").matches) {
    document.querySelector(".legend-box").open = false;
  }
  document.getElementById("legend-classification").hidden = state.colour !== "classification";
  document.getElementById("legend-joint").hidden = state.colour !== "joint";

  const fromInput = document.getElementById("time-from");
  const toInput = document.getElementById("time-to");
  const slider = document.getElementById("time-slider");
  const playButton = document.getElementById("play");
  const span = () => Math.max(DAY, last - first);

  function showTime() {
    regimes.setStyle(regimeStyle);
    fromInput.value = new Date(state.from).toISOString().slice(0, 10);
    toInput.value = new Date(state.to).toISOString().slice(0, 10);
    slider.value = String(Math.round(((state.to - first) / span()) * 1000));
    document.getElementById("time-label").textContent = `${date(state.from)} – ${date(state.to)}`;
  }
  fromInput.addEventListener("change", () => {
    const value = Date.parse(fromInput.value);
    if (Number.isFinite(value)) { state.from = Math.min(value, state.to); showTime(); refresh(); }
  });
  toInput.addEventListener("change", () => {
    const value = Date.parse(toInput.value);
    if (Number.isFinite(value)) { state.to = Math.max(value, state.from); showTime(); refresh(); }
  });
  slider.addEventListener("input", () => {
    const width = state.to - state.from;
    state.to = first + (Number(slider.value) / 1000) * span();
    state.from = state.to - width;
    showTime();
    later();
  });

  let playing = null;
  playButton.addEventListener("click", () => {
    if (playing) {
      clearInterval(playing);
      playing = null;
      playButton.textContent = t("play");
      playButton.setAttribute("aria-pressed", "false");
      return;
    }
    playButton.textContent = t("pause");
    playButton.setAttribute("aria-pressed", "true");
    const step = Math.max(DAY, Math.round(span() / 120 / DAY) * DAY);
    playing = setInterval(() => {
      if (state.to >= last) { playButton.click(); return; }
      state.from += step;
      state.to += step;
      showTime();
      refresh();
    }, 700);
  });

  map.on("moveend", refresh);  // at once: a pan or zoom ends once
  document.addEventListener("ceasefire:incident", () => { tiles.clear(); later(); });
  showTime();
  refresh();
  window.ceasefireMap = map;
})();
