using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace BugHunt.Runner;

/// <summary>
/// The runner's private protocol channel. The container's stdout is the only stream the host
/// parses; before any submitted or native code runs, the runner duplicates it to a descriptor of
/// its own and points descriptor 1 at stderr. From then on whatever else writes to "stdout"
/// (libtorch's prints, a native library's chatter) lands in stderr, which the host keeps for
/// admins only, and nothing but this writer can put a line on the protocol.
/// </summary>
internal static partial class ProtocolChannel
{
    public static StreamWriter Open()
    {
        var fd = Dup(1);
        if (fd < 0 || Dup2(2, 1) < 0)
        {
            throw new IOException($"could not separate the protocol channel from stdout (errno {Marshal.GetLastPInvokeError()})");
        }
        var stream = new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write, bufferSize: 0);
        return new StreamWriter(stream, new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
    }

    /// <summary>
    /// Ends the process at once, once "done" is written (the channel writes through, unbuffered):
    /// no runtime or native library teardown, which the host would otherwise wait for before it
    /// sees the end of the output.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "_exit")]
    public static partial void Exit(int status);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "dup2", SetLastError = true)]
    private static partial int Dup2(int oldFd, int newFd);
}
