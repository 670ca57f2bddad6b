// Loaded by the pages of Graphgate's admin consent callback for a connect session. The page carries the result in
// data attributes (escaped like every value on the page); this tells the Connect UI that opened the window, and only a
// window on Graphgate's own origin receives it (postMessage's target origin).
(function () {
  'use strict';
  var element = document.getElementById('graphgate-admin-consent');
  if (!element || !window.opener) {
    return;
  }
  var result;
  try {
    result = JSON.parse(element.getAttribute('data-result'));
  } catch (e) {
    return;
  }
  window.opener.postMessage({ type: 'graphgate:admin_consent', result: result }, element.getAttribute('data-origin'));
})();
