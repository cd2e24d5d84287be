package dev.webtalk.demo.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Another process on this Linux machine, read through {@code /proc}: which process listens on a TCP
 * port, how much CPU it has used, and whether it is a JVM that {@code jcmd} may attach to. The bench
 * uses it to measure a server it did not start ({@code --url}) when that server runs on this machine.
 * Everything here is Linux-only and read-only; elsewhere the reads fail and the caller reports "n/a".
 */
final class LocalProcess {
    /**
     * Clock ticks per second of the CPU times in {@code /proc/PID/stat}. The kernel always reports them
     * in USER_HZ, which is 100 on every Linux architecture regardless of the kernel's internal HZ
     * ({@code sysconf(_SC_CLK_TCK)}), so the value is fixed rather than asked for.
     */
    static final int USER_HZ = 100;
    /** {@code st} of a listening socket in {@code /proc/net/tcp}: TCP_LISTEN. */
    private static final String LISTEN = "0A";
    /** The bit of SIGQUIT (signal 3) in the {@code SigCgt} mask of {@code /proc/PID/status}. */
    private static final long SIGQUIT_BIT = 1L << (3 - 1);

    private static final Path PROC = Path.of("/proc");

    private final long pid;

    private LocalProcess(long pid) {
        this.pid = pid;
    }

    /** The process with this id; nothing is read until asked. */
    static LocalProcess of(long pid) {
        return new LocalProcess(pid);
    }

    long pid() {
        return pid;
    }

    /**
     * The process that holds a listening TCP socket (IPv4 or IPv6) on {@code port} in this network
     * namespace: the socket's inode from {@code /proc/net/tcp} and {@code /proc/net/tcp6}, then the
     * process whose {@code /proc/PID/fd/} has a link to {@code socket:[inode]}.
     *
     * @throws NotFound saying why not: nothing listens there, the holder is not visible to this user,
     *                  several processes hold it, or {@code /proc} cannot be read (not Linux)
     */
    static LocalProcess listeningOn(int port) throws NotFound {
        Set<Long> inodes = new HashSet<>();
        boolean readAny = false;
        for (String table : List.of("net/tcp", "net/tcp6")) {
            try {
                inodes.addAll(listeningInodes(Files.readAllLines(PROC.resolve(table), StandardCharsets.US_ASCII), port));
                readAny = true;
            } catch (IOException e) {
                // tcp6 is absent without IPv6; a missing tcp as well means no /proc at all
            }
        }
        if (!readAny) {
            throw new NotFound("cannot read /proc/net/tcp (not Linux?)");
        }
        if (inodes.isEmpty()) {
            throw new NotFound("no process on this machine listens on port " + port);
        }
        Set<Long> holders = new TreeSet<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path process : processes) {
                if (holdsAny(process.resolve("fd"), inodes)) {
                    holders.add(Long.parseLong(process.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            throw new NotFound("cannot list /proc: " + e.getMessage());
        }
        if (holders.isEmpty()) {
            throw new NotFound("a socket listens on port " + port + " but no process visible to this user holds it "
                    + "(another user or container?)");
        }
        if (holders.size() > 1) {
            throw new NotFound("several processes hold the listening socket of port " + port + ": " + holders);
        }
        return new LocalProcess(holders.iterator().next());
    }

    /**
     * The inodes of the sockets listening on {@code port} in the lines of {@code /proc/net/tcp} or
     * {@code tcp6}. A line is {@code sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout
     * inode …}, the address as hexadecimal {@code IP:PORT}; the header and malformed lines are skipped.
     */
    static Set<Long> listeningInodes(List<String> lines, int port) {
        Set<Long> inodes = new HashSet<>();
        for (String line : lines) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length < 10 || !LISTEN.equals(fields[3])) {
                continue;
            }
            int colon = fields[1].lastIndexOf(':');
            try {
                long inode = Long.parseLong(fields[9]);
                if (colon > 0 && Integer.parseInt(fields[1].substring(colon + 1), 16) == port && inode != 0) {
                    inodes.add(inode);
                }
            } catch (NumberFormatException malformed) {
                // not a socket line
            }
        }
        return inodes;
    }

    /** Whether the open files in {@code fdDir} include one of the sockets; false when unreadable or gone. */
    private static boolean holdsAny(Path fdDir, Set<Long> inodes) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException closedMeanwhile) {
                    continue;
                }
                if (target.startsWith("socket:[") && target.endsWith("]")
                        && inodes.contains(Long.parseLong(target.substring(8, target.length() - 1)))) {
                    return true;
                }
            }
        } catch (IOException | NumberFormatException | SecurityException notOurs) {
            // another user's process, or one that exited while we looked
        }
        return false;
    }

    /** The command name ({@code /proc/PID/comm}), for notes; {@code ?} when unreadable. */
    String name() {
        try {
            return Files.readString(PROC.resolve(pid + "/comm"), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** User plus system CPU time the process has used so far, in seconds. */
    double cpuSeconds() throws IOException {
        return cpuTicks(Files.readString(PROC.resolve(pid + "/stat"), StandardCharsets.UTF_8)) / (double) USER_HZ;
    }

    /**
     * {@code utime + stime} (fields 14 and 15) of a {@code /proc/PID/stat} line, in clock ticks. The
     * second field is the command name in parentheses and may itself contain spaces and parentheses,
     * so fields are counted from the last {@code )}: the field after it is field 3.
     */
    static long cpuTicks(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        String[] fields = stat.substring(end + 1).trim().split("\\s+");
        if (fields.length < 13) {
            throw new IllegalArgumentException("too few fields in /proc/PID/stat: " + stat);
        }
        return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
    }

    /**
     * Whether {@code jcmd} may attach: the process has HotSpot's {@code libjvm.so} mapped and catches
     * SIGQUIT. The attach mechanism signals the target with SIGQUIT, whose default action ends the process,
     * so a process that is not a JVM (or a JVM run with {@code -Xrs}) must never be attached to.
     *
     * @throws IOException saying which condition failed, or that {@code /proc/PID} cannot be read
     */
    void requireAttachableJvm() throws IOException {
        // contains, not endsWith: a library replaced on disk since is listed as "… (deleted)"
        if (lines("maps").stream().noneMatch(line -> line.contains("/libjvm.so"))) {
            throw new IOException("process " + pid + " (" + name() + ") is not a HotSpot JVM");
        }
        long caught = 0;
        for (String line : lines("status")) {
            if (line.startsWith("SigCgt:")) {
                caught = Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        if ((caught & SIGQUIT_BIT) == 0) {
            throw new IOException("JVM " + pid + " does not handle SIGQUIT (-Xrs?), so attaching could stop it");
        }
    }

    /** The lines of {@code /proc/PID/file}; a failure carries a {@link #reason} as its message. */
    private List<String> lines(String file) throws IOException {
        try {
            return Files.readAllLines(PROC.resolve(pid + "/" + file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(reason(e), e);
        }
    }

    /**
     * An I/O failure on {@code /proc} as words for the report: the JDK's own message for a missing or
     * forbidden file is only its path.
     */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no " + e.getMessage() + " (the process has exited?)";
        }
        if (e instanceof AccessDeniedException) {
            return "no permission to read " + e.getMessage() + " (another user's process?)";
        }
        return e.getMessage();
    }

    /** Why no process could be found; the message is meant for the report. */
    static final class NotFound extends Exception {
        private static final long serialVersionUID = 1L;

        NotFound(String reason) {
            super(reason);
        }
    }
}
