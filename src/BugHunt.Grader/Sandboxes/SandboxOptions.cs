using System.Globalization;

namespace BugHunt.Grader.Sandboxes;

/// <summary>
/// How sandboxes are run. Defaults are constants; <see cref="FromEnvironment"/> is the one place the
/// process environment is read, so a test or a benchmark can state every value it depends on.
/// </summary>
public sealed record SandboxOptions
{
    /// <summary>Environment variable naming the sandbox image (printed by sandbox/build-image.sh).</summary>
    public const string ImageVariable = "BUGHUNT_SANDBOX_IMAGE";

    public string Image { get; set; } = "bughunt-sandbox:latest";

    /// <summary>Folder with cert.pem, key.pem and ca.pem for a remote engine over TLS (DOCKER_CERT_PATH).</summary>
    public string? DockerCertPath { get; set; }

    public Uri DockerEndpoint { get; set; } = new("unix:///var/run/docker.sock");

    /// <summary>Labels every container with this grader instance, so its orphans can be found.</summary>
    public string GraderId { get; set; } = NewGraderId();

    public double Cpus { get; set; } = 1.0;

    public long PidsLimit { get; set; } = 128;

    public string TmpfsSize { get; set; } = "64m";

    /// <summary>Protocol output beyond this is an output-limit verdict (observations are capped per value as well).</summary>
    public int MaxProtocolBytes { get; set; } = 32 * 1024 * 1024;

    public int MaxConsoleChars { get; set; } = 16 * 1024;

    /// <summary>Warm containers kept ready per grader (BUGHUNT_WARM_POOL); 0 starts every job cold.</summary>
    public int WarmPoolSize { get; set; } = 1;

    /// <summary>Memory limit of pooled containers; challenges asking for another limit start cold.</summary>
    public int WarmPoolMemoryMb { get; set; } = 1024;

    /// <summary>
    /// The defaults overridden by BUGHUNT_SANDBOX_IMAGE, DOCKER_HOST, DOCKER_CERT_PATH,
    /// BUGHUNT_GRADER_ID and BUGHUNT_WARM_POOL. An unset or empty variable keeps the default.
    /// </summary>
    public static SandboxOptions FromEnvironment()
    {
        var options = new SandboxOptions();
        if (Variable(ImageVariable) is { } image)
        {
            options.Image = image;
        }
        if (Variable("DOCKER_HOST") is { } host)
        {
            options.DockerEndpoint = new Uri(host);
        }
        options.DockerCertPath = Variable("DOCKER_CERT_PATH");
        if (Variable("BUGHUNT_GRADER_ID") is { } id)
        {
            options.GraderId = id;
        }
        if (int.TryParse(Variable("BUGHUNT_WARM_POOL"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && size >= 0)
        {
            options.WarmPoolSize = size;
        }
        return options;
    }

    /// <summary>A fresh id: random, so no host name or pid is shown to anyone who sees the labels.</summary>
    public static string NewGraderId() => $"grader-{Guid.NewGuid().ToString("N")[..12]}";

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;
}
