// Starts GOV.UK Frontend's components. The script tag that loads this file names GOV.UK Frontend's
// module by its published address (hashed in production), which a fixed import here could not know.
const script = document.querySelector("script[data-govuk-frontend]");
if (script) {
  import(script.dataset.govukFrontend).then((govuk) => govuk.initAll());
}
