/* Parallax survey widget: shows an organisation's customer survey on its own web site, in an iframe.
 * Served as is by GET /widget.js (src/server/routes/widget.ts); the README lists the attributes:
 *   <script src="https://cx.example.com/widget.js" data-survey="SURVEY_ID" data-touchpoint="checkout"
 *           data-segment-region="EMEA" async></script>
 * Adds one element (a div after the script, or inside data-target) and one message listener; no globals,
 * no style sheet, styles set through the DOM only, so a strict host CSP (no 'unsafe-inline') is enough. */
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || !script.src) return;
  var attr = function (n) { return script.getAttribute('data-' + n) || ''; };
  var warn = function (m) { if (window.console) console.warn('Parallax widget: ' + m); };
  var survey = attr('survey');
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(survey)) return warn('data-survey must be the survey id of its link (/s/<id>)');
  // Relative to this script: keeps a path prefix (https://example.com/parallax/widget.js) and the origin
  // that messages from the survey must come from.
  var url = new URL('s/' + survey, script.src);
  var origin = url.origin;
  // The server frames the page only for an origin the organisation declared, and names it as the only
  // receiver of the page's messages.
  url.searchParams.set('widget', location.origin);
  if (attr('touchpoint')) url.searchParams.set('touchpoint', attr('touchpoint'));
  for (var i = 0; i < script.attributes.length; i++) {
    var a = script.attributes[i];
    var m = /^data-segment-([a-z][a-z0-9_-]*)$/.exec(a.name);
    if (m && a.value) url.searchParams.set('segment.' + m[1].replace(/-/g, '_'), a.value);
  }
  var title = attr('title') || 'Customer survey';

  var el = function (tag, style) {
    var e = document.createElement(tag);
    for (var k in style) e.style[k] = style[k];
    return e;
  };
  var box = el('div', { maxWidth: '42rem' });
  box.className = 'parallax-widget';
  var frame = el('iframe', { display: 'block', width: '100%', height: '32rem', border: '0' });
  frame.title = title;

  // The survey page reports its height; only from our origin, from this frame, in the agreed shape.
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (e.origin !== origin || e.source !== frame.contentWindow || !d || d.type !== 'parallax:height') return;
    if (typeof d.height === 'number' && d.height > 0 && d.height < 20000) frame.style.height = Math.ceil(d.height) + 'px';
  });

  var label = attr('button');
  if (label) {
    // A button that opens the survey in a modal dialog: the browser's <dialog> keeps focus inside and
    // closes on Escape. The survey loads on first opening, not with the host page.
    var button = el('button');
    button.type = 'button';
    button.textContent = label;
    var dialog = el('dialog', { width: 'min(44rem, 96vw)', maxHeight: '92vh', padding: '0', border: '0', borderRadius: '12px', overflow: 'auto' });
    dialog.setAttribute('aria-label', title);
    var close = el('button', { display: 'block', margin: '.5rem .5rem 0 auto' });
    close.type = 'button';
    close.textContent = 'Close';
    close.addEventListener('click', function () { dialog.close(); });
    dialog.appendChild(close);
    dialog.appendChild(frame);
    button.addEventListener('click', function () {
      if (!frame.src) frame.src = url.href;
      dialog.showModal();
    });
    box.appendChild(button);
    box.appendChild(dialog);
  } else {
    frame.src = url.href;
    box.appendChild(frame);
  }

  var place = function () {
    var target = attr('target') && document.getElementById(attr('target'));
    if (target) target.appendChild(box);
    else if (script.parentNode && script.parentNode !== document.head) script.parentNode.insertBefore(box, script.nextSibling);
    else document.body.appendChild(box);
  };
  // An async script may run before the rest of the page is parsed: a target or a <body> may not exist yet.
  if (document.readyState === 'loading' && (attr('target') || !script.parentNode || script.parentNode === document.head))
    document.addEventListener('DOMContentLoaded', place);
  else place();
})();
