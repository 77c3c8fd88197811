// Progressive enhancement; every page works without it.
document.addEventListener("DOMContentLoaded", function () {
  // After a search or a failed form, move focus (and view) to the element the server marked
  // with data-focus: the results heading or the error summary. Without JavaScript the form's
  // #fragment and the autofocus attribute do the same job.
  var doel = document.querySelector("[data-focus]");
  if (doel && document.activeElement !== doel) {
    doel.focus({ preventScroll: true });
    doel.scrollIntoView({ block: "start" });
  }
  // A form marked data-eenmalig is sent once: a second click does not send it again.
  document.querySelectorAll("form[data-eenmalig]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (form.dataset.verstuurd) { e.preventDefault(); return; }
      form.dataset.verstuurd = "ja";
    });
  });
});
