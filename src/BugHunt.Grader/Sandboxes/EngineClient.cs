using System.Security.Cryptography.X509Certificates;
using Docker.DotNet;
using Docker.DotNet.X509;

namespace BugHunt.Grader.Sandboxes;

/// <summary>Connects to the configured Docker engine, locally over its socket or remotely over mutual TLS.</summary>
internal static class EngineClient
{
    /// <summary>
    /// A client for the configured engine. With DOCKER_CERT_PATH set (cert.pem, key.pem, ca.pem, as
    /// the docker CLI uses), a remote engine is reached over mutual TLS.
    /// </summary>
    public static DockerClient Connect(SandboxOptions options)
    {
        if (options.DockerCertPath is not { Length: > 0 } certs)
        {
            return new DockerClientConfiguration(options.DockerEndpoint).CreateClient();
        }
        var clientCertificate = X509Certificate2.CreateFromPemFile(Path.Combine(certs, "cert.pem"), Path.Combine(certs, "key.pem"));
        var authority = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(certs, "ca.pem"));
        var credentials = new CertificateCredentials(clientCertificate)
        {
            // The engine is trusted only if its certificate chains to the configured CA, not to the system store.
            ServerCertificateValidationCallback = (_, certificate, _, _) =>
            {
                if (certificate is null)
                {
                    return false;
                }
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            },
        };
        return new DockerClientConfiguration(options.DockerEndpoint, credentials).CreateClient();
    }
}
