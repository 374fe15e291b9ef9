(function () {
  'use strict';
  var DATA = JSON.parse(document.getElementById('soyaku-data').textContent);
  var body = document.body;
  var styles = DATA.styles;
  var byId = {};
  DATA.nodes.forEach(function (n) { byId[n.id] = n; });
  var edgeById = {};
  DATA.edges.forEach(function (e) { edgeById[e.id] = e; });

  /* ---- DOM helpers: text only, never HTML ---- */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === 'text') node.textContent = attrs[k]; else if (k === 'cls') node.className = attrs[k]; else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function table(rows) {
    if (!rows.length) return null;
    return el('table', null, rows.map(function (r) { return el('tr', null, [el('td', {text: r[0]}), el('td', {text: r[1]})]); }));
  }
  function kindText(label) { var s = styles[label]; return label + (s && s.ja ? ' / ' + s.ja : ''); }
  function sourcesBlock(sources, limit) {
    var wrap = el('div');
    sources.slice(0, limit).forEach(function (s) {
      wrap.appendChild(el('div', {cls: 'quote'}, [el('div', {text: s[1]}), el('div', {cls: 'src', text: s[0]})]));
    });
    if (sources.length > limit) wrap.appendChild(el('div', {cls: 'hint', text: '… ' + (sources.length - limit) + ' more source(s): click for all'}));
    return wrap;
  }
  function nodeCard(n, limit, cls) {
    return el('div', {cls: cls}, [
      el('div', {cls: 'kind', text: kindText(n.label)}),
      el('div', {cls: 'name', text: n.name}),
      DATA.meta.entityLink ? el('a', {href: DATA.meta.entityLink + encodeURIComponent(n.id), text: 'open the entity page →'}) : null,
      table(n.header.concat(n.fields)),
      sourcesBlock(n.sources, limit)
    ]);
  }
  function edgeCard(e, limit, cls) {
    var a = byId[e.from], b = byId[e.to];
    return el('div', {cls: cls}, [
      el('div', {cls: 'kind', text: 'relationship ' + e.type}),
      el('div', {cls: 'name', text: (a ? a.name : e.from) + ' → ' + (b ? b.name : e.to)}),
      table(e.fields),
      sourcesBlock(e.sources, limit)
    ]);
  }

  /* ---- filters ---- */
  var labelOn = {};
  Object.keys(styles).forEach(function (l) { labelOn[l] = (l !== 'Document') || DATA.meta.showDocuments; });
  var groupSet = {ministry: null, round: null};
  function groupMembers(list, id) {
    for (var i = 0; i < list.length; i++) if (list[i].id === id) { var s = {}; list[i].members.forEach(function (m) { s[m] = true; }); return s; }
    return null;
  }
  function nodeVisible(n) {
    if (!labelOn[n.label]) return false;
    if (groupSet.ministry && !groupSet.ministry[n.id]) return false;
    if (groupSet.round && !groupSet.round[n.id]) return false;
    return true;
  }

  /* ---- vis data ---- */
  var visNodes = new vis.DataSet(DATA.nodes.map(function (n) {
    var s = styles[n.label] || {color: '#ccc', shape: 'dot'};
    var focus = DATA.meta.focus === n.id;
    var item = {
      id: n.id, label: '', caption: n.caption, value: n.value, title: nodeCard(n, 2, 'tip'), shape: s.shape,
      color: {background: s.color, border: focus ? '#000' : shade(s.color), highlight: {background: s.color, border: '#000'}},
      borderWidth: focus ? 4 : 1, kind: n.label
    };
    if (focus) item.font = {bold: true};
    return item;
  }));
  var visEdges = new vis.DataSet(DATA.edges.map(function (e) {
    return {id: e.id, from: e.from, to: e.to, caption: e.caption, title: edgeCard(e, 2, 'tip'),
            dashes: e.type === 'MENTIONS', color: {color: e.type === 'MENTIONS' ? '#cfcfcf' : '#9aa7b8', highlight: '#d62728', hover: '#555'}};
  }));
  function shade(hex) {
    var v = parseInt(hex.slice(1), 16), r = (v >> 16) & 255, g = (v >> 8) & 255, b = v & 255;
    function d(x) { return Math.max(0, Math.round(x * 0.7)); }
    return 'rgb(' + d(r) + ',' + d(g) + ',' + d(b) + ')';
  }
  var nodeView = new vis.DataView(visNodes, {filter: function (item) { return nodeVisible(byId[item.id]); }});
  var edgeView = new vis.DataView(visEdges, {filter: function (item) {
    return nodeVisible(byId[item.from]) && nodeVisible(byId[item.to]);
  }});

  var small = DATA.nodes.length <= 120;
  var FONT_FACE = '"Hiragino Sans", "Yu Gothic", Meiryo, "Noto Sans CJK JP", "Noto Sans JP", "IPAPGothic", system-ui, sans-serif';
  var LABEL_PX = 12, LINE_PX = 15, WRAP_PX = 150, PAD_PX = 3, EDGE_PX = 10;  /* captions: 12 px (edges 10) on screen at every zoom */
  var options = {
    autoResize: true,
    layout: {randomSeed: 7, improvedLayout: DATA.nodes.length <= 120},
    nodes: {
      scaling: {min: 7, max: 32, label: {enabled: false}},
      font: {size: LABEL_PX, face: FONT_FACE, strokeWidth: 3, strokeColor: '#ffffff'},
      widthConstraint: {maximum: WRAP_PX}
    },
    edges: {
      arrows: {to: {enabled: true, scaleFactor: 0.45}}, width: 1, selectionWidth: 2, hoverWidth: 1.5,
      smooth: {enabled: true, type: 'continuous', roundness: 0.3},
      font: {size: 10, color: '#555', strokeWidth: 3, strokeColor: '#ffffff', align: 'middle'}
    },
    interaction: {hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: {enabled: true, bindToWindow: false}, hideEdgesOnDrag: true},
    physics: {
      enabled: true, solver: 'forceAtlas2Based',
      forceAtlas2Based: small ?
        {gravitationalConstant: -90, centralGravity: 0.015, springLength: 100, springConstant: 0.05, damping: 0.5, avoidOverlap: 1} :
        {gravitationalConstant: -55, centralGravity: 0.02, springLength: 70, springConstant: 0.07, damping: 0.5, avoidOverlap: 0.6},
      stabilization: {enabled: true, iterations: 700, updateInterval: 50, fit: true},
      minVelocity: 1.0, maxVelocity: 40
    }
  };
  var container = document.getElementById('graph');
  var network = new vis.Network(container, {nodes: nodeView, edges: edgeView}, options);
  window.soyakuNetwork = network;

  var stabilized = false, pendingHash = true;
  function report() {
    body.setAttribute('data-nodes-drawn', String(network.body.nodeIndices.length));
    body.setAttribute('data-edges-drawn', String(network.body.edgeIndices.length));
    body.setAttribute('data-scale', network.getScale().toFixed(3));
    body.setAttribute('data-nodes-total', String(DATA.nodes.length));
    body.setAttribute('data-edges-total', String(DATA.edges.length));
    body.setAttribute('data-pwned', String(window.pwned === undefined ? 'no' : window.pwned));
    body.setAttribute('data-nodes-offscreen', String(offscreen()));
    document.getElementById('status').textContent = nodeView.length + ' of ' + DATA.nodes.length + ' nodes, ' +
      edgeView.length + ' of ' + DATA.edges.length + ' relationships shown';
  }
  function offscreen() {  /* visible nodes whose centre lies outside the drawing area */
    var w = container.clientWidth, h = container.clientHeight, out = 0;
    var pos = network.getPositions(nodeView.getIds());
    Object.keys(pos).forEach(function (id) {
      var p = network.canvasToDOM(pos[id]);
      if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) out++;
    });
    return out;
  }
  network.on('stabilizationProgress', function (p) {
    document.getElementById('loading').textContent = 'Laying out the graph… ' + Math.round(100 * p.iterations / p.total) + '%';
  });
  network.on('stabilizationIterationsDone', function () {
    network.setOptions({physics: {enabled: false}});
    stabilized = true;
    document.getElementById('loading').className = 'done';
    body.setAttribute('data-physics', 'off');
    network.fit({animation: false, maxZoomLevel: 1.5});
    placeLabels();
    report();
    if (pendingHash) { pendingHash = false; applyHash(); }
    body.setAttribute('data-ready', '1');
    setTimeout(report, 300);  /* once more, after late events (image errors) had their chance */
  });
  function relayout(iterations) {
    document.getElementById('loading').className = '';
    body.setAttribute('data-physics', 'on');
    network.setOptions({physics: {enabled: true}});
    network.stabilize(iterations);
  }

  /* ---- node labels by zoom level ----
     Captions are drawn at LABEL_PX on screen whatever the zoom, so zooming in makes room between them. After every
     zoom, a greedy pass labels the nodes in order of importance (the focus, the selection and its neighbours, then
     by degree) and leaves out a caption whose box would overlap one already placed. */
  var measure = document.createElement('canvas').getContext('2d');
  measure.font = LABEL_PX + 'px ' + FONT_FACE;
  var widths = {};
  function textWidth(text) {
    if (!(text in widths)) widths[text] = measure.measureText(text).width;
    return widths[text];
  }
  var rank = {};
  DATA.nodes.slice().sort(function (a, b) { return b.degree - a.degree || (a.id < b.id ? -1 : 1); })
    .forEach(function (n, i) { rank[n.id] = i; });
  var placedScale = 0;
  function placeLabels() {
    var scale = placedScale = network.getScale();
    network.setOptions({nodes: {font: {size: LABEL_PX / scale}, widthConstraint: {maximum: WRAP_PX / scale}},
                        edges: {font: {size: EDGE_PX / scale}}});
    var first = {};
    network.getSelectedNodes().forEach(function (id) {
      first[id] = 2;
      network.getConnectedNodes(id).forEach(function (x) { first[x] = first[x] || 1; });
    });
    if (DATA.meta.focus) first[DATA.meta.focus] = 3;
    var ids = nodeView.getIds().sort(function (a, b) { return (first[b] || 0) - (first[a] || 0) || rank[a] - rank[b]; });
    var pos = network.getPositions(ids), placed = [], updates = [], shown = 0;
    ids.forEach(function (id) {
      var item = visNodes.get(id), node = network.body.nodes[id], p = pos[id];
      var text = item.caption || '', ok = false;
      if (text && node && p) {
        var w = textWidth(text), lines = Math.ceil(w / (WRAP_PX * 0.8)) || 1;  /* wrapping at words can add a line */
        var half = (Math.min(w, WRAP_PX) / 2 + PAD_PX) / scale, r = node.shape.height ? node.shape.height / 2 : (node.options.size || 10);
        var box = {l: p.x - half, r: p.x + half, t: p.y + (item.shape === 'box' ? -LINE_PX * lines / 2 / scale : r),
                   b: 0};
        box.b = box.t + (lines * LINE_PX + 2 * PAD_PX) / scale;
        ok = !placed.some(function (o) { return box.l < o.r && o.l < box.r && box.t < o.b && o.t < box.b; });
        if (ok) { placed.push(box); shown++; }
      }
      var want = ok ? text : '';
      if ((item.label || '') !== want) updates.push({id: id, label: want});
    });
    if (updates.length) visNodes.update(updates);
    body.setAttribute('data-labels-shown', String(shown));
    network.redraw();  /* now, so the drawn captions (and countOverlaps) follow at once */
  }
  var labelTimer = null;
  function scheduleLabels() {
    if (labelTimer) clearTimeout(labelTimer);
    labelTimer = setTimeout(function () {  /* then report: data-scale and data-nodes-offscreen follow a zoom too */
      labelTimer = null;
      if (stabilized) { placeLabels(); report(); }
    }, 60);
  }
  network.on('dragEnd', function (p) { if (p.nodes.length) scheduleLabels(); });
  network.on('afterDrawing', function () {
    var scale = network.getScale();  /* zoomed (wheel, pinch, Fit, a search jump): place the captions anew */
    if (Math.abs(scale - placedScale) > 1e-3 * scale) scheduleLabels();
    countOverlaps();
  });
  function countOverlaps() {  /* how many captions drawn in view overlap (the page's own check, read by tests) */
    var boxes = [], w = container.clientWidth, h = container.clientHeight, pos = network.getPositions(nodeView.getIds());
    Object.keys(pos).forEach(function (id) {
      var n = network.body.nodes[id], p = network.canvasToDOM(pos[id]);
      if (p.x < 0 || p.y < 0 || p.x > w || p.y > h) return;  /* vis-network does not draw it: its size is stale */
      if (n && n.options.label && n.labelModule && n.labelModule.size.width > 0) boxes.push(n.labelModule.size);
    });
    var overlaps = 0;
    for (var i = 0; i < boxes.length; i++) for (var j = i + 1; j < boxes.length; j++) {
      var a = boxes[i], b = boxes[j];
      if (a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height) overlaps++;
    }
    body.setAttribute('data-labels-drawn', String(boxes.length));
    body.setAttribute('data-label-overlaps', String(overlaps));
  }

  /* ---- edge labels ---- */
  var edgeMode = 'auto';
  function refreshEdgeLabels() {
    var mode = edgeMode === 'auto' ? (edgeView.length <= 60 ? 'all' : 'selected') : edgeMode;
    var sel = {};
    if (mode === 'selected') network.getSelectedNodes().forEach(function (id) { network.getConnectedEdges(id).forEach(function (e) { sel[e] = true; }); });
    network.getSelectedEdges().forEach(function (e) { sel[e] = true; });
    var updates = [];
    visEdges.forEach(function (e) {
      var want = (mode === 'all' || sel[e.id]) && mode !== 'none' ? e.caption : '';
      if ((e.label || '') !== want) updates.push({id: e.id, label: want});
    });
    if (updates.length) visEdges.update(updates);
  }
  document.getElementById('edge-labels').addEventListener('change', function (ev) { edgeMode = ev.target.value; refreshEdgeLabels(); });

  /* ---- legend (also the label filter) ---- */
  var counts = {};
  DATA.nodes.forEach(function (n) { counts[n.label] = (counts[n.label] || 0) + 1; });
  var SVG = 'http://www.w3.org/2000/svg';
  function symbol(shape, color) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('width', '16'); svg.setAttribute('height', '16'); svg.setAttribute('viewBox', '0 0 16 16');
    var p;
    if (shape === 'dot') { p = document.createElementNS(SVG, 'circle'); p.setAttribute('cx', '8'); p.setAttribute('cy', '8'); p.setAttribute('r', '6'); }
    else if (shape === 'square' || shape === 'box') { p = document.createElementNS(SVG, 'rect'); p.setAttribute('x', '2'); p.setAttribute('y', shape === 'box' ? '4' : '2'); p.setAttribute('width', '12'); p.setAttribute('height', shape === 'box' ? '8' : '12'); }
    else {
      var pts = {triangle: '8,1 15,14 1,14', triangleDown: '1,2 15,2 8,15', diamond: '8,1 15,8 8,15 1,8',
                 hexagon: '4,2 12,2 15,8 12,14 4,14 1,8', star: '8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6'}[shape] || '2,2 14,2 14,14 2,14';
      p = document.createElementNS(SVG, 'polygon'); p.setAttribute('points', pts);
    }
    p.setAttribute('fill', color); p.setAttribute('stroke', shade(color)); p.setAttribute('stroke-width', '1');
    svg.appendChild(p);
    return svg;
  }
  var legend = document.getElementById('legend');
  Object.keys(styles).forEach(function (label) {
    var s = styles[label];
    var li = el('li', {title: s.ja || label}, [symbol(s.shape, s.color), el('span', {cls: 'name', text: label}), el('span', {cls: 'count', text: String(counts[label] || 0)})]);
    li.setAttribute('data-label', label);
    if (!labelOn[label]) li.className = 'off';
    li.addEventListener('click', function () { labelOn[label] = !labelOn[label]; li.className = labelOn[label] ? '' : 'off'; applyFilters(); });
    legend.appendChild(li);
  });

  /* ---- ministry and round filters ---- */
  function fillSelect(id, list) {
    var select = document.getElementById(id), groups = {};
    list.forEach(function (g) {
      var o = el('option', {value: g.id, title: g.name, text: (g.caption || g.name) + ' (' + g.members.length + ')'});
      if (g.program) {  /* rounds: under their program */
        if (!groups[g.program]) { groups[g.program] = el('optgroup'); groups[g.program].label = g.program; select.appendChild(groups[g.program]); }
        groups[g.program].appendChild(o);
      } else select.appendChild(o);
    });
    if (!list.length) select.disabled = true;
    select.addEventListener('change', function () { groupSet[id] = select.value ? groupMembers(list, select.value) : null; applyFilters(); });
  }
  fillSelect('ministry', DATA.ministries);
  fillSelect('round', DATA.rounds);

  function applyFilters() {
    var selectedNodes = network.getSelectedNodes(), selectedEdges = network.getSelectedEdges();
    nodeView.refresh();
    edgeView.refresh();
    /* drop what the filter hid from the selection and from Details (else vis-network asks for edges of a node it no
       longer has) */
    var keepNodes = selectedNodes.filter(function (id) { return nodeView.get(id) !== null; });
    var keepEdges = selectedEdges.filter(function (id) { return edgeView.get(id) !== null; });
    network.setSelection({nodes: keepNodes, edges: keepEdges}, {unselectAll: true, highlightEdges: false});
    if (detailsOf && (detailsOf.node ? nodeView.get(detailsOf.node) === null : edgeView.get(detailsOf.edge) === null)) showDetails(null);
    if (body.getAttribute('data-selected') && keepNodes.indexOf(body.getAttribute('data-selected')) < 0) body.setAttribute('data-selected', '');
    refreshEdgeLabels();
    report();
    if (stabilized) relayout(200);  /* ends in a fit to what is visible, then places the labels */
  }
  document.getElementById('reset').addEventListener('click', function () {
    Object.keys(styles).forEach(function (l) { labelOn[l] = (l !== 'Document') || DATA.meta.showDocuments; });
    Array.prototype.forEach.call(legend.children, function (li) { li.className = labelOn[li.getAttribute('data-label')] ? '' : 'off'; });
    document.getElementById('ministry').value = ''; document.getElementById('round').value = '';
    groupSet.ministry = groupSet.round = null;
    applyFilters();
  });
  document.getElementById('fit').addEventListener('click', function () { network.fit({animation: true}); });
  document.getElementById('relayout').addEventListener('click', function () { relayout(400); });

  /* ---- details ---- */
  var details = document.getElementById('details');
  var hint = details.firstElementChild;
  var detailsOf = null;  /* {node: id} or {edge: id} */
  function showDetails(card, ref) {
    details.textContent = '';
    details.appendChild(card || hint);
    detailsOf = card ? ref : null;
    body.setAttribute('data-details', detailsOf ? (detailsOf.node || detailsOf.edge) : '');
  }
  function showNode(id) { showDetails(nodeCard(byId[id], 1000, 'card'), {node: id}); }
  network.on('select', function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showDetails(edgeCard(edgeById[p.edges[0]], 1000, 'card'), {edge: p.edges[0]});
    else showDetails(null);
    refreshEdgeLabels();
    scheduleLabels();
  });

  /* ---- search ---- */
  function key(text) { return String(text).normalize('NFKC').replace(/[\s・･\-‐‑–—_]+/g, '').toLowerCase(); }
  var search = document.getElementById('search'), results = document.getElementById('results');
  function matches(q) {
    var k = key(q); if (!k) return [];
    var exact = [], part = [];
    DATA.nodes.forEach(function (n) {
      if (n.keys.indexOf(k) >= 0) exact.push(n);
      else if (n.keys.some(function (x) { return x.indexOf(k) >= 0; })) part.push(n);
    });
    return exact.concat(part);
  }
  function selectNode(id) {
    var n = byId[id]; if (!n) return;
    if (!nodeVisible(n)) {   /* reveal it: turn its label on and drop group filters that hide it */
      labelOn[n.label] = true;
      Array.prototype.forEach.call(legend.children, function (li) { if (li.getAttribute('data-label') === n.label) li.className = ''; });
      if (groupSet.ministry && !groupSet.ministry[id]) { groupSet.ministry = null; document.getElementById('ministry').value = ''; }
      if (groupSet.round && !groupSet.round[id]) { groupSet.round = null; document.getElementById('round').value = ''; }
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, {scale: 1.4, animation: {duration: 400}});
    showNode(id);
    refreshEdgeLabels();
    body.setAttribute('data-selected', id);
  }
  function showResults() {
    results.textContent = '';
    matches(search.value).slice(0, 12).forEach(function (n, i) {
      var li = el('li', null, [el('span', {text: n.name}), el('span', {cls: 'kind', text: n.label})]);
      if (i === 0) li.className = 'active';
      li.addEventListener('click', function () { selectNode(n.id); });
      results.appendChild(li);
    });
    body.setAttribute('data-search-results', String(results.children.length));
  }
  search.addEventListener('input', showResults);
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { var m = matches(search.value); if (m.length) selectNode(m[0].id); }
  });

  /* ---- deep links: #select=<id>, #search=<text>, #ministry=<id>, #round=<id> ---- */
  function applyHash() {
    var params = new URLSearchParams(location.hash.slice(1));
    if (params.get('search')) { search.value = params.get('search'); showResults(); }
    if (params.get('select')) selectNode(params.get('select'));
    else if (DATA.meta.focus && byId[DATA.meta.focus]) { network.selectNodes([DATA.meta.focus]); showNode(DATA.meta.focus); refreshEdgeLabels(); }
    ['ministry', 'round'].forEach(function (id) {  /* #ministry=<id>, #round=<id>: set a filter */
      if (!params.has(id)) return;
      var select = document.getElementById(id);
      select.value = params.get(id);
      select.dispatchEvent(new Event('change'));
    });
  }
  window.addEventListener('hashchange', applyHash);

  refreshEdgeLabels();
  report();
})();
