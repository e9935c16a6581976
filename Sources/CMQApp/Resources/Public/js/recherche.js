// Progressive enhancement of the search pages; everything works without it.
// - On a wide screen the "Filtrer" panel opens (on a phone it stays folded: the results come first).
// - "Autour de moi" asks the browser where the person is and searches around that point (cmq finds the
//   nearest commune); the position is sent once in the query and kept nowhere.
(function () {
  "use strict";
  var panel = document.getElementById("filtres");
  if (panel && window.matchMedia && window.matchMedia("(min-width: 62rem)").matches) { panel.open = true; }

  var field = document.getElementById("f-pres");
  if (!field || !navigator.geolocation) { return; }
  var button = document.createElement("button");
  button.type = "button";
  button.className = "button-secondary near-me";
  button.textContent = "Autour de moi";
  var status = document.createElement("span");
  status.className = "hint";
  status.setAttribute("role", "status");
  var submit = field.form.querySelector("button[type=submit]");
  submit.parentNode.insertBefore(button, submit.nextSibling);
  button.parentNode.insertBefore(status, button.nextSibling);
  button.addEventListener("click", function () {
    status.textContent = "Recherche de votre position…";
    navigator.geolocation.getCurrentPosition(function (position) {
      field.value = position.coords.latitude.toFixed(4) + "," + position.coords.longitude.toFixed(4);
      status.textContent = "";
      field.form.submit();
    }, function () {
      status.textContent = "Position indisponible : écrivez une commune ou un code postal.";
    }, { maximumAge: 600000, timeout: 10000 });
  });
})();
