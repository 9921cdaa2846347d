// jili — charts drawn over tables that are already on the page (every number is in a table;
// the charts only show them). The map of Hunan is a sketch (示意图): see /assets/SOURCES.md.
"use strict";

(function () {
  // A choropleth: <div id="X" data-map="…geojson"> with its data in
  // <script type="application/json" id="X-data">[{code, name, value, winner}]</script>.
  // Data are matched to the map's features by their 6-digit code (feature.id or
  // properties.adcode), not by name. The 14 市州 map is always there; a county map only when
  // the office imported one (otherwise its figure stays hidden).
  function drawMap(el, mapName, onLoaded) {
    const dataEl = document.getElementById(el.id + "-data");
    if (!dataEl || typeof echarts === "undefined") return;
    let items;
    try {
      items = JSON.parse(dataEl.textContent || "[]");
    } catch (e) {
      el.setAttribute("data-error", "bad data");
      return;
    }
    fetch(el.getAttribute("data-map"), { credentials: "same-origin" })
      .then((r) => {
        if (!r.ok) throw new Error("map " + r.status);
        if (onLoaded) onLoaded(r);
        return r.json();
      })
      .then((geo) => {
        echarts.registerMap(mapName, geo);
        const registered = echarts.getMap(mapName);
        const features = ((registered && (registered.geoJSON || registered.geoJson)) || geo).features || [];
        // code → the feature's name, which is what the series matches on (nameProperty "name").
        const nameOf = {};
        for (const f of features) {
          const code = String(f.id || (f.properties && f.properties.adcode) || "");
          if (code) nameOf[code] = f.properties.name;
        }
        const byName = {};
        const data = [];
        for (const it of items) {
          const name = nameOf[it.code];
          if (!name) continue;
          const v = typeof it.value === "number" && isFinite(it.value) ? it.value : NaN;
          byName[name] = it;
          data.push({ name: name, value: v });
        }
        const values = data.map((d) => d.value).filter((v) => isFinite(v));
        const chart = echarts.init(el, null, { renderer: "canvas" });
        const option = {
          tooltip: {
            trigger: "item",
            formatter: (p) => {
              const it = byName[p.name];
              const score = isFinite(p.value) ? Number(p.value).toFixed(2) + " 分" : "未公布得分";
              return p.name + "：" + score + (it && it.winner ? "（入选）" : "");
            },
          },
          series: [
            {
              type: "map",
              map: mapName,
              nameProperty: "name",
              roam: false,
              label: { show: true, fontSize: 10 },
              itemStyle: { areaColor: "#eeeeee", borderColor: "#888888" },
              emphasis: { label: { show: true } },
              data: data,
            },
          ],
        };
        if (values.length > 0) {
          const min = Math.min.apply(null, values);
          const max = Math.max.apply(null, values);
          option.visualMap = {
            type: "continuous",
            min: min === max ? min - 1 : min,
            max: min === max ? max + 1 : max,
            text: [el.getAttribute("data-high") || "高", el.getAttribute("data-low") || "低"],
            calculable: true,
            left: "left",
            bottom: 10,
            inRange: { color: ["#fde0dd", "#fa9fb5", "#c51b8a", "#7a0177"] },
          };
        }
        chart.setOption(option);
        readableLabels(chart, data);
        // What was drawn, read back from the chart: regions of the registered map that the
        // series holds a value for.
        const regionNames = new Set(features.map((f) => f.properties && f.properties.name));
        let drawn = 0;
        const model = chart.getModel && chart.getModel();
        const series = model && model.getSeriesByIndex(0);
        const list = series && series.getData();
        if (list) {
          for (let i = 0; i < list.count(); i++) {
            const v = list.get(list.mapDimension ? list.mapDimension("value") : "value", i);
            if (regionNames.has(list.getName(i)) && typeof v === "number" && isFinite(v)) drawn++;
          }
        } else {
          const opt = chart.getOption().series[0].data || [];
          drawn = opt.filter((d) => regionNames.has(d.name) && isFinite(d.value)).length;
        }
        el.setAttribute("data-regions-drawn", String(drawn));
        el.setAttribute("data-regions-total", String(features.length));
        window.addEventListener("resize", () => chart.resize());
      })
      .catch((e) => {
        el.setAttribute("data-error", String(e));
      });
  }

  // "#rrggbb", "#rgb" or "rgb(a)(r, g, b…)" as [r, g, b] (0–255), or null.
  function channels(colour) {
    const c = String(colour || "").trim();
    let m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(c);
    if (m) {
      const h = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
      return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    }
    m = /^rgba?\(([^)]*)\)$/i.exec(c);
    if (!m) return null;
    const parts = m[1].split(",").slice(0, 3).map(Number);
    return parts.length === 3 && parts.every(isFinite) ? parts : null;
  }

  // Black or white, whichever contrasts more with the fill (WCAG 2 relative luminance): one of
  // the two always reaches a ratio of 4.5 or more.
  function textOn(fill) {
    const rgb = channels(fill);
    if (!rgb) return "#000000";
    const lin = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    };
    const l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
    return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
  }

  // The regions' labels as drawn on the canvas: name → box (zrender's display list, so what
  // the visitor sees after any move; a label is drawn as "tspan" pieces).
  function labelBoxes(chart, names) {
    const out = {};
    for (const t of chart.getZr().storage.getDisplayList(true)) {
      if ((t.type !== "tspan" && t.type !== "text") || t.ignore || t.invisible || !t.style || !names.has(t.style.text)) continue;
      const r = t.getBoundingRect().clone();
      if (t.transform) r.applyTransform(t.transform);
      out[t.style.text] = r;
    }
    return out;
  }

  // Make every region's label readable: coloured against its region's fill, and moved apart
  // vertically from any label it overlaps (湘潭 and 株洲 sit close together), a few passes.
  function readableLabels(chart, data) {
    const series = chart.getModel().getSeriesByIndex(0);
    const list = series && series.getData();
    if (!list) return;
    const colour = {};
    for (let i = 0; i < list.count(); i++) {
      const style = list.getItemVisual(i, "style") || {};
      colour[list.getName(i)] = textOn(style.fill || "#eeeeee");
    }
    const offset = {};
    const apply = () =>
      chart.setOption({
        series: [{ data: data.map((d) => Object.assign({}, d, { label: { color: colour[d.name] || "#000000", offset: offset[d.name] || [0, 0] } })) }],
      });
    apply();
    const names = new Set(data.map((d) => d.name));
    for (let pass = 0; pass < 6; pass++) {
      const boxes = labelBoxes(chart, names);
      const keys = Object.keys(boxes);
      let moved = false;
      for (let i = 0; i < keys.length; i++) {
        for (let j = i + 1; j < keys.length; j++) {
          const a = boxes[keys[i]];
          const b = boxes[keys[j]];
          if (!a.intersect(b)) continue;
          const [upper, lower] = a.y <= b.y ? [keys[i], keys[j]] : [keys[j], keys[i]];
          const overlap = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y) + 2;
          const up = offset[upper] || [0, 0];
          const down = offset[lower] || [0, 0];
          offset[upper] = [up[0], up[1] - overlap / 2];
          offset[lower] = [down[0], down[1] + overlap / 2];
          moved = true;
        }
      }
      if (!moved) break;
      apply();
    }
  }

  function start() {
    const cities = document.getElementById("city-map");
    if (cities) drawMap(cities, "hunan-cities");
    const counties = document.getElementById("county-map");
    if (counties) {
      // Shown once the office's map has loaded; its approval number (审图号) goes in the caption.
      drawMap(counties, "hunan-counties", (r) => {
        const figure = document.getElementById("county-map-figure");
        if (!figure) return;
        figure.hidden = false;
        const approval = r.headers.get("x-map-approval");
        const caption = figure.querySelector("figcaption");
        if (approval && caption) caption.textContent += " 审图号：" + decodeURIComponent(approval);
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
