/* Soyaku KG explorer: name suggestions as you type (an ARIA combobox) and small networks (vis-network).
   Every text from the graph reaches the page through textContent or vis-network's canvas, never as HTML. */
(function () {
  'use strict';

  function suggest(input) {
    var list = document.getElementById(input.getAttribute('aria-controls'));
    if (!list) return;
    var items = [], active = -1, timer = null, asked = '';
    var form = input.form;
    var toEntity = input.closest('header, .big-search') !== null;

    function close() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); input.removeAttribute('aria-activedescendant'); active = -1; }
    function mark(i) {
      active = i;
      Array.prototype.forEach.call(list.children, function (li, j) { li.setAttribute('aria-selected', j === i ? 'true' : 'false'); });
      if (i >= 0) { input.setAttribute('aria-activedescendant', list.children[i].id); list.children[i].scrollIntoView({block: 'nearest'}); }
    }
    function choose(i) {
      var item = items[i];
      if (!item) return;
      if (toEntity) { window.location.href = '/entity/' + encodeURIComponent(item.id); return; }
      input.value = item.id; close();
    }
    function show(data) {
      items = data; list.textContent = '';
      data.forEach(function (item, i) {
        var li = document.createElement('li');
        li.id = list.id + '-' + i; li.setAttribute('role', 'option'); li.setAttribute('aria-selected', 'false');
        var name = document.createElement('span'); name.textContent = item.name; li.appendChild(name);
        var hint = document.createElement('span'); hint.className = 'hint';
        hint.textContent = ' ' + item.label + (item.name_en && item.name_en !== item.name ? ' · ' + item.name_en : '') + (item.close ? ' ?' : '');
        li.appendChild(hint);
        li.addEventListener('mousedown', function (ev) { ev.preventDefault(); choose(i); });
        list.appendChild(li);
      });
      list.hidden = data.length === 0;
      input.setAttribute('aria-expanded', data.length ? 'true' : 'false');
      document.body.setAttribute('data-suggestions', String(data.length));
    }
    function ask() {
      var q = input.value.trim();
      if (q === asked) return;
      asked = q;
      if (!q) { show([]); return; }
      fetch('/search/suggest?q=' + encodeURIComponent(q), {headers: {Accept: 'application/json'}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (data) { if (input.value.trim() === q) show(data); })
        .catch(function () { show([]); });
    }
    input.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(ask, 120); });
    input.addEventListener('keydown', function (ev) {
      if (list.hidden) return;
      if (ev.key === 'ArrowDown') { ev.preventDefault(); mark(Math.min(active + 1, items.length - 1)); }
      else if (ev.key === 'ArrowUp') { ev.preventDefault(); mark(Math.max(active - 1, 0)); }
      else if (ev.key === 'Enter' && active >= 0) { ev.preventDefault(); choose(active); }
      else if (ev.key === 'Escape') { close(); }
    });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
    if (form) form.addEventListener('submit', close);
  }

  function drawNetwork(box) {
    var source = document.getElementById(box.getAttribute('data-network'));
    if (!source || typeof vis === 'undefined') return;
    var data = JSON.parse(source.textContent), styles = data.styles, graph = data.graph;
    var lang = document.documentElement.lang;
    var nodes = new vis.DataSet(graph.nodes.map(function (n) {
      var s = styles[n.label] || {color: '#cccccc', shape: 'dot'};
      var name = lang === 'en' && n.name_en ? n.name_en : n.name;
      return {id: n.id, label: name.length > 30 ? name.slice(0, 29) + '…' : name, title: name + ' (' + n.label + ')',
              color: s.color, shape: ['star', 'triangle', 'triangleDown', 'square', 'hexagon', 'diamond', 'dot'].indexOf(s.shape) >= 0 ? s.shape : 'dot',
              size: 12, font: {size: 13}};
    }));
    var edges = new vis.DataSet(graph.edges.map(function (e, i) {
      return {id: i, from: e.source, to: e.target, label: e.type, arrows: 'to', font: {size: 9, align: 'middle'}, color: {color: '#999'}};
    }));
    var network = new vis.Network(box, {nodes: nodes, edges: edges}, {
      physics: {stabilization: {iterations: 200}, barnesHut: {springLength: 140}},
      interaction: {hover: true, keyboard: {enabled: true, bindToWindow: false}}
    });
    network.once('stabilizationIterationsDone', function () { network.setOptions({physics: false}); box.setAttribute('data-ready', '1'); });
    network.on('click', function (params) {
      if (params.nodes.length) window.location.href = '/entity/' + encodeURIComponent(params.nodes[0]);
    });
  }

  /* On a document page, #L228 also brings the facts citing line 228 into view in their list. */
  function showCitations() {
    var m = /^#L([0-9]+)$/.exec(window.location.hash), facts = m && document.getElementById('F' + m[1]);
    if (facts && facts.parentNode) facts.parentNode.scrollTop = facts.offsetTop - facts.parentNode.offsetTop;
  }

  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('input[data-suggest]'), suggest);
    Array.prototype.forEach.call(document.querySelectorAll('[data-network]'), drawNetwork);
    showCitations();
    window.addEventListener('hashchange', showCitations);
    document.body.setAttribute('data-ready', '1');
  });
})();
