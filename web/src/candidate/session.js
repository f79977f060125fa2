// The candidate's session: the bearer token kept per invite in this browser, authorised API
// calls, and the server clock.
import { api, ApiError } from "../common.js";
import { serverSentEvents } from "../events.js";

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

  /** Follows a run or submission until its verdict: Server-Sent Events read with fetch (they need the bearer token), polling as a fallback. */
  async follow(accepted, onUpdate, signal) {
    try {
      const response = await this.call("GET", accepted.events, { raw: true, signal, headers: { Accept: "text/event-stream" } });
      for await (const ev of serverSentEvents(response)) {
        const last = JSON.parse(ev.data);
        onUpdate(last);
        if (last.status === "done") return last;
      }
    } catch (e) {
      if (e.name === "AbortError") throw e;
    }
    for (;;) {
      const current = await this.call("GET", accepted.url, { signal });
      onUpdate(current);
      if (current.status === "done") return current;
      await new Promise((r) => setTimeout(r, 1500));
    }
  }
}
