package dev.latchkey.engine.ssh.dynamic;

import java.util.List;

/**
 * The SSH transport to target hosts: opens an authenticated session as the admin user. The
 * install procedure ({@link AuthorizedKeysEditor}) is written against this, not against a library.
 */
public interface TargetHosts {
    /**
     * Connects, checks the host key with {@link AdminLogin#hostKeyVerifier()}, then authenticates.
     *
     * @throws TargetHostException naming the step that failed
     */
    Session open(AdminLogin login);

    /** An authenticated SSH connection to one host. Not thread-safe; always close it. */
    interface Session extends AutoCloseable {
        /** Copies files into the admin user's login directory (SCP, mode 0644), in one transfer. */
        void upload(List<RemoteFile> files);

        /** Runs a command through the admin's login shell; no PTY. */
        CommandResult run(String command);

        @Override
        void close();
    }

    /** A file to upload: a bare name (no slash) and its bytes. */
    record RemoteFile(String name, byte[] content) {
        public RemoteFile {
            if (name.isEmpty() || name.contains("/") || name.contains("\n")) {
                throw new IllegalArgumentException("remote file name must be a bare name");
            }
        }
    }

    /**
     * What a finished command left: its exit status (null when the host reported none, e.g. it
     * was killed by a signal) and the start of what it wrote to stderr and stdout.
     */
    record CommandResult(Integer exitStatus, String stderr, String stdout) {
        public boolean succeeded() {
            return exitStatus != null && exitStatus == 0;
        }
    }
}
