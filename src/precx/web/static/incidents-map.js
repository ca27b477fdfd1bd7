// The incident map: country outlines shipped with precx (or configured tiles), incident places
// as circles and routes as lines between country centres. Data comes in data attributes
// because the page's CSP forbids inline scripts.
(function () {
  "use strict";
  const element = document.getElementById("incident-map");
  if (!element || !window.L || !window.topojson) return;
  const L = window.L;
  const points = JSON.parse(element.dataset.points || "[]");
  const tileUrl = element.dataset.tiles || "";
  const map = L.map(element, { worldCopyJump: true, attributionControl: !!tileUrl }).setView([35, 20], 2);
  const colours = {
    seizure: "#c62828", stopped_shipment: "#ef6c00", diversion: "#6a1b9a",
    illicit_laboratory: "#283593", equipment: "#00695c", theft_or_loss: "#5d4037",
  };
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18, attribution: element.dataset.tilesAttribution || "" }).addTo(map);
  }
  function drawIncidents(centres) {
    const bounds = [];
    points.forEach((p) => {
      const colour = colours[p.kind] || "#333";
      const link = document.createElement("a");
      link.href = "/incidents/" + p.id;
      link.textContent = "#" + p.id + " " + p.title;
      const stops = p.route.map((c) => centres[c]).filter(Boolean);
      stops.forEach((stop) => bounds.push(stop));
      if (stops.length > 1) {
        L.polyline(stops, { color: colour, weight: 2, opacity: 0.7, dashArray: "6 4" })
          .bindPopup(link.cloneNode(true)).addTo(map);
      }
      const where = p.lat !== null && p.lon !== null ? [p.lat, p.lon] : centres[p.country];
      if (!where) return;
      bounds.push(where);
      L.circleMarker(where, {
        radius: 7, color: colour, fillColor: colour, fillOpacity: 0.75, weight: 1,
        className: "incident-marker",
      }).bindPopup(link).addTo(map);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 });
    element.dataset.ready = "true";
  }
  Promise.all([
    fetch(element.dataset.outlines).then((r) => r.json()),
    fetch(element.dataset.codes).then((r) => r.json()),
  ]).then(([world, codes]) => {
    // The page's stylesheet may size the container after the map was made.
    map.invalidateSize();
    const countries = window.topojson.feature(world, world.objects.countries);
    const centres = {};
    const layer = L.geoJSON(countries, {
      style: { color: "#7a8b99", weight: 0.6, fillColor: "#e8eef3", fillOpacity: tileUrl ? 0 : 1 },
      onEachFeature: (feature, featureLayer) => {
        const iso2 = codes.codes[feature.id];
        if (iso2) {
          centres[iso2] = featureLayer.getBounds().getCenter();
          featureLayer.bindTooltip(feature.properties.name + " (" + iso2 + ")", { sticky: true });
        }
      },
    });
    if (!tileUrl) layer.addTo(map);
    drawIncidents(centres);
  }).catch(() => drawIncidents({}));
})();
