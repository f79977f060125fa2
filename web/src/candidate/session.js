// The candidate's session: the bearer token kept per invite in this browser, authorised API
// calls, and the server clock.
import { api, ApiError } from "../common.js";

const tokenKey = (invite) => `bughunt.session.${invite}`;

export class CandidateSession {
  constructor(invite, token) {
    this.invite = invite;
    this.token = token;
    this.view = null;
    this.clockOffsetMs = 0;
  }

  /** Continues this browser's session for the invite, or opens one (a single-use invite is spent here). */
  static async open(invite) {
    const kept = localStorage.getItem(tokenKey(invite));
    if (kept) {
      const session = new CandidateSession(invite, kept);
      try {
        await session.refresh();
        return session;
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 401) throw e;
        localStorage.removeItem(tokenKey(invite));
      }
    }
    const opened = await api("POST", `/api/invites/${encodeURIComponent(invite)}/sessions`);
    localStorage.setItem(tokenKey(invite), opened.token);
    const session = new CandidateSession(invite, opened.token);
    session.accept(opened.session);
    return session;
  }

  call(method, path, options = {}) {
    return api(method, path, { ...options, headers: { ...options.headers, Authorization: `Bearer ${this.token}` } });
  }

  async refresh() {
    this.accept(await this.call("GET", "/api/session"));
    return this.view;
  }

  accept(view) {
    this.view = view;
    this.clockOffsetMs = Date.parse(view.server_time) - Date.now();
  }

  /** Seconds left by the server's clock, or null before the start. */
  secondsLeft() {
    if (!this.view?.deadline) return null;
    return (Date.parse(this.view.deadline) - (Date.now() + this.clockOffsetMs)) / 1000;
  }

  get running() {
    return this.view?.status === "in_progress" && (this.secondsLeft() ?? 0) > 0;
  }

  /**
   * Follows a run or submission until its verdict: a standard EventSource, opened with a
   * short-lived stream ticket (an EventSource cannot send the bearer token), a new ticket when one
   * expires, and polling when the stream cannot be had at all.
   */
  async follow(accepted, onUpdate, signal) {
    const streamed = typeof EventSource === "function" ? await this.stream(accepted, onUpdate, signal) : null;
    if (streamed) return streamed;
    for (;;) {
      const current = await this.call("GET", accepted.url, { signal });
      onUpdate(current);
      if (current.status === "done") return current;
      await new Promise((r) => setTimeout(r, 1500));
    }
  }

  /** The final submission from its event stream, or null when the stream failed (the caller polls then). */
  stream(accepted, onUpdate, signal) {
    return new Promise((resolve, reject) => {
      let source = null;
      let last = null;
      let refusals = 0;
      const stop = (result) => {
        source?.close();
        signal?.removeEventListener("abort", aborted);
        resolve(result);
      };
      const aborted = () => {
        source?.close();
        reject(new DOMException("The wait was aborted.", "AbortError"));
      };
      const open = async () => {
        let ticket;
        try {
          ticket = await this.call("POST", `${accepted.url}/stream-ticket`, { signal });
        } catch (e) {
          if (e.name === "AbortError") return;
          stop(null);
          return;
        }
        source = new EventSource(`${accepted.events}?ticket=${encodeURIComponent(ticket.ticket)}`);
        source.addEventListener("submission", (ev) => {
          refusals = 0;
          last = JSON.parse(ev.data);
          onUpdate(last);
        });
        source.addEventListener("done", () => stop(last));
        // The browser reconnects by itself while it can; CLOSED means the server refused (an
        // expired ticket, most likely): a new ticket, a few times, then polling.
        source.addEventListener("error", () => {
          if (source.readyState !== EventSource.CLOSED) return;
          if (last?.status === "done") stop(last);
          else if (++refusals > 3) stop(null);
          else open();
        });
      };
      if (signal?.aborted) {
        aborted();
        return;
      }
      signal?.addEventListener("abort", aborted, { once: true });
      open();
    });
  }
}
