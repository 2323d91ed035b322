/* The zone-of-possible-agreement picture, drawn the same on a worksheet and on the deal brief.
 *
 * PlaybookZopa.draw(figure, meanings): `figure` holds an <svg> and a <figcaption>; `meanings` are
 * what the four numbers mean (PlaybookAnswers.number of each: my walk-away, my target, their
 * walk-away, their target). Until all four are numbers it understood, it draws nothing and the
 * caption says what is missing. Every figure reaches the picture as SVG text content, never markup.
 */
((root, make) => {
  root.PlaybookZopa = make();
})(globalThis, () => {
  const SVG = "http://www.w3.org/2000/svg";
  const svgEl = (name, attrs, text) => {
    const el = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
    if (text !== undefined) el.textContent = text;
    return el;
  };

  const draw = (zopa, meanings) => {
    const picture = zopa.querySelector("svg");
    const caption = zopa.querySelector("figcaption");
    const [myWalk, myTarget, theirWalk, theirTarget] = meanings.map((m) => (m.ok ? m.value : null));
    zopa.classList.remove("canvas-zopa--none");
    if (meanings.some((m) => !m.ok || m.value === null)) {
      picture.style.display = "none"; // an <svg> has no `hidden` property, and the attribute is not valid on it
      picture.replaceChildren();
      caption.textContent = meanings.some((m) => !m.ok)
        ? "The picture needs numbers it can read: see the note beside each marked number above."
        : "Fill in the four numbers above to see whether there is room for a deal.";
      return;
    }
    // If my target is above my walk-away I want the figure high (selling); otherwise low (buying).
    const wantHigh = myTarget !== myWalk ? myTarget > myWalk : theirTarget < theirWalk;
    const [low, high] = wantHigh ? [myWalk, theirWalk] : [theirWalk, myWalk];
    const fmt = (n) => n.toLocaleString();
    const values = [myWalk, myTarget, theirWalk, theirTarget];
    const min = Math.min(...values);
    const span = Math.max(...values) - min || 1;
    const x = (n) => 48 + ((n - min) / span) * 256;
    picture.replaceChildren();
    if (low <= high) {
      picture.append(svgEl("rect", { class: "zone", x: x(low), y: 4, width: Math.max(x(high) - x(low), 2), height: 48 }));
    }
    const bar = (from, to, y, cls, label) => {
      picture.append(
        svgEl("line", { class: cls, x1: x(from), x2: x(to), y1: y, y2: y }),
        svgEl("circle", { class: cls, cx: x(from), cy: y, r: 4 }),
        svgEl("text", { x: x(from), y: y - 7, "text-anchor": "middle" }, fmt(from)),
        svgEl("text", { x: x(to), y: y - 7, "text-anchor": "middle" }, fmt(to)),
        svgEl("text", { x: 2, y: y + 4, class: "who" }, label),
      );
    };
    bar(myWalk, myTarget, 22, "mine", "Me");
    bar(theirWalk, theirTarget, 46, "theirs", "Them");
    picture.append(svgEl("line", { class: "axis", x1: 48, x2: 304, y1: 62, y2: 62 }));
    picture.style.display = "";
    if (low <= high) {
      caption.textContent = `Zone of possible agreement: from ${fmt(low)} to ${fmt(high)}. Each range runs from a walk-away point (dot) to a target; the shaded band is where both walk-away points are met.`;
    } else {
      zopa.classList.add("canvas-zopa--none");
      caption.textContent = `Warning: no zone of possible agreement. Your walk-away point (${fmt(myWalk)}) is beyond your estimate of theirs (${fmt(theirWalk)}), so no figure would satisfy you both. Check your estimate, strengthen your alternatives, or look for ways to grow the pie before you meet.`;
    }
  };

  return { draw };
});
