// Starts Swagger UI on /docs (a file of its own: the Content-Security-Policy forbids inline script).
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
