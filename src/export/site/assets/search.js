// mkn site search: words and facets over the prebuilt index in
// search-index.js (window.MKN_INDEX), in the browser, offline.
(function () {
  "use strict";
  var index = window.MKN_INDEX;
  var form = document.getElementById("search-form");
  if (!index || !form) { return; }
  var input = document.getElementById("search-input");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  var docs = index.docs, terms = index.terms, labels = index.labels || {};
  var noun = index.noun || "practices";
  var one = noun.replace(/s$/, "");
  var LIMIT = 50;
  // Facet key -> the values of a document: its item `at` (a municipal
  // corpus's kind, areas, regions, tiers, year), else d[9] in facet order.
  var facets = {};
  (index.facets || []).forEach(function (facet, i) {
    facets[facet.key] = facet.at === undefined
      ? function (d) { return d[9][i]; }
      : function (d) {
        var v = d[facet.at];
        if (v === null || v === "") { return []; }
        return Array.isArray(v) ? v : [String(v)];
      };
  });
  var selects = {};
  Object.keys(facets).forEach(function (key) {
    selects[key] = document.getElementById("facet-" + key);
  });

  function words(text) {
    return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(function (w) { return w; });
  }

  // Documents with a word that starts with `prefix` (binary search on the sorted terms).
  function matching(prefix) {
    var lo = 0, hi = terms.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (terms[mid][0] < prefix) { lo = mid + 1; } else { hi = mid; }
    }
    var found = new Set();
    for (var i = lo; i < terms.length && terms[i][0].lastIndexOf(prefix, 0) === 0; i++) {
      terms[i][1].forEach(function (n) { found.add(n); });
    }
    return found;
  }

  function label(key, value) {
    var named = labels[key] && labels[key][value];
    if (named) { return named; }
    return value.charAt(0).toUpperCase() + value.slice(1);
  }

  function chosen() {
    var out = {};
    Object.keys(selects).forEach(function (key) {
      if (selects[key] && selects[key].value) { out[key] = selects[key].value; }
    });
    return out;
  }

  function passes(d, filters, except) {
    return Object.keys(filters).every(function (key) {
      return key === except || facets[key](d).indexOf(filters[key]) >= 0;
    });
  }

  // Options with counts over the documents that match the words and the other facets.
  function fillFacets(candidates, filters) {
    Object.keys(selects).forEach(function (key) {
      var select = selects[key];
      if (!select) { return; }
      var counts = {};
      candidates.forEach(function (n) {
        if (!passes(docs[n], filters, key)) { return; }
        facets[key](docs[n]).forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
      });
      var current = select.value;
      if (current && !(current in counts)) { counts[current] = 0; }
      var values = Object.keys(counts).sort(function (a, b) {
        return key === "year" ? b - a : label(key, a).localeCompare(label(key, b));
      });
      while (select.options.length > 1) { select.remove(1); }
      values.forEach(function (v) {
        var option = document.createElement("option");
        option.value = v;
        option.textContent = label(key, v) + " (" + counts[v] + ")";
        select.appendChild(option);
      });
      select.value = current;
    });
  }

  function render(hits, total, query) {
    list.textContent = "";
    hits.slice(0, LIMIT).forEach(function (n) {
      var d = docs[n];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = d[0];
      a.textContent = d[1];
      li.appendChild(a);
      if (d[2]) {
        var badge = document.createElement("span");
        badge.className = d[2] === "best" ? "badge best" : "badge";
        badge.textContent = d[2];
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge);
      }
      var meta = document.createElement("p");
      meta.textContent = [d[7], d[6]].filter(function (x) { return x !== null && x !== ""; }).join(" · ");
      li.appendChild(meta);
      if (d[8]) {
        var summary = document.createElement("p");
        summary.textContent = d[8];
        li.appendChild(summary);
      }
      list.appendChild(li);
    });
    if (!query) {
      status.textContent = "Type words or choose a filter to search " + docs.length + " " + noun + ".";
    } else if (total === 0) {
      status.textContent = "No " + one + " matches.";
    } else {
      status.textContent = total + (total === 1 ? " " + one + " matches" : " " + noun + " match") +
        (total > LIMIT ? "; the first " + LIMIT + " are shown." : ".");
    }
  }

  function update() {
    var query = words(input.value);
    var filters = chosen();
    var candidates = null;
    query.forEach(function (w) {
      var found = matching(w);
      candidates = candidates === null ? found
        : new Set(Array.from(candidates).filter(function (n) { return found.has(n); }));
    });
    var all = candidates === null;
    if (all) { candidates = new Set(docs.map(function (_, n) { return n; })); }
    fillFacets(candidates, filters);
    var active = !all || Object.keys(filters).length > 0;
    var hits = active ? Array.from(candidates).filter(function (n) { return passes(docs[n], filters); }) : [];
    var score = function (n) {
      var title = docs[n][1].toLowerCase();
      return query.reduce(function (s, w) { return s + (title.indexOf(w) >= 0 ? 3 : 1); }, 0);
    };
    hits.sort(function (a, b) { return score(b) - score(a) || docs[a][1].localeCompare(docs[b][1]); });
    render(hits, hits.length, active);
    var params = new URLSearchParams();
    if (input.value) { params.set("q", input.value); }
    Object.keys(filters).forEach(function (k) { params.set(k, filters[k]); });
    try {
      history.replaceState(null, "", params.toString() ? "?" + params.toString() : location.pathname);
    } catch (e) { /* file:// pages may not change their address */ }
  }

  var given = new URLSearchParams(location.search);
  input.value = given.get("q") || "";
  update();
  Object.keys(selects).forEach(function (key) {
    if (selects[key] && given.get(key)) {
      if (!Array.prototype.some.call(selects[key].options, function (o) { return o.value === given.get(key); })) {
        var option = document.createElement("option");
        option.value = given.get(key);
        option.textContent = label(key, given.get(key));
        selects[key].appendChild(option);
      }
      selects[key].value = given.get(key);
    }
  });
  update();
  input.addEventListener("input", update);
  Object.keys(selects).forEach(function (key) {
    if (selects[key]) { selects[key].addEventListener("change", update); }
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
})();
