// Filters the plays index by "when" and by tag. Without JavaScript every play stays visible.
(() => {
  const form = document.querySelector(".play-filter");
  if (!form) return;
  const cards = [...document.querySelectorAll(".play-card")];
  const count = form.querySelector(".play-filter__count");
  const apply = () => {
    const when = [...form.querySelectorAll("input[name=when]:checked")].map((i) => i.value);
    const tag = form.elements.tag.value;
    let shown = 0;
    for (const card of cards) {
      const cardWhen = card.dataset.when.split(" ");
      const match = (!when.length || when.some((w) => cardWhen.includes(w)))
        && (!tag || card.dataset.tags.split(" ").includes(tag));
      card.hidden = !match;
      shown += match;
    }
    count.textContent = `${shown} of ${cards.length} plays`;
  };
  form.hidden = false;
  form.addEventListener("change", apply);
  form.addEventListener("submit", (event) => event.preventDefault());
  apply();
})();
