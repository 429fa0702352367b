// Starts Swagger UI on the API's documentation page with the settings the page carries as JSON
// (putright/api/docs.py), from a file rather than an inline script.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-settings").textContent);
  settings.dom_id = "#swagger-ui";
  settings.presets = [window.SwaggerUIBundle.presets.apis];
  window.SwaggerUIBundle(settings);
})();
