// Starts Swagger UI on /openapi.json (kept out of the page so no inline script is needed).
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  if (typeof window.SwaggerUIBundle !== "function") {
    document.getElementById("swagger-ui").textContent =
      "The interactive viewer could not be loaded; read /openapi.json instead.";
    return;
  }
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
