// The orgnet explorer: draws /explorer/data with vis-network (laid out on the server), drill-down by double-click,
// layers, filters, a side panel with a Chinese summary, county-wide search, fit/zoom and PNG/GEXF export.
// Served as a static file: the pages' CSP allows no inline script.
(function () {
  "use strict";
  var root = document.getElementById("explorer");
  if (!root) return;
  var embedded = root.getAttribute("data-embedded") === "yes";
  var view = {street_id: root.getAttribute("data-street") || "", community_id: root.getAttribute("data-community") || "",
              county_id: root.getAttribute("data-county") || ""};
  var layers = (root.getAttribute("data-layers") || "").split(",").filter(Boolean);
  var focusId = root.getAttribute("data-focus") || "";
  var container = document.getElementById("mynetwork");
  var statusBox = document.getElementById("status");
  var TYPE_ZH = {County: "县", Street: "街道", Community: "社区", Compound: "小区", Grid: "网格", Building: "楼栋",
    PartyOrg: "党组织", Person: "人员", CentralHousehold: "党员中心户", Agency: "机关单位", Demand: "诉求", Department: "部门"};
  var D = null, nodes = null, edges = null, hiddenTypes = {};
  // a self-contained page (notebooks, files) carries its data; a served page fetches it
  var inlineData = document.getElementById("orgnet-data");

  function esc(s) { var d = document.createElement("div"); d.textContent = s == null ? "" : String(s); return d.innerHTML; }
  function qs(obj) {
    return Object.keys(obj).filter(function (k) { return obj[k]; })
      .map(function (k) { return encodeURIComponent(k) + "=" + encodeURIComponent(obj[k]); }).join("&");
  }
  function viewUrl(v, extra) {
    return "/explorer?" + qs(Object.assign({street_id: v.street_id, community_id: v.community_id,
                                            county_id: v.county_id || "", layers: layers.join(",")}, extra || {}));
  }
  function status(text) { if (statusBox) statusBox.textContent = text; }

  function load() {
    if (inlineData) { draw(JSON.parse(inlineData.textContent)); return; }
    status("载入中… / loading…");
    root.setAttribute("data-ready", "no");
    return fetch("/explorer/data?" + qs({street_id: view.street_id, community_id: view.community_id,
                                         county_id: view.county_id, layers: layers.join(",")}),
                 {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (r) {
        if (r.status === 401 || r.redirected) { window.location = "/login?next=" + encodeURIComponent(location.pathname + location.search); }
        if (!r.ok) throw new Error("HTTP " + r.status);
        return r.json();
      })
      .then(draw)
      .catch(function (e) { status("无法载入图谱 / could not load the graph: " + e.message); });
  }

  function draw(data) {
    window.orgnetTimes = {fetched: performance.now()};
    D = data;
    nodes = new vis.DataSet(data.nodes);
    edges = new vis.DataSet(data.edges);
    if (window.network) { window.network.destroy(); }
    window.network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
    window.orgnetTimes.created = performance.now();
    network.once("afterDrawing", function () { window.orgnetTimes.drawn = performance.now(); });
    network.once("stabilized", function () { window.orgnetTimes.stabilized = performance.now(); });
    network.on("click", function (p) { if (p.nodes.length) show(p.nodes[0]); });
    network.on("doubleClick", function (p) { if (p.nodes.length) drill(p.nodes[0]); });
    buildTypeFilters();
    if (filtering()) applyFilters();
    status(data.nodes.length + " 个节点 / nodes · " + data.edges.length + " 条边 / edges");
    if (focusId && nodes.get(focusId)) {
      network.once("afterDrawing", function () { focusOn(focusId); });
    }
    root.setAttribute("data-ready", "yes");
  }

  function focusOn(id) {
    network.selectNodes([id]);
    network.focus(id, {scale: 1.4});
    show(id);
  }

  function drill(id) {
    var n = nodes.get(id);
    if (!n || inlineData) return;
    if (n.kind === "Street" && D.view.level === "county") {
      window.location = embedded ? "/streets/" + encodeURIComponent(id) : viewUrl({street_id: id, community_id: ""});
    } else if (n.kind === "Community" && D.view.level !== "community") {
      window.location = embedded ? "/communities/" + encodeURIComponent(id) : viewUrl({street_id: "", community_id: id});
    } else if (n.kind === "County") {  // the county's own view (one county of a province)
      window.location = embedded ? "/" : viewUrl({street_id: "", community_id: "",
                                                  county_id: id.indexOf("county:") === 0 ? id.slice(7) : ""});
    }
  }

  function show(id) {
    var i = (D.info || {})[id];
    var box = document.getElementById("detail");
    if (!i) { box.textContent = id; return; }
    var h = "<h3>" + esc(i.name) + "</h3><p class=\"muted\">" + esc(i.kind) + " · " + esc(id) + "</p><dl>";
    i.facts.forEach(function (f) { h += "<dt>" + esc(f[0]) + "</dt><dd>" + esc(f[1]) + "</dd>"; });
    h += "</dl><h4>发现 <small>findings (" + i.findings.length + ")</small></h4>";
    if (!i.findings.length) h += "<p class=\"muted\">没有发现 / no findings</p>";
    i.findings.forEach(function (f) {
      h += "<div class=\"f " + esc(f.severity) + "\"><b>" + esc(f.severity_zh) + " · " + esc(f.category_zh) + "</b> <small>" +
           esc(f.rule) + "</small><br>" + esc(f.zh) + (f.suggestion ? "<br><i>建议：" + esc(f.suggestion) + "</i>" : "") + "</div>";
    });
    if (i.links.length) {
      h += "<div class=\"links\">";
      i.links.forEach(function (l) { h += "<a href=\"" + esc(l[1]) + "\">" + esc(l[0]) + " →</a>"; });
      h += "</div>";
    }
    box.innerHTML = h;
  }

  function buildTypeFilters() {
    var box = document.getElementById("types");
    box.querySelectorAll("label").forEach(function (l) { l.remove(); });
    var groups = {};
    D.nodes.forEach(function (n) { groups[n.kind] = (groups[n.kind] || 0) + 1; });
    Object.keys(groups).forEach(function (g) {
      var l = document.createElement("label");
      var c = document.createElement("input");
      c.type = "checkbox"; c.name = "type"; c.value = g; c.checked = !hiddenTypes[g];
      c.addEventListener("change", function () { hiddenTypes[g] = !c.checked; applyFilters(); });
      l.appendChild(c);
      l.appendChild(document.createTextNode(" " + (TYPE_ZH[g] || g) + " " + g + " (" + groups[g] + ")"));
      box.appendChild(l);
    });
  }

  function filtering() {
    return Object.keys(hiddenTypes).some(function (k) { return hiddenTypes[k]; }) ||
      Array.prototype.some.call(document.querySelectorAll("input[name=sev]"), function (c) { return !c.checked; });
  }
  function applyFilters() {
    var sev = {};
    document.querySelectorAll("input[name=sev]").forEach(function (c) { sev[c.value] = c.checked; });
    nodes.update(D.nodes.map(function (n) { return {id: n.id, hidden: !!hiddenTypes[n.kind] || !sev[n.severity]}; }));
  }
  document.querySelectorAll("input[name=sev]").forEach(function (c) { c.addEventListener("change", applyFilters); });
  document.querySelectorAll("input[name=layer]").forEach(function (c) {
    c.checked = layers.indexOf(c.value) >= 0;
    c.addEventListener("change", function () {
      layers = Array.prototype.filter.call(document.querySelectorAll("input[name=layer]"), function (x) { return x.checked; })
        .map(function (x) { return x.value; });
      if (!embedded) history.replaceState(null, "", viewUrl(view));
      load();
    });
  });

  // search across the county (the server limits it to the viewer's area)
  var input = document.getElementById("search"), results = document.getElementById("search-results"), timer = null;
  function runSearch(jump) {
    var q = input.value.trim();
    if (!q) { results.hidden = true; return; }
    if (inlineData) { listResults(localSearch(q), jump, q); return; }
    fetch("/explorer/search?" + qs({q: q}), {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (res) { listResults(res, jump, q); });
  }
  function localSearch(q) {
    var low = q.toLowerCase(), items = Object.keys(D.info).filter(function (k) {
      return k.toLowerCase().indexOf(low) >= 0 || String(D.info[k].name).toLowerCase().indexOf(low) >= 0;
    }).map(function (k) { return {id: k, name: D.info[k].name, kind: D.info[k].kind, href: "#" + k}; });
    return {total: items.length, items: items};
  }
  function listResults(res, jump, q) {
      var exact = res.items.filter(function (x) { return x.id === q; })[0] || (res.items.length === 1 ? res.items[0] : null);
      if (jump && exact) { go(exact); return; }
      var h = "<div class=\"head\">共 " + res.total + " 个匹配 / matches" + (res.total > res.items.length ? "（显示前 " + res.items.length + "）" : "") + "</div>";
      res.items.forEach(function (x) {
        h += "<a href=\"" + esc(x.href) + "\" data-id=\"" + esc(x.id) + "\">" + esc(x.name) + " <small>" + esc(x.kind) + " · " + esc(x.id) + "</small></a>";
      });
      results.innerHTML = h;
      results.hidden = false;
      results.querySelectorAll("a").forEach(function (a) {
        a.addEventListener("click", function (e) {
          e.preventDefault();
          go({id: a.getAttribute("data-id"), href: a.getAttribute("href")});
        });
      });
  }
  function go(hit) {
    results.hidden = true;
    if (nodes && nodes.get(hit.id)) { focusOn(hit.id); return; }
    window.location = hit.href;
  }
  input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(function () { runSearch(false); }, 250); });
  input.addEventListener("keydown", function (e) { if (e.key === "Enter") { e.preventDefault(); clearTimeout(timer); runSearch(true); } });
  document.addEventListener("click", function (e) { if (!results.contains(e.target) && e.target !== input) results.hidden = true; });

  document.getElementById("fit").addEventListener("click", function () { network.fit({animation: false}); });
  document.getElementById("zoom-in").addEventListener("click", function () { network.moveTo({scale: network.getScale() * 1.4}); });
  document.getElementById("zoom-out").addEventListener("click", function () { network.moveTo({scale: network.getScale() / 1.4}); });

  function download(blob, name) {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function fileName(ext) {
    return "orgnet-" + (view.community_id || view.street_id || "county") + "." + ext;
  }
  document.getElementById("export-png").addEventListener("click", function () {
    var canvas = container.querySelector("canvas");
    canvas.toBlob(function (b) { download(b, fileName("png")); }, "image/png");
  });
  function xml(s) { return String(s == null ? "" : s).replace(/[<>&"']/g, function (c) { return "&#" + c.charCodeAt(0) + ";"; }); }
  function rgb(hex) { var n = parseInt(String(hex).slice(1), 16) || 0; return [(n >> 16) & 255, (n >> 8) & 255, n & 255]; }
  document.getElementById("export-gexf").addEventListener("click", function () {
    var shown = nodes.get({filter: function (n) { return !n.hidden; }}), ids = {}, pos = network.getPositions();
    var out = ['<?xml version="1.0" encoding="UTF-8"?>',
      '<gexf xmlns="http://gexf.net/1.3" xmlns:viz="http://gexf.net/1.3/viz" version="1.3">',
      '<graph defaultedgetype="undirected" mode="static">',
      '<attributes class="node"><attribute id="type" title="type" type="string"/><attribute id="severity" title="severity" type="string"/></attributes>',
      "<nodes>"];
    shown.forEach(function (n) {
      ids[n.id] = true;
      var p = pos[n.id] || {x: 0, y: 0}, c = rgb(n.color);
      out.push('<node id="' + xml(n.id) + '" label="' + xml(((D.info || {})[n.id] || {}).name || n.label) + '"><attvalues>' +
        '<attvalue for="type" value="' + xml(n.kind) + '"/><attvalue for="severity" value="' + xml(n.severity) + '"/></attvalues>' +
        '<viz:color r="' + c[0] + '" g="' + c[1] + '" b="' + c[2] + '"/><viz:position x="' + p.x + '" y="' + (-p.y) + '" z="0"/>' +
        '<viz:size value="' + (n.size || 10) + '"/></node>');
    });
    out.push("</nodes><edges>");
    edges.get().forEach(function (e, i) {
      if (ids[e.from] && ids[e.to]) out.push('<edge id="e' + i + '" source="' + xml(e.from) + '" target="' + xml(e.to) + '"' + (e.title ? ' label="' + xml(e.title) + '"' : "") + "/>");
    });
    out.push("</edges></graph></gexf>");
    download(new Blob([out.join("\n")], {type: "application/xml"}), fileName("gexf"));
  });

  load();
})();
