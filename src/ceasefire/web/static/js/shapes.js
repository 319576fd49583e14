// Incident markers drawn on Leaflet's canvas, by shape as well as colour, so that colour is
// never the only signal: a potential violation is a triangle, an excluded actor a square,
// outside any regime a circle, undetermined a diamond, not covered (a type the agreement does
// not prohibit) a bar. In "joint finding" colouring the
// stroke's dash tells the finding too (dashed: awaiting, dotted: disputed, solid: agreed).
"use strict";

const Shapes = (() => {
  const SHAPE = {
    potential_violation: "triangle",
    excluded_actor: "square",
    outside_regime: "circle",
    undetermined: "diamond",
    not_covered: "bar",
  };
  const CLASS_COLOUR = {
    potential_violation: "#c62828",
    excluded_actor: "#6a1b9a",
    outside_regime: "#616161",
    undetermined: "#e07b00",
    not_covered: "#00838f",
  };
  const JOINT_COLOUR = {
    none: "#ffffff",
    pending: "#1565c0",
    disputed: "#ef6c00",
    violation: "#b71c1c",
    no_violation: "#2e7d32",
    insufficient_information: "#9e9e9e",
  };
  const JOINT_DASH = {
    none: null, pending: [4, 3], disputed: [1, 2], violation: null, no_violation: null,
    insufficient_information: [6, 2, 1, 2],
  };

  L.Canvas.include({
    _updateShape(layer) {
      if (!this._drawing || layer._empty()) return;
      const p = layer._point;
      const ctx = this._ctx;
      const r = Math.max(Math.round(layer._radius), 1);
      ctx.beginPath();
      switch (layer.options.shape) {
        case "triangle":
          ctx.moveTo(p.x, p.y - r * 1.2);
          ctx.lineTo(p.x + r * 1.1, p.y + r * 0.8);
          ctx.lineTo(p.x - r * 1.1, p.y + r * 0.8);
          ctx.closePath();
          break;
        case "square":
          ctx.rect(p.x - r * 0.9, p.y - r * 0.9, r * 1.8, r * 1.8);
          break;
        case "bar":
          ctx.rect(p.x - r * 1.2, p.y - r * 0.5, r * 2.4, r);
          break;
        case "diamond":
          ctx.moveTo(p.x, p.y - r * 1.25);
          ctx.lineTo(p.x + r * 1.25, p.y);
          ctx.lineTo(p.x, p.y + r * 1.25);
          ctx.lineTo(p.x - r * 1.25, p.y);
          ctx.closePath();
          break;
        default:
          ctx.arc(p.x, p.y, r, 0, Math.PI * 2, false);
      }
      ctx.setLineDash(layer.options.lineDash || []);
      this._fillStroke(ctx, layer);
      ctx.setLineDash([]);
    },
  });

  const Shape = L.CircleMarker.extend({
    _updatePath() { this._renderer._updateShape(this); },
  });

  // The marker of an incident (``colour``: "classification" or "joint").
  function marker(incident, colour, renderer) {
    const joint = incident.joint || "none";
    const byJoint = colour === "joint";
    return new Shape([incident.lat, incident.lon], {
      renderer,
      incidentId: incident.id,
      shape: SHAPE[incident.classification] || "circle",
      radius: 6,
      weight: byJoint ? 2.5 : 1.5,
      color: byJoint ? "#222" : "#fff",
      fillColor: byJoint ? JOINT_COLOUR[joint] : CLASS_COLOUR[incident.classification],
      fillOpacity: 0.9,
      lineDash: byJoint ? JOINT_DASH[joint] : null,
    });
  }

  return { marker, SHAPE, CLASS_COLOUR, JOINT_COLOUR };
})();
