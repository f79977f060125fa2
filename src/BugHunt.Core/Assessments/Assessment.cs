namespace BugHunt.Core.Assessments;

public sealed record ProctoringRequirements(bool Webcam, bool Screen);

public sealed record AssessmentLevel(int Position, Guid ChallengeVersionId, string PackId, string ChallengeId, string Title, int Points, double PassThreshold);

/// <summary>What a hiring team runs: ordered levels over pinned challenge versions, a time window, scoring and policies.</summary>
public sealed record Assessment(
    Guid Id,
    string Name,
    int TimeLimitMinutes,
    int MaxPoints,
    int PassPoints,
    bool HintsAllowed,
    string AiPolicy,
    ProctoringRequirements Proctoring,
    IReadOnlyList<AssessmentLevel> Levels,
    DateTime CreatedAt)
{
    public AssessmentLevel? Level(int position) => Levels.FirstOrDefault(l => l.Position == position);

    /// <summary>
    /// The point scale, decided here only: level points are relative weights, multiplied by this so
    /// that all levels together are worth <see cref="MaxPoints"/> (0 when no level has points).
    /// </summary>
    public double PointScale => Levels.Sum(l => l.Points) is var total and > 0 ? (double)MaxPoints / total : 0;
}

public sealed record NewLevel(Guid ChallengeVersionId, int Points, double PassThreshold);

public sealed record NewAssessment(
    string Name,
    int TimeLimitMinutes,
    int MaxPoints,
    int PassPoints,
    bool HintsAllowed,
    string AiPolicy,
    ProctoringRequirements Proctoring,
    IReadOnlyList<NewLevel> Levels);

/// <summary>An assessment as listed for recruiters.</summary>
public sealed record AssessmentListing(Guid Id, string Name, int TimeLimitMinutes, int MaxPoints, int PassPoints, DateTime CreatedAt, int Levels, int Sessions);
