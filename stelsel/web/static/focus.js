// Progressive enhancement: after a search or a failed form, move focus (and view) to the
// element the server marked with data-focus: the results heading or the error summary.
// Without JavaScript the form's #fragment and the autofocus attribute do the same job.
document.addEventListener("DOMContentLoaded", function () {
  var doel = document.querySelector("[data-focus]");
  if (doel && document.activeElement !== doel) {
    doel.focus({ preventScroll: true });
    doel.scrollIntoView({ block: "start" });
  }
});
