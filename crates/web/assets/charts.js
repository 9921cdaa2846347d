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
