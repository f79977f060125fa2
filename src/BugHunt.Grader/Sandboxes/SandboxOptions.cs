namespace BugHunt.Grader.Sandboxes;

public sealed class SandboxOptions
{
    /// <summary>Environment variable naming the sandbox image (printed by sandbox/build-image.sh).</summary>
    public const string ImageVariable = "BUGHUNT_SANDBOX_IMAGE";

    public string Image { get; set; } = Environment.GetEnvironmentVariable(ImageVariable) ?? "bughunt-sandbox:latest";

    /// <summary>Folder with cert.pem, key.pem and ca.pem for a remote engine over TLS (DOCKER_CERT_PATH).</summary>
    public string? DockerCertPath { get; set; } = Environment.GetEnvironmentVariable("DOCKER_CERT_PATH");

    public Uri DockerEndpoint { get; set; } = new(Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host ? host : "unix:///var/run/docker.sock");

    /// <summary>Labels every container with this grader instance, so its orphans can be found.</summary>
    public string GraderId { get; set; } = Environment.GetEnvironmentVariable("BUGHUNT_GRADER_ID") is { Length: > 0 } id
        ? id
        : $"grader-{Guid.NewGuid().ToString("N")[..12]}";

    public double Cpus { get; set; } = 1.0;

    public long PidsLimit { get; set; } = 128;

    public string TmpfsSize { get; set; } = "64m";

    /// <summary>Protocol output beyond this is an output-limit verdict (observations are capped per value as well).</summary>
    public int MaxProtocolBytes { get; set; } = 32 * 1024 * 1024;

    public int MaxConsoleChars { get; set; } = 16 * 1024;

    /// <summary>Warm containers kept ready per grader (BUGHUNT_WARM_POOL); 0 starts every job cold.</summary>
    public int WarmPoolSize { get; set; } = int.TryParse(Environment.GetEnvironmentVariable("BUGHUNT_WARM_POOL"), out var size) && size >= 0 ? size : 1;

    /// <summary>Memory limit of pooled containers; challenges asking for another limit start cold.</summary>
    public int WarmPoolMemoryMb { get; set; } = 1024;
}
