package dev.latchkey.engine.ssh.dynamic;

import dev.latchkey.engine.framework.EngineException;
import dev.latchkey.engine.ssh.keys.SshKeyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthorizedKeysEditorTest {
    @Test
    void commandKeepsVaultsContractAndTheScriptsStatus() {
        String name = "a".repeat(64);
        assertEquals("chmod +x " + name + ".sh;./" + name + ".sh install " + name
                        + " /home/alice/.ssh/authorized_keys;s=$?;rm -f -- " + name + ".sh " + name + ";exit $s",
                AuthorizedKeysEditor.command(AuthorizedKeysEditor.Action.INSTALL, name, "alice"));
        assertTrue(AuthorizedKeysEditor.command(AuthorizedKeysEditor.Action.UNINSTALL, name, "root")
                .contains(".sh uninstall " + name + " /home/root/.ssh/authorized_keys;"));
    }

    @Test
    void randomNamesAre64HexCharacters() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String n = AuthorizedKeysEditor.randomName();
            assertTrue(n.matches("[0-9a-f]{64}"), n);
            seen.add(n);
        }
        assertEquals(100, seen.size());
    }

    /** Nothing reaches a host when a value would break the authorized_keys line, the command or the login. */
    @Test
    void controlCharactersNeverReachAHost() {
        TargetHosts refuseToDial = login -> {
            throw new AssertionError("dialled " + login);
        };
        AuthorizedKeysEditor editor = new AuthorizedKeysEditor(refuseToDial);
        AdminLogin ops = login("ops");
        String line = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA";
        assertRefused("the authorized_keys line must not contain control characters (found U+000A): it is sent to "
                + "the target host", () -> editor.uninstall(ops, "app", "no-pty\n" + line, "#!/bin/sh"));
        assertRefused("the authorized_keys line must not contain control characters (found U+0000): it is sent to "
                + "the target host", () -> editor.install(ops, "app", line + "\u0000", "#!/bin/sh"));
        assertRefused("admin_user must not contain control characters (found U+000A): it is sent to the target host",
                () -> editor.install(login("ops\nx"), "app", line, "#!/bin/sh"));
        assertRefused("username \"a\\nb\" is not a valid account name: dynamic keys need letters, digits, '.', '_' "
                + "or '-' (it becomes part of a command on the host)",
                () -> editor.uninstall(ops, "a\nb", line, "#!/bin/sh"));
    }

    private static AdminLogin login(String user) {
        return new AdminLogin("127.0.0.1", 22, user, SshKeyGenerator.generate("ed25519", 0),
                (address, key) -> { }, Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    private static void assertRefused(String message, Executable call) {
        EngineException e = assertThrows(EngineException.class, call);
        assertEquals(400 + " " + message, e.status() + " " + e.getMessage());
    }

    @Test
    void onlyPlainAccountNamesReachTheShell() {
        for (String ok : List.of("alice", "bob.smith", "svc_deploy", "web-01", "_apt", "HOST$", "a")) {
            assertTrue(AuthorizedKeysEditor.isAccountName(ok), ok);
        }
        for (String bad : List.of("", "-rf", "a b", "a;b", "a/b", "$(id)", "`id`", "a\nb", "../etc", "a'b",
                "x".repeat(66))) {
            assertFalse(AuthorizedKeysEditor.isAccountName(bad), bad);
        }
    }
}
