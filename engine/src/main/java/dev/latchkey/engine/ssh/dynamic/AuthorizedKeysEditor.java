package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.random.Randomness;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * Adds a public key line to, or removes it from, a user's {@code authorized_keys} on a target host
 * with Vault 1.12's procedure: upload the line and the install script into the admin's
 * home under a random name, run the script with (action, key file, authorized_keys path).
 *
 * <p>Two things differ from Vault on purpose: the script's own exit status decides success (Vault's
 * command line ended in {@code rm}, whose status hid a failing script), and the user name must be a
 * plain account name, because it becomes part of a shell command on the host (with the other
 * values sent to the host, it follows {@link HostText}).
 */
public final class AuthorizedKeysEditor {
    private static final Logger LOG = Logger.getLogger(AuthorizedKeysEditor.class.getName());
    /** POSIX portable user names (plus the trailing {@code $} of Samba machine accounts). */
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}\\$?");

    public enum Action {
        INSTALL("install"), UNINSTALL("uninstall");

        private final String word;

        Action(String word) {
            this.word = word;
        }
    }

    private final TargetHosts hosts;

    public AuthorizedKeysEditor(TargetHosts hosts) {
        this.hosts = hosts;
    }

    public static boolean isAccountName(String username) {
        return ACCOUNT.matcher(username).matches() && !username.startsWith("-");
    }

    /** {@code /home/<user>/.ssh/authorized_keys}, for every user (root included), as Vault does. */
    public static String authorizedKeysPath(String username) {
        return "/home/" + username + "/.ssh/authorized_keys";
    }

    /**
     * Installs {@code keyLine} for {@code username}. When any step after the upload started fails,
     * the line is removed again (best effort) before the error is thrown, so a failed install leaves
     * neither the key nor the uploaded files behind.
     */
    public void install(AdminLogin login, String username, String keyLine, String script) {
        String name = randomName();
        try {
            apply(login, Action.INSTALL, username, keyLine, script, name, "");
        } catch (TargetHostException e) {
            if (e.step() == TargetHostException.Step.UPLOAD || e.step() == TargetHostException.Step.RUN) {
                undoFailedInstall(login, username, keyLine, script, name);
            }
            throw e;
        }
    }

    /** Removes every line containing {@code keyLine}; removing a line that is not there succeeds. */
    public void uninstall(AdminLogin login, String username, String keyLine, String script) {
        apply(login, Action.UNINSTALL, username, keyLine, script, randomName(), "");
    }

    private void undoFailedInstall(AdminLogin login, String username, String keyLine, String script, String failedName) {
        try {
            apply(login, Action.UNINSTALL, username, keyLine, script, randomName(),
                    "rm -f -- " + failedName + " " + failedName + ".sh;");
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "could not undo a failed key install on {0}: {1}",
                    new Object[] {login.address(), e.getMessage()});
        }
    }

    private void apply(AdminLogin login, Action action, String username, String keyLine, String script, String name,
                       String prelude) {
        // the last gate before the host, for installs and for the removals of stored leases alike
        HostText.requireAccountName("username", username);
        HostText.requireNoControlCharacters("admin_user", login.user());
        HostText.requireNoControlCharacters("the authorized_keys line", keyLine);
        try (TargetHosts.Session session = hosts.open(login)) {
            session.upload(List.of(
                    new TargetHosts.RemoteFile(name, keyLine.getBytes(StandardCharsets.UTF_8)),
                    new TargetHosts.RemoteFile(name + ".sh", script.getBytes(StandardCharsets.UTF_8))));
            TargetHosts.CommandResult result = session.run(prelude + command(action, name, username));
            if (!result.succeeded()) {
                String said = result.stderr().isEmpty() ? result.stdout() : result.stderr();
                throw new TargetHostException(login.address(), TargetHostException.Step.RUN,
                        (result.exitStatus() == null ? "the install script was stopped before it exited"
                                : "the install script (" + action.word + ") exited with status " + result.exitStatus())
                                + (said.isEmpty() ? "" : ": " + said.replace('\n', ' ')));
            }
        }
    }

    /**
     * Vault's command with the script's status kept: {@code chmod +x N.sh;./N.sh ACTION N PATH;} then
     * the uploaded files are removed and the script's status is the command's.
     */
    static String command(Action action, String name, String username) {
        return "chmod +x " + name + ".sh;./" + name + ".sh " + action.word + " " + name + " "
                + authorizedKeysPath(username) + ";s=$?;rm -f -- " + name + ".sh " + name + ";exit $s";
    }

    /** 64 lowercase hex characters, as Vault's names. */
    static String randomName() {
        return HexFormat.of().formatHex(Randomness.bytes(32));
    }
}
