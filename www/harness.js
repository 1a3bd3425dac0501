// Loads steadfetch into the harness page as `window.sf` (a module script, allowed by the CSP).
window.sfReady = import('/js/index.js').then((m) => {
  window.sf = m;
  return m;
});
