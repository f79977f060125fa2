using BugHunt.Api.Sessions;
using BugHunt.Core.Sessions;

namespace BugHunt.Api.Submissions;

/// <summary>
/// The submission stream's gate: the session token as a bearer token, as everywhere, or else a
/// stream ticket as <c>?ticket=</c> (see <see cref="StreamTickets"/>), which is good for this one
/// submission's stream only, while unexpired and while its session is unfinished. No other
/// endpoint reads tickets.
/// </summary>
internal sealed class StreamAuth(SessionStore sessions, StreamTickets tickets) : IEndpointFilter
{
    public const string TicketParameter = "ticket";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ticket = http.Request.Query[TicketParameter].ToString();
        if (ticket.Length == 0 || SessionAuth.BearerToken(http) is not null)
        {
            return await SessionAuth.SignInAsync(http, sessions) ?? await next(context);
        }
        var (grant, problem) = tickets.Read(ticket);
        if (grant is null)
        {
            return SessionAuth.Unauthorized(http, problem!);
        }
        if (!Guid.TryParse(http.GetRouteValue("id") as string, out var submission) || submission != grant.SubmissionId)
        {
            return SessionAuth.Unauthorized(http, "This stream ticket is for another submission's stream.");
        }
        // Read again on every use: finishing the session revokes the tickets it was given.
        var session = await sessions.GetAsync(grant.SessionId, http.RequestAborted);
        if (session is null || session.FinishedAt is not null)
        {
            return SessionAuth.Unauthorized(http, "The session this stream ticket was issued to is finished; its tickets no longer work.");
        }
        http.Items[typeof(Session)] = session;
        http.Items[typeof(StreamGrant)] = grant;
        return await next(context);
    }
}

/// <summary>Marks an endpoint that <see cref="StreamAuth"/> guards: the document offers the ticket as a second way in.</summary>
internal sealed class StreamTicketAccepted;
