package dev.latchkey.api.ssh.openssh;

import dev.latchkey.testing.Commands;
import dev.latchkey.testing.SshKeygen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The OS accounts of a dynamic-key target host, made on this machine: an admin with password-less
 * sudo (the README's host setup) and two target users. Needs root, as creating accounts does, and
 * sudo; {@code scripts/test} runs as root on CI and installs sudo. Everything is idempotent.
 */
public final class HostAccounts {
    public static final String ADMIN = "latchkey-admin";
    public static final String ALICE = "latchkey-alice";
    public static final String BOB = "latchkey-bob";
    private static final Path SUDO = Path.of("/usr/bin/sudo");
    private static final Path SUDOERS = Path.of("/etc/sudoers.d/latchkey-tests");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern UPLOADED = Pattern.compile("(temp_)?[0-9a-f]{64}(\\.sh)?");

    private HostAccounts() {
    }

    /** Creates the accounts and the sudoers rule if they are missing; fails (never skips) without root or sudo. */
    public static synchronized void ensure() {
        SshdProcess.requireOpenSsh();
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new AssertionError("the dynamic-key end-to-end tests create OS accounts (" + ADMIN + ", " + ALICE
                    + ", " + BOB + ") and need root: run scripts/test as root, as CI does");
        }
        if (!Files.isExecutable(SUDO)) {
            throw new AssertionError(SUDO + " is missing: dynamic keys need password-less sudo for the admin user. "
                    + "scripts/test installs sudo when run as root; otherwise: apt-get install sudo");
        }
        for (String user : List.of(ADMIN, ALICE, BOB)) {
            if (Commands.run(TIMEOUT, "id", "-u", user).exitCode() != 0) {
                // '*' rather than useradd's locked '!': sshd without PAM refuses locked accounts
                Commands.run(TIMEOUT, "useradd", "--create-home", "--shell", "/bin/bash", "--password", "*", user)
                        .ok();
            }
        }
        try {
            Files.writeString(SUDOERS, ADMIN + " ALL=(ALL) NOPASSWD: ALL\n");
            Files.setPosixFilePermissions(SUDOERS, PosixFilePermissions.fromString("r--r-----"));
        } catch (IOException e) {
            throw new AssertionError("cannot write " + SUDOERS, e);
        }
        Commands.run(TIMEOUT, "visudo", "-cf", SUDOERS.toString()).ok();
    }

    /** Lets these keys (and no other) log in as the admin. */
    public static void authorizeAdmin(SshKeygen.KeyPair... adminKeys) {
        Path ssh = home(ADMIN).resolve(".ssh");
        try {
            Files.createDirectories(ssh);
            Path keys = ssh.resolve("authorized_keys");
            StringBuilder lines = new StringBuilder();
            for (SshKeygen.KeyPair key : adminKeys) {
                lines.append(key.publicKeyText().strip()).append('\n');
            }
            Files.writeString(keys, lines);
            UserPrincipal owner = ssh.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(ADMIN);
            for (Path p : List.of(ssh, keys)) {
                Files.setOwner(p, owner);
            }
            Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));
            Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new AssertionError("cannot authorize the admin key", e);
        }
    }

    static Path home(String user) {
        return Path.of("/home", user);
    }

    public static Path authorizedKeys(String user) {
        return home(user).resolve(".ssh/authorized_keys");
    }

    /** The user's authorized_keys lines; none if the file does not exist. */
    public static List<String> authorizedLines(String user) {
        Path file = authorizedKeys(user);
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList() : List.of();
        } catch (IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }

    /** Starts a target user over: no ~/.ssh at all, as on a fresh host. */
    public static void resetTarget(String user) {
        Path ssh = home(user).resolve(".ssh");
        if (!Files.exists(ssh)) {
            return;
        }
        try (Stream<Path> files = Files.walk(ssh)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new AssertionError("cannot reset " + ssh, e);
        }
    }

    /** Files an install left in the admin's home (uploaded key files, scripts, temp files): should be none. */
    public static List<String> leftoversInAdminHome() {
        String[] names = home(ADMIN).toFile().list();
        return names == null ? List.of() : Arrays.stream(names).filter(n -> UPLOADED.matcher(n).matches()).sorted().toList();
    }

    /**
     * Removes what an install or uninstall left in the admin's home when the node running it was
     * killed half-way (the cluster tests do that): the next test of the same machine expects none.
     */
    public static void removeLeftoversInAdminHome() {
        for (String name : leftoversInAdminHome()) {
            try {
                java.nio.file.Files.deleteIfExists(home(ADMIN).resolve(name));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
