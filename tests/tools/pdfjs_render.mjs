// Render one page of a PDF as Firefox's pdf.js draws it, form fields included, to a PNG.
//   node pdfjs_render.mjs <node_modules> <file.pdf> <page number> <out.png>
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, file, number, out] = process.argv.slice(2);
const pdfjs = await import(pathToFileURL(join(modules, "pdfjs-dist/legacy/build/pdf.mjs")));
const { createCanvas } = createRequire(join(modules, "x.js"))("@napi-rs/canvas");
const doc = await pdfjs.getDocument({
  data: new Uint8Array(readFileSync(file)),
  standardFontDataUrl: join(modules, "pdfjs-dist/standard_fonts/"),
}).promise;
const page = await doc.getPage(Number(number));
const viewport = page.getViewport({ scale: 1 });
const canvas = createCanvas(Math.ceil(viewport.width), Math.ceil(viewport.height));
const context = canvas.getContext("2d");
context.fillStyle = "white";
context.fillRect(0, 0, canvas.width, canvas.height);
await page.render({ canvasContext: context, viewport, annotationMode: pdfjs.AnnotationMode.ENABLE }).promise;
writeFileSync(out, canvas.toBuffer("image/png"));
