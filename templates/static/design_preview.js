// Keeps a design preview live: when the design or language chosen in the preview form changes,
// the picture is asked for again and the "use this design" form takes the choice. Without
// scripts the form's button reloads the page with the choice instead.
(function () {
  "use strict";
  var form = document.getElementById("design-preview-form");
  var img = document.getElementById("design-preview");
  if (!form || !img) return;
  var chosen = document.getElementById("design-chosen");
  function update() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (field.name && field.value) params.set(field.name, field.value);
    });
    params.set("format", "png");
    var competition = img.getAttribute("data-competition");
    if (competition) params.set("competition", competition);
    img.setAttribute("aria-busy", "true");
    img.src = "/app/design-preview?" + params.toString();
    if (chosen && form.elements.design) chosen.value = form.elements.design.value;
  }
  img.addEventListener("load", function () { img.removeAttribute("aria-busy"); });
  form.addEventListener("change", update);
  var show = document.getElementById("design-show");
  if (show) show.hidden = true;
})();
