// Names two landmarks that Material leaves unnamed, which screen readers announce as bare
// "dialog" / "navigation" (axe-core: aria-dialog-name, landmark-unique).
(function () {
  "use strict";
  var search = document.querySelector(".md-search[role=dialog]");
  var input = document.querySelector(".md-search__input");
  if (search && input) search.setAttribute("aria-label", input.getAttribute("aria-label"));
  // A section with an index page labels its nav with an icon-only <label>: use the section's title.
  document.querySelectorAll("nav.md-nav[aria-labelledby]").forEach(function (nav) {
    var label = document.getElementById(nav.getAttribute("aria-labelledby"));
    var title = nav.querySelector(":scope > .md-nav__title");
    if (label && !label.textContent.trim() && title) {
      nav.removeAttribute("aria-labelledby");
      nav.setAttribute("aria-label", title.textContent.trim());
    }
  });
})();
