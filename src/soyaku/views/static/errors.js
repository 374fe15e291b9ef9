/* Record every error into the DOM, so headless checks (and curious users) can read it. */
(function () {
  var errors = [];
  function record(message) {
    errors.push(String(message));
    document.documentElement.setAttribute('data-js-errors', String(errors.length));
    document.documentElement.setAttribute('data-js-error-text', errors.join(' | ').slice(0, 2000));
  }
  window.addEventListener('error', function (e) { record(e.message || (e.target && e.target.tagName) || 'error'); }, true);
  window.addEventListener('unhandledrejection', function (e) { record('unhandled rejection: ' + e.reason); });
  var original = console.error;
  console.error = function () { record(Array.prototype.join.call(arguments, ' ')); return original.apply(console, arguments); };
  document.documentElement.setAttribute('data-js-errors', '0');
})();
