const FENCE = /```[a-zA-Z]*[ \t]*\r?\n?([\s\S]*?)```/;
/** How many `{` positions to try before giving up on prose. */
const MAX_CANDIDATES = 16;

function tryObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The end of the balanced `{…}` that starts at `start` (strings and escapes respected), or -1. */
function matchBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123) depth++;
    else if (c === 125 && --depth === 0) return i;
  }
  return -1;
}

/**
 * Finds the JSON object in a model's answer: the whole text, else the first
 * code fence, else the first balanced `{…}` in surrounding prose that parses.
 * Returns undefined when there is none.
 */
export function extractJsonObject(text: string): Record<string, unknown> | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const whole = tryObject(trimmed);
    if (whole !== undefined) return whole;
  }
  const fence = FENCE.exec(trimmed);
  if (fence !== null) {
    const fenced = tryObject(fence[1].trim());
    if (fenced !== undefined) return fenced;
  }
  let from = 0;
  for (let tries = 0; tries < MAX_CANDIDATES; tries++) {
    const start = trimmed.indexOf('{', from);
    if (start < 0) return undefined;
    const end = matchBrace(trimmed, start);
    if (end < 0) return undefined;
    const candidate = tryObject(trimmed.slice(start, end + 1));
    if (candidate !== undefined) return candidate;
    from = start + 1;
  }
  return undefined;
}
