/**
 * Parses the YAML subset a GitHub workflow like ours uses — block mappings and sequences by
 * indentation, `- ` items (with a mapping on the same line), `[a, b]` flow lists, plain and
 * double-quoted scalars, `#` comments — and throws on anything else (tabs, bad indentation, a
 * line that is neither). npm test has no YAML library (no dependency only for a test); the moto
 * suite checks the same file with PyYAML, a parser we did not write.
 */
type Yaml = string | Yaml[] | { [key: string]: Yaml };

interface Line {
  indent: number;
  text: string;
  no: number;
}

function scalar(text: string): Yaml {
  const t = text.trim();
  if (t.startsWith('"')) return JSON.parse(t) as string;
  if (t.startsWith("[") && t.endsWith("]")) return t.slice(1, -1).split(",").map((s) => s.trim()).filter(Boolean).map((s) => scalar(s) as string);
  if (t.startsWith("'") || t.startsWith("{") || t.startsWith("&") || t.startsWith("*") || t.startsWith("|") || t.startsWith(">")) throw new Error(`unsupported scalar: ${t}`);
  return t;
}

function stripComment(text: string): string {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '"' && text[i - 1] !== "\\") quoted = !quoted;
    if (!quoted && text[i] === "#" && (i === 0 || text[i - 1] === " ")) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
}

export function parseYamlSubset(source: string): Yaml {
  const lines: Line[] = [];
  source.split("\n").forEach((raw, i) => {
    if (raw.includes("\t")) throw new Error(`line ${i + 1}: tab`);
    const text = stripComment(raw);
    if (text.trim() === "") return;
    lines.push({ indent: text.length - text.trimStart().length, text: text.trim(), no: i + 1 });
  });
  let pos = 0;
  const keyValue = /^([A-Za-z0-9_.-]+):(?:\s+(.*))?$/;

  function block(indent: number): Yaml {
    const first = lines[pos];
    if (first.text.startsWith("- ") || first.text === "-") return sequence(indent);
    return mapping(indent);
  }
  function mapping(indent: number, into: Record<string, Yaml> = {}): Record<string, Yaml> {
    while (pos < lines.length && lines[pos].indent === indent && !lines[pos].text.startsWith("- ")) {
      const line = lines[pos];
      const m = keyValue.exec(line.text);
      if (!m) throw new Error(`line ${line.no}: not "key: value": ${line.text}`);
      if (m[1] in into) throw new Error(`line ${line.no}: duplicate key ${m[1]}`);
      pos++;
      if (m[2] !== undefined && m[2] !== "") into[m[1]] = scalar(m[2]);
      else if (pos < lines.length && lines[pos].indent > indent) into[m[1]] = block(lines[pos].indent);
      else if (pos < lines.length && lines[pos].indent === indent && lines[pos].text.startsWith("- ")) into[m[1]] = sequence(indent);
      else into[m[1]] = "";
    }
    if (pos < lines.length && lines[pos].indent > indent) throw new Error(`line ${lines[pos].no}: bad indentation`);
    return into;
  }
  function sequence(indent: number): Yaml[] {
    const items: Yaml[] = [];
    while (pos < lines.length && lines[pos].indent === indent && lines[pos].text.startsWith("- ")) {
      const line = lines[pos];
      const rest = line.text.slice(2);
      const m = keyValue.exec(rest);
      if (m) {
        // "- key: value" starts a mapping whose other keys sit two columns in.
        lines[pos] = { ...line, indent: indent + 2, text: rest };
        items.push(mapping(indent + 2));
      } else {
        pos++;
        items.push(scalar(rest));
      }
    }
    return items;
  }
  const doc = block(0);
  if (pos < lines.length) throw new Error(`line ${lines[pos].no}: unexpected`);
  return doc;
}
