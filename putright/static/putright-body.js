// Marks the page as having JavaScript, and GOV.UK Frontend as supported, before the page is drawn:
// GOV.UK Frontend's styles for components with JavaScript depend on these classes. A file rather than
// an inline script, so that the Content-Security-Policy can refuse every inline script.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
