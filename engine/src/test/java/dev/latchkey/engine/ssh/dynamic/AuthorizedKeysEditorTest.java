package dev.latchkey.engine.ssh.dynamic;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
