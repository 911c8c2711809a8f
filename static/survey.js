// Progressive enhancement of the survey page: submit in place with the public CSAT API and
// swap in the server-rendered result. Without JavaScript the forms post and redirect.
(function () {
  "use strict";
  var main = document.getElementById("survey");
  if (!main || !window.fetch) { return; }
  var uuid = main.getAttribute("data-uuid");

  function swap() {
    return fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var next = new DOMParser().parseFromString(html, "text/html").getElementById("survey");
        if (next) { main.innerHTML = next.innerHTML; bind(); var s = main.querySelector("[role=status]"); if (s) { s.setAttribute("tabindex", "-1"); s.focus(); } }
      });
  }

  function send(rating, feedback) {
    var body = { message: { submitted_values: { csat_survey_response: { rating: rating, feedback_message: feedback || "" } } } };
    return fetch("/public/api/v1/csat_survey/" + encodeURIComponent(uuid), {
      method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body)
    }).then(function (r) {
      if (r.ok) { return swap(); }
      return r.json().then(function (e) { showError(e.error || e.message || "Error"); });
    });
  }

  function showError(text) {
    var p = main.querySelector(".error");
    if (!p) { p = document.createElement("p"); p.className = "error"; p.setAttribute("role", "alert"); main.insertBefore(p, main.querySelector("form")); }
    p.textContent = text;
  }

  function bind() {
    Array.prototype.forEach.call(main.querySelectorAll("form[data-enhance]"), function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var submitter = event.submitter || document.activeElement;
        var rating = submitter && submitter.name === "rating" ? submitter.value : (form.elements.rating && form.elements.rating.value);
        var feedback = form.elements.feedback_message ? form.elements.feedback_message.value : "";
        Array.prototype.forEach.call(form.querySelectorAll("button"), function (b) { b.disabled = true; });
        send(Number(rating), feedback).catch(function () { form.submit(); });
      });
    });
  }
  bind();
})();
