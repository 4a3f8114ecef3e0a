/* The 中文 / English switch (docs/tools/editions.py puts it on every page): opens the
 * twin page at the section being read. The link already leads to the twin; on a click
 * this adds the anchor of the section at the top of the text, translated by the link's
 * data-anchors ("this=twin" pairs, or one id where both pages use the same). */
(function () {
  var link = document.getElementById('wb-lang');
  if (!link) return;
  var twin = {};
  (link.getAttribute('data-anchors') || '').split(' ').forEach(function (pair) {
    if (!pair) return;
    var ids = pair.split('=');
    twin[ids[0]] = ids.length > 1 ? ids[1] : ids[0];
  });

  // The section being read: the last heading whose top has reached the top of the text
  // (Doxygen scrolls #doc-content, not the window).
  function sectionInView() {
    var pane = document.getElementById('doc-content') || document.documentElement;
    var top = Math.max(0, pane.getBoundingClientRect().top) + 24;
    var found = null;
    var headings = document.querySelectorAll('.contents h1, .contents h2, .contents h3, .contents h4');
    for (var i = 0; i < headings.length; i++) {
      var anchor = headings[i].querySelector('a.anchor[id]');
      if (!anchor || !(anchor.id in twin)) continue;
      if (headings[i].getBoundingClientRect().top > top) break;
      found = anchor.id;
    }
    return found;
  }

  link.addEventListener('click', function () {
    var id = sectionInView();
    var page = link.getAttribute('href').split('#')[0];
    link.setAttribute('href', id ? page + '#' + twin[id] : page);
  });
})();
