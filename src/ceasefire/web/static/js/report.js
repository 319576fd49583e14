// A form with a place (a report, an access restriction): clicking the small map (or pressing Enter on it) puts the event there
// and fills the coordinates; typed coordinates move the marker; choosing a named place
// fills its point and how precisely that places the event; the time zone shown (by its
// city, in the reader's language) follows the agreement chosen.
"use strict";

(() => {
  const { t, getJson, baseLayer, zoomButtons } = Ceasefire;
  const data = JSON.parse(document.getElementById("map-data").textContent);
  const form = document.querySelector("form[data-pick]");
  const lat = form.elements.lat;
  const lon = form.elements.lon;

  const map = L.map("pick-map", { preferCanvas: true, keyboard: true, zoomControl: false, attributionControl: !!data.tiles });
  zoomButtons(map);
  // The map opens on the chosen agreement's regimes (every regime for an open report).
  function fit() {
    const chosen = form.elements.agreement.value;
    map.fitBounds((data.agreements || {})[chosen] || data.bounds || [[29, 22], [53, 45]]);
  }
  if (data.tiles) L.tileLayer(data.tiles, { maxZoom: 18 }).addTo(map);
  const basemap = baseLayer().addTo(map);
  let marker = null;
  // the boundaries come after a place the form already holds (a draft, a refused form):
  // they are drawn under its marker, not over it
  getJson("/api/v1/places").then((found) => {
    if (found) basemap.addData(found);
    if (marker) marker.bringToFront();
  });

  function place(latlng, fill) {
    if (marker) marker.setLatLng(latlng);
    else marker = L.circleMarker(latlng, { radius: 8, color: "#111", weight: 2, fillColor: "#f5c400", fillOpacity: 1 }).addTo(map);
    if (fill) {
      lat.value = latlng.lat.toFixed(5);
      lon.value = latlng.lng.toFixed(5);
    }
    document.getElementById("pick-map").dataset.picked = "true";
  }

  map.on("click", (event) => {
    place(event.latlng, true);
    form.elements.place.value = "";
    if (form.elements.location_precision) form.elements.location_precision.value = "exact";
  });
  // Keyboard: Enter on the focused map puts the event at its centre.
  document.getElementById("pick-map").addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      place(map.getCenter(), true);
    }
  });

  function typed() {
    const y = Number(lat.value.replace(",", "."));
    const x = Number(lon.value.replace(",", "."));
    if (lat.value && lon.value && Number.isFinite(y) && Number.isFinite(x) && Math.abs(y) <= 90 && Math.abs(x) <= 180) {
      place(L.latLng(y, x), false);
      map.panTo([y, x]);
    }
  }
  lat.addEventListener("change", typed);
  lon.addEventListener("change", typed);
  fit();
  typed();

  form.elements.place.addEventListener("change", () => {
    const option = form.elements.place.selectedOptions[0];
    if (!option || !option.dataset.lat) return;
    const latlng = L.latLng(Number(option.dataset.lat), Number(option.dataset.lon));
    place(latlng, true);
    if (form.elements.location_precision) form.elements.location_precision.value = option.dataset.precision;
    map.setView(latlng, Math.max(map.getZoom(), 8));
  });

  const zone = document.getElementById("zone");
  form.elements.agreement.addEventListener("change", () => {
    const option = form.elements.agreement.selectedOptions[0];
    zone.textContent = (option && (option.dataset.zoneName || option.dataset.zone)) || "UTC";
    if (!marker) fit();
  });
  document.getElementById("pick-map").setAttribute("title", t("click_to_place"));
})();
