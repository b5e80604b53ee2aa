/**
 * A minimal element tree for r_keeper XML: element names and attribute names
 * exactly as written (r_keeper is case-sensitive: 7.26 sends `KdsState` where
 * older versions sent `KDSState`), attributes as strings, children in order.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: "",
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
});

export class XmlError extends Error {}

/** Parses one XML document and returns its root element. Throws XmlError when it is not well-formed. */
export function parseXml(text: string): XmlNode {
  const check = XMLValidator.validate(text);
  if (check !== true) throw new XmlError(`not well-formed XML: ${check.err.msg} (line ${check.err.line})`);
  const tree = parser.parse(text) as unknown[];
  const roots = tree.map(toNode).filter((n): n is XmlNode => n !== null && n.name !== "#text");
  if (roots.length !== 1) throw new XmlError(`expected one root element, found ${roots.length}`);
  return roots[0]!;
}

function toNode(raw: unknown): XmlNode | null {
  if (!raw || typeof raw !== "object") return null;
  const obj = raw as Record<string, unknown>;
  const name = Object.keys(obj).find((k) => k !== ":@");
  if (!name) return null;
  if (name === "#text") return { name, attrs: {}, children: [], text: String(obj[name]) };
  const attrsRaw = (obj[":@"] ?? {}) as Record<string, unknown>;
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrsRaw)) attrs[k] = String(v);
  const kids = Array.isArray(obj[name]) ? (obj[name] as unknown[]) : [];
  const children: XmlNode[] = [];
  let text = "";
  for (const k of kids) {
    const n = toNode(k);
    if (!n) continue;
    if (n.name === "#text") text += n.text;
    else children.push(n);
  }
  return { name, attrs, children, text };
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return node?.children.find((c) => c.name === name);
}

export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  return node ? node.children.filter((c) => c.name === name) : [];
}

export function attr(node: XmlNode | undefined, name: string): string | undefined {
  const v = node?.attrs[name];
  return v === undefined ? undefined : v;
}

/** Serialises a node back to XML (for diagnostics and fixtures). */
export function toXml(n: XmlNode, indent = ""): string {
  const attrs = Object.entries(n.attrs)
    .map(([k, v]) => ` ${k}="${escapeAttr(v)}"`)
    .join("");
  if (n.children.length === 0 && !n.text) return `${indent}<${n.name}${attrs}/>`;
  const inner = n.children.map((c) => toXml(c, indent + "  ")).join("\n");
  return `${indent}<${n.name}${attrs}>${n.text ? escapeAttr(n.text) : ""}${inner ? `\n${inner}\n${indent}` : ""}</${n.name}>`;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
}
