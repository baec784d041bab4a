/**
 * An independent count of a BBF model file's objects and parameters, by a plain scan of the
 * start tags (no XML parser), to check the generator against.
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { bbfDirectory } from "../../scripts/generate-modules.js";

/** What the scan found in the `<model>` element. */
export interface ModelScan {
  readonly modelName: string;
  /** `<object name=...>` elements that are not deleted or obsoleted. */
  readonly objects: number;
  /** `<parameter name=...>` elements not deleted or obsoleted, in objects that are kept. */
  readonly parameters: number;
  /** Deleted or obsoleted objects and parameters (parameters of dropped objects included). */
  readonly droppedObjects: number;
  readonly droppedParameters: number;
}

const isDroppedTag = (tag: string) => /\sstatus="(deleted|obsoleted)"/.test(tag);

/** Scans `<bbf dir>/<file>`. */
export const scanModelXml = (file: string): ModelScan => {
  const xml = readFileSync(join(bbfDirectory(), file), "utf8");
  const start = xml.indexOf("<model ");
  const end = xml.indexOf("</model>", start);
  const model = xml.slice(start, end);
  const modelName = /name="([^"]+)"/.exec(model)?.[1] ?? "";
  let objects = 0;
  let parameters = 0;
  let droppedObjects = 0;
  let droppedParameters = 0;
  let objectKept = false;
  // Profile elements reference items with ref=, definitions use name=; attributes may span lines.
  for (const m of model.matchAll(/<(object|parameter)\s([^>]*)>/g)) {
    const [tag, element, attributes = ""] = m;
    if (!/\bname="/.test(attributes)) continue;
    if (element === "object") {
      objectKept = !isDroppedTag(tag);
      if (objectKept) objects++;
      else droppedObjects++;
    } else if (objectKept && !isDroppedTag(tag)) {
      parameters++;
    } else {
      droppedParameters++;
    }
  }
  return { modelName, objects, parameters, droppedObjects, droppedParameters };
};
