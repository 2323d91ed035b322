// Text areas grow with their text. CSS `field-sizing: content` does it where supported (Chromium);
// elsewhere this sets each text area's height (worksheets, the challenge's notes) from its content.
(() => {
  if (CSS.supports("field-sizing", "content")) return;
  const fit = (area) => {
    area.style.height = "auto";
    area.style.height = `${area.scrollHeight + area.offsetHeight - area.clientHeight}px`;
  };
  const all = () => document.querySelectorAll(".md-typeset textarea").forEach(fit);
  for (const type of ["input", "focusin"]) {
    document.addEventListener(type, (event) => {
      if (event.target.matches(".md-typeset textarea")) fit(event.target);
    });
  }
  // answers are written in by script: after loading, and when another tab or deal changes them
  addEventListener("load", all);
  addEventListener("storage", () => requestAnimationFrame(all));
  document.addEventListener("change", () => requestAnimationFrame(all));
})();
