// Server-Sent Events read with fetch: EventSource can send neither the staff key (X-Api-Key) nor a
// candidate's bearer token.

/**
 * Yields each event of an event stream response as { event, id, data }, as the HTML standard
 * parses them: lines end in CR, LF or CRLF, "data" lines join with LF, a blank line dispatches,
 * lines starting with ":" are comments.
 */
export async function* serverSentEvents(response) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let pending = { event: "message", id: null, data: [] };
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.search(/\r\n|\r|\n/)) >= 0) {
        // A CR at the very end may be the first half of a CRLF still on its way.
        if (buffer[end] === "\r" && end === buffer.length - 1) break;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer.startsWith("\r\n", end) ? 2 : 1));
        if (line === "") {
          if (pending.data.length) yield { event: pending.event, id: pending.id, data: pending.data.join("\n") };
          pending = { event: "message", id: pending.id, data: [] };
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let text = colon < 0 ? "" : line.slice(colon + 1);
        if (text.startsWith(" ")) text = text.slice(1);
        if (field === "event") pending.event = text;
        else if (field === "data") pending.data.push(text);
        else if (field === "id" && !text.includes("\0")) pending.id = text;
      }
    }
  } finally {
    reader.cancel().catch(() => {});
  }
}
