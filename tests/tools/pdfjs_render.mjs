// Render one page of a PDF as Firefox's pdf.js draws it, form fields included, to a PNG, and print
// the value pdf.js reads in each field, as JSON ({"name": "value"}; a radio group's is its chosen
// button's value, or "Off").
//   node pdfjs_render.mjs <node_modules> <file.pdf> <page number> <out.png> [scale, 1 for 72 dpi]
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, file, number, out, scale = "1"] = process.argv.slice(2);
const pdfjs = await import(pathToFileURL(join(modules, "pdfjs-dist/legacy/build/pdf.mjs")));
const { createCanvas } = createRequire(join(modules, "x.js"))("@napi-rs/canvas");
const doc = await pdfjs.getDocument({
  data: new Uint8Array(readFileSync(file)),
  standardFontDataUrl: join(modules, "pdfjs-dist/standard_fonts/"),
}).promise;
const page = await doc.getPage(Number(number));
const viewport = page.getViewport({ scale: Number(scale) });
const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
const context = canvas.getContext("2d");
context.fillStyle = "white";
context.fillRect(0, 0, canvas.width, canvas.height);
await page.render({ canvasContext: context, viewport, annotationMode: pdfjs.AnnotationMode.ENABLE }).promise;
writeFileSync(out, canvas.toBuffer("image/png"));
const fields = (await doc.getFieldObjects()) ?? {};
const value = (widgets) => {
  const values = widgets.filter((widget) => widget.type).map((widget) => widget.value); // a group has none
  return values.find((v) => v !== "Off") ?? values[0];
};
const values = Object.fromEntries(Object.entries(fields).map(([name, widgets]) => [name, value(widgets)]));
process.stdout.write(JSON.stringify(values));
