using BugHunt.Core.Sessions;

namespace BugHunt.Api.Sessions;

/// <summary>Resolves the candidate's session from "Authorization: Bearer &lt;session token&gt;".</summary>
internal sealed class SessionAuth(SessionStore sessions) : IEndpointFilter
{
    public const string Scheme = "SessionToken";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var token = BearerToken(http);
        if (token is null)
        {
            return Unauthorized("Send the session token from opening your invite as 'Authorization: Bearer <token>'.");
        }
        var session = await sessions.FindByTokenAsync(token, http.RequestAborted);
        if (session is null)
        {
            return Unauthorized("The session token is not valid.");
        }
        http.Items[typeof(Session)] = session;
        return await next(context);
    }

    public static string? BearerToken(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.Ordinal) && header.Length > 7 ? header[7..].Trim() : null;
    }

    private static IResult Unauthorized(string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Not signed in");
}

internal static class SessionHttpExtensions
{
    public static Session Session(this HttpContext http) =>
        http.Items[typeof(Session)] as Session ?? throw new InvalidOperationException("SessionAuth did not run for this endpoint.");
}
