// CSV in and out for candidate lists: RFC 4180 records (quoted fields, "" inside quotes, commas
// and line breaks in quotes, CRLF or LF), and the same per-row rules the server applies to a bulk
// invite, so that a recruiter sees every bad row before anything is sent.

/** The server's limits for POST /api/admin/assessments/{id}/invites/bulk (InviteAdminApi). */
export const MAX_CANDIDATES = 500;
export const MAX_NAME_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 254;

/** The server's e-mail pattern: one @, something before it, a dotted domain, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this finds
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Splits CSV text into records, each { line, cells } where line is the 1-based line it starts on.
 * Throws an Error naming the line of a quote that is never closed.
 */
export function parseCsv(text) {
  const src = text.replace(/^\uFEFF/, "");
  const records = [];
  let cells = [];
  let cell = "";
  let quoted = false;
  let wasQuoted = false;
  let line = 1;
  let start = 1;
  let quoteLine = 0;
  const endCell = () => {
    cells.push(wasQuoted ? cell : cell.trim());
    cell = "";
    wasQuoted = false;
  };
  const endRecord = () => {
    endCell();
    if (cells.length > 1 || cells[0] !== "") records.push({ line: start, cells });
    cells = [];
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === "\n") line++;
        cell += c;
      }
    } else if (c === '"' && cell.trim() === "") {
      quoted = true;
      wasQuoted = true;
      quoteLine = line;
      cell = "";
    } else if (c === ",") {
      endCell();
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && src[i + 1] === "\n") i++;
      endRecord();
      line++;
      start = line;
    } else if (!wasQuoted) {
      cell += c;
    } else if (c.trim() !== "") {
      throw new Error(`Line ${line}: text after a closing quote. Put the whole field in quotes and write a quote inside it as "".`);
    }
  }
  if (quoted) throw new Error(`Line ${quoteLine}: a quote is opened and never closed.`);
  endRecord();
  return records;
}

/**
 * Reads a candidate list: a header naming the name and email columns (in any order, other columns
 * ignored), then one candidate per record. Returns { rows, errors, problem }: rows are
 * { line, name, email, errors }, each error { field, message } in the server's words; problem is
 * a reason the whole text cannot be read (no header, an unclosed quote), or null.
 */
export function readCandidates(text) {
  let records;
  try {
    records = parseCsv(text);
  } catch (e) {
    return { rows: [], problem: e.message };
  }
  if (records.length === 0) return { rows: [], problem: "Paste or upload a CSV with the header name,email and one candidate per line." };
  const header = records[0].cells.map((c) => c.trim().toLowerCase());
  const nameAt = header.indexOf("name");
  const emailAt = header.indexOf("email");
  if (nameAt < 0 || emailAt < 0) {
    const found = records[0].cells.join(",");
    return { rows: [], problem: `Line ${records[0].line}: the first line must be the header name,email (found “${found}”).` };
  }
  const body = records.slice(1);
  if (body.length === 0) return { rows: [], problem: "The CSV has a header but no candidates." };
  const seen = new Map();
  const rows = body.map((r) => {
    const name = (r.cells[nameAt] ?? "").trim();
    const email = (r.cells[emailAt] ?? "").trim();
    const errors = candidateErrors(name, email, seen);
    if (!errors.some((e) => e.field === "email")) seen.set(email.toLowerCase(), r.line);
    return { line: r.line, name, email, errors };
  });
  const problem = rows.length > MAX_CANDIDATES
    ? `At most ${MAX_CANDIDATES} candidates at a time; this list has ${rows.length}. Split the list.`
    : null;
  return { rows, problem };
}

/** The server's row rules (InviteAdminApi.Read); seen maps a lowercased e-mail to the line it was first on. */
export function candidateErrors(name, email, seen = new Map()) {
  const errors = [];
  if (!name) errors.push({ field: "name", message: "name is empty." });
  else if (name.length > MAX_NAME_LENGTH) errors.push({ field: "name", message: `name must be at most ${MAX_NAME_LENGTH} characters.` });
  else if (CONTROL.test(name)) {
    errors.push({ field: "name", message: "name must not contain control characters (line breaks, tabs, NUL)." });
  }
  const emailError = emailProblem(email);
  if (emailError) errors.push({ field: "email", message: `email ${emailError}.` });
  else if (seen.has(email.toLowerCase())) {
    errors.push({ field: "email", message: `email ${email} is already on line ${seen.get(email.toLowerCase())}.` });
  }
  return errors;
}

/** Why an e-mail address would be refused, or null (the server's EmailProblem). */
export function emailProblem(email) {
  if (!email) return "is empty";
  if (email.length > MAX_EMAIL_LENGTH) return `must be at most ${MAX_EMAIL_LENGTH} characters`;
  if (CONTROL.test(email) || !EMAIL.test(email)) return `"${email}" is not an e-mail address (name@example.com)`;
  return null;
}

/** One CSV cell: quoted, with leading formula characters defused (as the server's results.csv does). */
export function csvCell(value) {
  let text = String(value ?? "");
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return `"${text.replaceAll('"', '""')}"`;
}

export function toCsv(header, rows) {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
